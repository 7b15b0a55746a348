# shellcheck shell=sh
# Job of `make vm-stress`, in one MMU mode: ROUNDS runs of userfault_stress
# with seeds SEED+1 .. SEED+ROUNDS, each on fork modules loaded afresh (so
# they are unloaded and reloaded between VMs), then the kernel log, with
# the hung-task detector at 20 s.  Writes TAP to the result channel.
#
# Kernel arguments: kvmtest.mode=npt=1,tdp_mmu=Y (commas stand for
# spaces), kvmtest.seed, kvmtest.ops (per round), kvmtest.rounds,
# kvmtest.test_timeout (seconds per round).
set -u

# shellcheck source-path=SCRIPTDIR source=kvm-modules.sh
. /guest/kvm-modules.sh

mode=$(echo "${kvmtest_mode:?}" | tr , ' ')
seed=${kvmtest_seed:?}
ops=${kvmtest_ops:-2500}
rounds=${kvmtest_rounds:-4}
limit=${kvmtest_test_timeout:-300}
results=${kvmtest_results:?}

n=0
result() {
	n=$((n + 1))
	echo "$1 $n - fork $mode $2" >"$results"
}
diag() {
	sed 's/^/#   /' >"$results"
}

dmesg -c >/dev/null
echo 20 >/proc/sys/kernel/hung_task_timeout_secs
total_ops=0
total_pages=0
round=1
while [ "$round" -le "$rounds" ]; do
	s=$((seed + round))
	if ! why=$(kvm_load fork "$mode" 2>&1); then
		result "not ok" "stress round $round: load"
		echo "$why" | diag
		break
	fi
	echo "=== fork $mode stress round $round, seed $s"
	rc=0
	timeout -k 10 "$limit" /selftests/x86_64/userfault_stress -s "$s" -n "$ops" \
		-t $((limit - 30)) </dev/null >/tmp/out 2>&1 || rc=$?
	cat /tmp/out
	done_ops=$(sed -n 's/^# \([0-9]*\) operations:.*/\1/p' /tmp/out)
	pages=$(sed -n 's/.* \([0-9]*\) pages verified .*/\1/p' /tmp/out)
	total_ops=$((total_ops + ${done_ops:-0}))
	total_pages=$((total_pages + ${pages:-0}))
	if [ $rc = 0 ]; then
		result ok "stress round $round (seed $s): ${done_ops:-0} operations, ${pages:-0} pages verified"
	else
		result "not ok" "stress round $round (seed $s) # exit $rc"
		tail -n 20 /tmp/out | diag
	fi
	grep '^# ' /tmp/out | diag
	if ! why=$(kvm_unload 2>&1); then
		result "not ok" "stress round $round: unload"
		echo "$why" | diag
		break
	fi
	round=$((round + 1))
done
echo "# seed $seed: $total_ops operations, $total_pages pages verified in $mode" | diag

if dmesg | grep -Eq "$kvm_splat"; then
	result "not ok" "kernel-log"
	dmesg | grep -E "$kvm_splat" | head -n 20 | diag
else
	result ok "kernel-log"
fi
echo "1..$n" >"$results"
