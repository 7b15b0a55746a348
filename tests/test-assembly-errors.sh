#!/bin/bash
# The assembly and the ABI guard refuse bad input with a message that names
# the problem: wrong kernel series, missing or mismatched source, uapi
# numbers the kernel already uses, a patch that does not apply, changed
# CRCs.
#
#   tests/test-assembly-errors.sh KVER MODULE_TREE
# MODULE_TREE is an assembled and built tree (build/KVER/kvm).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/tap.sh"
kver=$1
tree=$2
asm=$top/src/assemble.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

series=$(echo "$kver" | cut -d. -f1,2)
oldest=$(cat "$top/src/patches/$series/oldest")
expect_fail "unsupported kernel series is refused, naming the supported range" \
	"5\.10 kernel; kvm-userfault serves ${oldest//./\\.} and later ${series//./\\.} kernels" \
	"$asm" 5.10.0-1-amd64 "$tmp/out"
expect_fail "a point release older than the series' oldest is refused" \
	"kernel $series\.1-1-amd64 is older than ${oldest//./\\.}" \
	"$asm" "$series.1-1-amd64" "$tmp/out"
expect_fail "a kernel neither dpkg nor apt knows has no exact source, and KSRC is named" \
	"linux-headers-$series\.999\+deb12-amd64\), or set KSRC to a $series\.999 source" \
	"$top/src/kernel-source.sh" "$series.999+deb12-amd64"
expect_fail "a kernel of a Debian release without a build root is refused" \
	"built for Debian 77, which this script does not know" \
	"$top/scripts/build-root.sh" "$series.1+deb77-amd64"
expect_fail "a KSRC that does not exist is refused" "KSRC=$tmp/nope does not exist" \
	env KSRC="$tmp/nope" "$asm" "$kver" "$tmp/out"
mkdir "$tmp/empty"
expect_fail "a KSRC that is not a source tree is refused" "not a kernel source tree" \
	env KSRC="$tmp/empty" "$asm" "$kver" "$tmp/out"

# A source tree one sublevel older than the target kernel.  It is already
# patched, so it is assembled with an empty series.
# mkseries DIR: an empty series for the target's series in patch dir DIR.
mkseries() {
	mkdir -p "$1/$series"
	touch "$1/$series/series"
	echo "$series.0" >"$1/$series/oldest"
}
mkseries "$tmp/none"
cp -a "$tree" "$tmp/old"
# shellcheck disable=SC2016 # sed's e flag runs it
sed -i 's/^SUBLEVEL = \([0-9]*\)/echo "SUBLEVEL = $((\1 - 1))"/e' "$tmp/old/Makefile"
expect_fail "mismatched source version is refused" "source version .* does not match kernel ${kver//+/\\+}" \
	env KSRC="$tmp/old" "$asm" "$kver" "$tmp/out"
expect_ok "ALLOW_VERSION_MISMATCH=1 overrides the version check" \
	env PATCHDIR="$tmp/none" KSRC="$tmp/old" ALLOW_VERSION_MISMATCH=1 "$asm" "$kver" "$tmp/out"
expect_fail "the override warns about what it risks" "WARNING: KVM internals differ" \
	sh -c "PATCHDIR='$tmp/none' KSRC='$tmp/old' ALLOW_VERSION_MISMATCH=1 '$asm' '$kver' '$tmp/out' && false"

# A kernel whose <linux/kvm.h> already uses the fork's numbers (reusing the
# tree from above, with its sublevel put back).
# shellcheck disable=SC2016 # sed's e flag runs it
sed -i 's/^SUBLEVEL = \([0-9]*\)/echo "SUBLEVEL = $((\1 + 1))"/e' "$tmp/old/Makefile"
kvm_h=$tmp/old/include/uapi/linux/kvm.h
cp "$kvm_h" "$tmp/kvm.h"
printf '#define KVM_MEMORY_EXIT_FLAG_FUTURE\t(1ULL << 4)\n' >>"$kvm_h"
expect_fail "a kernel that uses bit 4 for a memory fault flag is refused" "already uses bit 4" \
	env PATCHDIR="$tmp/none" KSRC="$tmp/old" "$asm" "$kver" "$tmp/out"
cp "$tmp/kvm.h" "$kvm_h"
printf '#define KVM_MEM_USERFAULT (1UL << 3)\n' >>"$kvm_h"
expect_fail "a kernel with upstream's KVM Userfault is refused" "defines KVM Userfault itself" \
	env PATCHDIR="$tmp/none" KSRC="$tmp/old" "$asm" "$kver" "$tmp/out"
cp "$tmp/kvm.h" "$kvm_h"
expect_ok "the same tree without them assembles" \
	env PATCHDIR="$tmp/none" KSRC="$tmp/old" "$asm" "$kver" "$tmp/out"

