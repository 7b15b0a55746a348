#!/bin/bash
# Show the fork at work: boot a VM from an installed kernel, load the
# distro's KVM, swap it for the fork's modules and run a nested guest on
# them.  Behind `make demo`.
# shellcheck source-path=SCRIPTDIR
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/cli.sh" demo

usage() {
	cat <<USAGE
usage: tests/demo-vm.sh [-h|--help]

Environment:
  KVER           kernel release to boot (default: $(uname -r))
  FORK_DIR       directory with the fork's kvm.ko, kvm-amd.ko, kvm-intel.ko
                 (.ko, .ko.xz, .ko.zst or .ko.gz)
  SELFTESTS_DIR  built, statically linked tools/testing/selftests/kvm
  DEMO_TEST      the selftest to run, relative to SELFTESTS_DIR
                 (default: x86_64/sync_regs_test)
  TIMEOUT        seconds the boot may take before it is killed (default 300)
  OUT_DIR        where logs go (default: a new /tmp/demo-vm.XXXXXX)
  ACCEL, VM_MEM, VM_CPUS  as for tests/vm-test.sh
USAGE
}

only_help "$@"

KVER=${KVER:-$(uname -r)}
test=${DEMO_TEST:-x86_64/sync_regs_test}

. "$here/lib/initramfs.sh"
. "$here/lib/qemu.sh"

[ -f "${KROOT:-}/boot/vmlinuz-$KVER" ] || die "no ${KROOT:-}/boot/vmlinuz-$KVER: install kernel $KVER, or set KVER"
[ -d "${FORK_DIR:-}" ] || die "FORK_DIR must name a directory with the fork's modules (see --help)"
[ -x "${SELFTESTS_DIR:-}/$test" ] || die "no test binary ${SELFTESTS_DIR:-\$SELFTESTS_DIR}/$test (see --help)"

out=${OUT_DIR:-$(mktemp -d /tmp/demo-vm.XXXXXX)}
mkdir -p "$out"
say "building initramfs"
initramfs_stage "$out/root"
initramfs_add_set "$out/root" fork "$FORK_DIR"
mkdir -p "$(dirname "$out/root/selftests/$test")"
cp "$SELFTESTS_DIR/$test" "$out/root/selftests/$test"
initramfs_pack "$out/root" "$out/initramfs.img"

status=0
qemu_boot "stock and fork modules" "$out/initramfs.img" "kvmtest.job=demo kvmtest.test=$test" \
	"$out/demo" "${TIMEOUT:-300}" || status=$?
echo
grep -v '^# guest:' "$out/demo.results" || true
echo
say "console log: $out/demo.console"
[ $status = 0 ] && grep -q '^# guest: job finished (exit 0)' "$out/demo.results"
