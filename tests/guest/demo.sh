# shellcheck shell=sh
# Job behind `make demo`: load the distro's KVM, show it, swap in the fork's
# modules, show them, then run one selftest in a nested guest on the fork.
# Writes its account to the result channel; the host prints it as it is.
# Kernel argument: kvmtest.test=PATH below /selftests.
set -u

# shellcheck source-path=SCRIPTDIR source=kvm-modules.sh
. /guest/kvm-modules.sh

out=${kvmtest_results:?}
test=${kvmtest_test:?}
vendor=$(kvm_vendor)

say() {
	echo "$*" >"$out"
}

# load SET: loads SET's modules, telling what it does.
load() {
	say "\$ insmod /modules/$1/kvm.ko; insmod /modules/$1/kvm-$vendor.ko"
	if ! why=$(kvm_load "$1" "" 2>&1); then
		say "  failed: $why"
		return 1
	fi
}

# show SET: the loaded kvm modules, and what SET's files say about them.
show() {
	say "  loaded: $(awk '/^kvm/ { printf "%s%s (used by %s)", sep, $1, $3; sep = ", " }' /proc/modules)"
	for m in kvm "kvm-$vendor"; do
		f=/modules/$1/$m.ko
		sysfs=/sys/module/$(echo "$m" | tr - _)
		say "$(printf '  %-11s version %-6s kvm_userfault %-6s taint %-3s vermagic %s' "$m.ko" \
			"$(cat "$sysfs/version" 2>/dev/null || echo -)" \
			"$(modinfo -F kvm_userfault "$f" | grep . || echo -)" \
			"$(grep . "$sysfs/taint" || echo -)" \
			"$(modinfo -F vermagic "$f" | cut -d' ' -f1)")"
	done
}

say "== the distro's KVM"
load stock && show stock
say ""
say "== swapped for the fork's"
say "\$ rmmod kvm_$vendor kvm"
rmmod "kvm_$vendor" kvm
load fork && show fork
say ""
say "== a nested guest on the fork"
say "\$ $test"
start=$(cut -d' ' -f1 /proc/uptime)
rc=0
"/selftests/$test" >/tmp/out 2>&1 || rc=$?
took=$(awk -v s="$start" '{ printf "%.1f", $1 - s }' /proc/uptime)
cat /tmp/out
say "  $(tail -n 1 /tmp/out)"
case $rc in
0) say "  passed in $took s" ;;
4) say "  skipped (exit 4) after $took s" ;;
*) say "  FAILED (exit $rc) after $took s; the console log has its output" ;;
esac
exit $rc