# The fork's plain-file selftests (tests/selftests/) join the kernel's
# selftest Makefile before a line of it; a kernel without that line is
# refused by name.
st=$tmp/old/tools/testing/selftests/kvm
mkdir -p "$st/x86_64"
printf 'TEST_GEN_PROGS_x86_64 += x86_64/state_test\n' >"$st/Makefile"
expect_fail "a selftest Makefile without the line the fork's selftests join is refused" \
	"cannot add x86_64/userfault_stress to .*Makefile: it has no line" \
	env PATCHDIR="$tmp/none" KSRC="$tmp/old" "$asm" --full "$kver" "$tmp/out"
# shellcheck disable=SC2016 # make's variables, not the shell's
printf 'TEST_GEN_PROGS_EXTENDED += $(TEST_GEN_PROGS_EXTENDED_$(ARCH_DIR))\n' >>"$st/Makefile"
expect_fail "with that line, the fork's selftests are added" "added selftest x86_64/userfault_stress" \
	sh -c "PATCHDIR='$tmp/none' KSRC='$tmp/old' '$asm' --full '$kver' '$tmp/out' && false"
rm -r "$tmp/old/tools"

# A patch whose context is not in the source names itself and the file.
mkseries "$tmp/patches"
cat >"$tmp/patches/$series/0001-broken.patch" <<'PATCH'
--- a/arch/x86/kvm/x86.c
+++ b/arch/x86/kvm/x86.c
@@ -1,3 +1,3 @@
-this line is not in x86.c
+neither is this one
 nor this
 one
PATCH
echo 0001-broken.patch >"$tmp/patches/$series/series"
expect_fail "a failing patch names the patch and the file" "patch $series/0001-broken\\.patch does not apply" \
	env PATCHDIR="$tmp/patches" KSRC="$tree" "$asm" "$kver" "$tmp/out"
expect_fail "a failing hunk names the file" "arch/x86/kvm/x86.c" \
	env PATCHDIR="$tmp/patches" KSRC="$tree" "$asm" "$kver" "$tmp/out"
expect_fail "a failing patch says where its rebased copy goes" \
	"add a rebased copy as $tmp/patches/$series/${kver%%[!0-9.]*}/0001-broken.patch" \
	env PATCHDIR="$tmp/patches" KSRC="$tree" "$asm" "$kver" "$tmp/out"
# A replacement for this point release or an older one takes the place of
# the patch; one for a newer point release does not.
mkdir "$tmp/patches/$series/$series.0" "$tmp/patches/$series/$series.9999"
cp "$tmp/patches/$series/0001-broken.patch" "$tmp/patches/$series/$series.0/"
cp "$tmp/patches/$series/0001-broken.patch" "$tmp/patches/$series/$series.9999/"
expect_fail "the replacement for an older point release is the one applied" \
	"patch $series/$series\.0/0001-broken\.patch does not apply" \
	env PATCHDIR="$tmp/patches" KSRC="$tree" "$asm" "$kver" "$tmp/out"
echo 0002-missing.patch >"$tmp/patches/$series/series"
expect_fail "a series naming a missing patch is refused" "series names 0002-missing.patch" \
	env PATCHDIR="$tmp/patches" KSRC="$tree" "$asm" "$kver" "$tmp/out"

# The guard must notice a CRC that kvmgt imports changing.
moddir=$tree/arch/x86/kvm
mkdir "$tmp/mods"
cp "$moddir/kvm.ko" "$tmp/mods/"
sed 's/^0x[0-9a-f]*\(\tkvm_write_track_add_gfn\t\)/0x12345678\1/' "$moddir/Module.symvers" >"$tmp/mods/Module.symvers"
expect_ok "the ABI guard accepts the fork as built" "$top/src/abi-guard.sh" "$kver" "$moddir"
expect_fail "the ABI guard refuses a changed CRC that kvmgt imports" \
	"kvmgt.* imports kvm_write_track_add_gfn with CRC 0x[0-9a-f]*, the fork exports 0x12345678" \
	"$top/src/abi-guard.sh" "$kver" "$tmp/mods"

# The guard must notice a layout that built-in code reads changing: a real
# build (about a minute) of the series plus a patch that puts a field into
# struct kvm_vcpu before 'stat'.
cp -a "$top/src/patches" "$tmp/abi-patches"
cat >"$tmp/abi-patches/$series/9999-abi-break.patch" <<'PATCH'
--- a/include/linux/kvm_host.h
+++ b/include/linux/kvm_host.h
@@ -396,6 +396,7 @@
 	bool ready;
 	bool scheduled_out;
 	struct kvm_vcpu_arch arch;
+	u64 abi_guard_test;
 	struct kvm_vcpu_stat stat;
 	char stats_id[KVM_STATS_NAME_SIZE];
 	struct kvm_dirty_ring dirty_ring;
PATCH
echo 9999-abi-break.patch >>"$tmp/abi-patches/$series/series"
echo "# building the fork with struct kvm_vcpu changed (about a minute)"
expect_fail "the ABI guard refuses a build that moves struct kvm_vcpu's 'stat'" \
	"abi-guard: struct kvm_vcpu differs between kernel" \
	env PATCHDIR="$tmp/abi-patches" make -C "$top" --no-print-directory KVER="$kver" BUILD="$tmp/abi" modules
tap_finish
