#!/bin/bash
# Every prefix of the kernel part of the series builds, as it must for a
# reviewer who applies it patch by patch or bisects it: kvm.ko, kvm-amd.ko
# and kvm-intel.ko with CONFIG_KVM_USERFAULT on, warnings as errors.  About
# 50 s a patch, so it is `make check-series`, not part of `make check`.
#
#   tests/check-series-builds.sh KVER
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/tap.sh"
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$top/src/patches
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
kver=${1:?usage: $0 KVER}
kdir=/lib/modules/$kver/build
[ -d "$kdir" ] || { echo "error: $kdir is missing: install the headers of kernel $kver" >&2; exit 1; }
base=$(echo "$kver" | cut -d. -f1,2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp -a "$kuf_patches" "$tmp/patches"
series=$tmp/patches/$base/series
# The kernel part: what DKMS applies (the selftests touch only tools/).
mapfile -t kernel < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$kuf_patches/$base/series" |
	while read -r p; do
		! kuf_touches_kernel "$kuf_patches/$base/$p" || echo "$p"
	done)

for i in "${!kernel[@]}"; do
	n=$((i + 1))
	echo "check-series: building with patches 1 to $n of ${#kernel[@]} (${kernel[$i]})"
	printf '%s\n' "${kernel[@]:0:$n}" >"$series"
	out=$tmp/tree
	log=$tmp/log
	rc=0
	PATCHDIR=$tmp/patches "$top/src/assemble.sh" "$kver" "$out" >"$log" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then
		# fork-info.c's checks are declared by the patch that calls them
		# (KVM: fork: refuse ...); before it, they would be functions
		# without a prototype, which is not what that prefix is about.
		grep -qs kvm_fork_check_core "$out/include/linux/kvm_host.h" ||
			sed -i '/fork-info/d' "$out/arch/x86/kvm/Kbuild"
		make -C "$kdir" M="$out/arch/x86/kvm" -j"$(nproc)" \
			NOSTDINC_FLAGS="-I$out/arch/x86/include -I$out/include -I$out/arch/x86/include/uapi -I$out/include/uapi" \
			modules >>"$log" 2>&1 || rc=$?
	fi
	tap_result "$rc" "$kver builds with patches 1 to $n (${kernel[$i]})" \
		"$(grep -E 'error|warning|does not apply' "$log" | head -n 20)"
done
tap_summary
tap_finish
