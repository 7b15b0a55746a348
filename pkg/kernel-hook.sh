#!/bin/sh
# kvm-userfault's hook for a new kernel, installed as
# /etc/kernel/{header_,}postinst.d/00-kvm-userfault, so that it runs before
# DKMS' own hook there: it builds the fork for that kernel, and when the
# build fails it says so, records it (dkms.conf then leaves the kernel out
# of `dkms autoinstall`) and exits 0.  DKMS 3.0.10's autoinstall would
# instead fail the configuration of the kernel's packages, leaving apt
# and dpkg broken on a lab host after a routine kernel upgrade.
#
#   00-kvm-userfault KVER [IMAGE]
set -eu

kver=${1:?usage: $0 KVER}
version="#MODULE_VERSION#"
src=/usr/src/kvm-userfault-$version
failed=/var/lib/kvm-userfault/failed-builds
[ -f "$src/dkms.conf" ] && command -v dkms >/dev/null || exit 0
# Without headers there is nothing to build with; DKMS' hook says so.
[ -e "/lib/modules/$kver/build/include" ] || exit 0
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$src/src/patches
# shellcheck source=src/kernels.sh
. "$src/src/kernels.sh"
# dkms.conf says why it leaves such a kernel out.
! kuf_unsupported "$kver" >/dev/null || exit 0
case $(dkms status -m kvm-userfault -v "$version" -k "$kver" 2>/dev/null) in
*installed*) exit 0 ;;
esac

rm -f "$failed/$kver"
echo "kvm-userfault: building the fork for kernel $kver (about 2 minutes)"
if dkms install -m kvm-userfault -v "$version" -k "$kver"; then
	exit 0
fi
mkdir -p "$failed"
echo "$version" >"$failed/$kver"
cat >&2 <<MSG
kvm-userfault: WARNING: building the fork for kernel $kver failed; its
kvm-userfault:   stock KVM modules stay in use, and the kernel installs normally.
kvm-userfault:   The build log: /var/lib/dkms/kvm-userfault/$version/build/make.log
kvm-userfault:   Try again: dkms install kvm-userfault/$version -k $kver
MSG
exit 0
