# shellcheck shell=sh
# Job: load one module set in one MMU mode, run the selftests listed in
# /selftests/list against it, unload it, check that the fork refuses to
# load with the other set's modules, and check the kernel log.  Writes
# TAP to the result channel, one line per open so each line reaches the
# host even if the kernel dies right after.
#
# Kernel arguments: kvmtest.set=stock|fork, kvmtest.mode=npt=1,tdp_mmu=Y
# (commas stand for spaces), kvmtest.test_timeout=SECONDS.
# /selftests/list holds one test a line: a path below /selftests, then its
# arguments.
set -u

# shellcheck source-path=SCRIPTDIR source=kvm-modules.sh
. /guest/kvm-modules.sh

set=${kvmtest_set:?}
mode=$(echo "${kvmtest_mode:?}" | tr , ' ')
limit=${kvmtest_test_timeout:-300}
results=${kvmtest_results:?}

n=0
tap() {
	echo "$*" >"$results"
}
result() {
	n=$((n + 1))
	tap "$1 $n - $set $mode $2"
}
diag() {
	sed 's/^/#   /' >"$results"
}

now_cs() {
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}"
}
since() {
	d=$(($(now_cs) - $1))
	printf '%d.%02ds' $((d / 100)) $((d % 100))
}

run_test() {
	name=$*
	path=$1
	shift
	tap "# running $set $mode $name"
	echo "=== $set $mode $name"
	t0=$(now_cs)
	rc=0
	# -k: a test stuck past its time gets SIGKILL too, not just SIGTERM.
	# stdin is the test list being read.
	timeout -k 10 "$limit" "/selftests/$path" "$@" </dev/null >/tmp/out 2>&1 || rc=$?
	t=$(since "$t0")
	cat /tmp/out
	case $rc in
	0) result ok "$name # $t" ;;
	4)
		# 4 is KSFT_SKIP: the selftest found a feature missing.
		why=$(grep -i skip /tmp/out | tail -n 1 | sed 's/.*[Ss][Kk][Ii][Pp][: -]*//' | cut -c 1-160)
		result ok "$name # SKIP ${why:-exit 4} ($t)"
		;;
	*)
		if [ "${t%%.*}" -ge "$limit" ]; then
			result "not ok" "$name # killed after $t (test timeout ${limit}s)"
		else
			result "not ok" "$name # exit $rc after $t"
		fi
		# Progress lines end in \r; show them as lines, and not too many.
		tr '\r' '\n' </tmp/out | tail -n 20 | cut -c 1-160 | diag
		;;
	esac
}

# Only what this suite causes counts against it.
dmesg -c >/dev/null

if why=$(kvm_load "$set" "$mode" 2>&1); then
	result ok "load"
	while read -r test args; do
		[ -n "$test" ] || continue
		# One word per argument.
		# shellcheck disable=SC2086
		run_test "$test" $args
	done </selftests/list
	if why=$(kvm_unload 2>&1); then
		result ok "unload"
	else
		result "not ok" "unload"
		echo "$why" | diag
	fi
else
	result "not ok" "load"
	echo "$why" | diag
fi

# mix CORE VENDOR: kvm.ko of one set and the vendor module of the other
# must be refused as they load, and the kernel log must say why.  The fork
# keeps kvm.ko's CRCs, so nothing else stops such a mix, and it oopses the
# host at the first userfault exit.  Only the fork can refuse.
mix() {
	name="module-mix: $1 kvm.ko with $2 vendor module is refused"
	if [ "$set" != fork ]; then
		result ok "$name # SKIP stock modules do not check for a mix"
		return
	fi
	mark=$(dmesg | wc -l)
	loaded=0
	out=$(kvm_load_pair "$1" "$2" 2>&1) && loaded=1
	said=$(dmesg | tail -n +$((mark + 1)) | grep 'refusing')
	rmmod "kvm_$(kvm_vendor)" 2>/dev/null
	rmmod kvm 2>/dev/null
	echo "$said"
	if [ $loaded = 0 ] && [ -n "$said" ]; then
		result ok "$name"
	else
		result "not ok" "$name"
		echo "insmod: ${out:-both loaded}; kernel log: ${said:-no refusal}" | diag
	fi
}
mix fork stock
mix stock fork

if dmesg | grep -Eq "$kvm_splat"; then
	result "not ok" "kernel-log"
	dmesg | grep -E "$kvm_splat" | head -n 20 | diag
else
	result ok "kernel-log"
fi
tap "1..$n"
