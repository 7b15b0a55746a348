#!/bin/bash
# Run KVM selftests against the distro's KVM modules ("stock") and the
# fork's ("fork") inside a VM booted from an installed kernel, in each MMU
# mode, and report what the fork breaks.  Behind `make vm-test`.
set -eu

me=vm-test
here=$(cd "$(dirname "$0")" && pwd)
say() { printf '%s: %s\n' "$me" "$*"; }
die() {
	printf '%s: error: %s\n' "$me" "$*" >&2
	exit 1
}

# Fast upstream tests that pass on stock 6.12 under TCG in every mode.
default_tests="set_memory_region_test kvm_binary_stats_test guest_memfd_test
memslot_modification_stress_test demand_paging_test"

usage() {
	cat <<USAGE
usage: tests/vm-test.sh [-h|--help]

Boots /boot/vmlinuz-KVER in QEMU once per module set and MMU mode, loads
that set's KVM modules with the mode's parameters, runs the selftests and
checks the guest's kernel log.  Prints TAP, the regressions (passing on
stock, failing on the fork) and "N passed, N failed, N skipped"; exits 0
only if nothing failed.

Environment:
  KVER           kernel release to boot (default: $(uname -r)); its image,
                 /lib/modules/KVER and the stock KVM modules must be installed
  FORK_DIR       directory with the fork's kvm.ko, kvm-amd.ko, kvm-intel.ko
                 (.ko, .ko.xz, .ko.zst or .ko.gz); needed when SETS has fork
  SELFTESTS_DIR  built tools/testing/selftests/kvm, statically linked:
                 make headers; make -C tools/testing/selftests/kvm \\
                   EXTRA_CFLAGS=-static LDFLAGS=-static
  TESTS          space-separated tests, paths relative to SELFTESTS_DIR;
                 commas add arguments: "demand_paging_test,-v,2"
                 (default: $(echo $default_tests))
  SETS           module sets to test, in order (default: "stock fork")
  MODES          MMU modes, separated by ';': words PARAM=VALUE, where
                 tdp_mmu goes to kvm.ko, npt to kvm-amd.ko (ept to kvm-intel),
                 MODULE.PARAM=VALUE anywhere
                 (default: "npt=1 tdp_mmu=Y;npt=1 tdp_mmu=N;npt=0")
  TIMEOUT        seconds one boot may take before it is killed (default 900)
  TEST_TIMEOUT   seconds one test may take inside the guest (default 300)
  OUT_DIR        where logs go (default: a new /tmp/vm-test.XXXXXX)
  ACCEL          auto, tcg or kvm (default auto: KVM only if the host has
                 nested virtualization and it works, else TCG -cpu EPYC)
  VM_MEM, VM_CPUS  guest size (default 4G, 2)

Left out of the default set: dirty_log_test (passes, but ~110 s per mode
under TCG).
USAGE
}

case ${1:-} in
-h | --help)
	usage
	exit 0
	;;
"") ;;
*) die "unknown argument '$1'; see --help" ;;
esac

KVER=${KVER:-$(uname -r)}
tests=${TESTS:-$default_tests}
sets=${SETS:-stock fork}
modes=${MODES:-npt=1 tdp_mmu=Y;npt=1 tdp_mmu=N;npt=0}
timeout=${TIMEOUT:-900}
test_timeout=${TEST_TIMEOUT:-300}

. "$here/lib/initramfs.sh"
. "$here/lib/qemu.sh"

[ -f "/boot/vmlinuz-$KVER" ] || die "no /boot/vmlinuz-$KVER: install kernel $KVER, or set KVER"
[ -d "${SELFTESTS_DIR:-}" ] || die "SELFTESTS_DIR must name the built tools/testing/selftests/kvm (see --help)"
for set in $sets; do
	case $set in
	stock) ;;
	fork) [ -d "${FORK_DIR:-}" ] || die "SETS has fork, so FORK_DIR must name a directory with the fork's modules" ;;
	*) die "SETS=$sets: a set is stock or fork" ;;
	esac
done

out=${OUT_DIR:-$(mktemp -d /tmp/vm-test.XXXXXX)}
mkdir -p "$out"
say "kernel $KVER, logs in $out"

say "building initramfs"
start=$SECONDS
root=$out/root
initramfs_stage "$root"
case " $sets " in
*" fork "*) initramfs_add_set "$root" fork "$FORK_DIR" ;;
esac
mkdir -p "$root/selftests"
: >"$root/selftests/list"
for test in $tests; do
	path=${test%%,*}
	args=${test#"$path"}
	[ -x "$SELFTESTS_DIR/$path" ] || die "no test binary $SELFTESTS_DIR/$path"
	mkdir -p "$(dirname "$root/selftests/$path")"
	cp "$SELFTESTS_DIR/$path" "$root/selftests/$path"
	echo "$path${args//,/ }" >>"$root/selftests/list"
done
initramfs_pack "$root" "$out/initramfs.img"
say "initramfs ready in $((SECONDS - start)) s ($(du -h "$out/initramfs.img" | cut -f1))"

qemu_pick_accel

# All boots' results, numbered as one TAP stream.
tap=$out/results.tap
: >"$tap"
n=0
IFS=';' read -ra mode_list <<<"$modes"
for set in $sets; do
	for mode in "${mode_list[@]}"; do
		mode=$(echo $mode)
		[ -n "$mode" ] || continue
		log=$out/$set-${mode// /_}
		status=0
		qemu_boot "$set $mode" "$out/initramfs.img" \
			"kvmtest.job=run-selftests kvmtest.set=$set kvmtest.mode=${mode// /,} kvmtest.test_timeout=$test_timeout" \
			"$log" "$timeout" || status=$?

		# The guest numbers each boot from 1; renumber, and drop its
		# bookkeeping lines (plan, "# running", "# guest:").
		awk -v n=$n '
			/^(not )?ok [0-9]+ / { sub(/ok [0-9]+/, "ok " ++n); print; next }
			/^#   / { print }
		' "$log.results" >"$log.tap" 2>/dev/null || : >"$log.tap"
		if [ $status != 0 ]; then
			# The last test started but without a result is the culprit.
			running=$(awk '/^# running / { sub(/^# running /, ""); r = $0 }
				/^(not )?ok / { r = "" } END { print r }' "$log.results" 2>/dev/null || true)
			how="guest died (see $log.console)"
			[ $status = 2 ] && how="hung, killed after ${timeout}s"
			echo "not ok $((n + $(grep -c '^\(not \)\{0,1\}ok ' "$log.tap") + 1)) - $set $mode boot # $how${running:+ while running: $running}" >>"$log.tap"
		fi
		cat "$log.tap"
		cat "$log.tap" >>"$tap"
		n=$(grep -c '^\(not \)\{0,1\}ok ' "$tap" || true)
	done
done
echo "1..$n" >>"$tap"

# "ok 3 - stock npt=0 demand_paging_test # 20.1s" -> "npt=0 demand_paging_test"
results_of() {
	sed -n "s/^\\($1\\) [0-9]* - \\([a-z]*\\) \\(.*\\)/\\2 \\3/p" "$tap" |
		sed 's/ # .*//' | awk -v set="$2" '$1 == set { sub(/^[^ ]* /, ""); print }' | sort -u
}
case " $sets " in
*" stock "*" fork "* | *" fork "*" stock "*)
	stock_passed=$(grep -v '# SKIP' "$tap" | results_of ok stock)
	;;
esac
