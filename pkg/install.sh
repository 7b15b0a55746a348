#!/bin/bash
# Install everything the packages ship into DESTDIR, for debian/rules and
# rpm/kvm-userfault.spec alike; each then splits it into its two packages:
#
#   kvm-userfault-dkms  /usr/src/kvm-userfault-VERSION/: the DKMS source,
#                       only what building the modules reads
#                       /etc/kernel/{header_,}postinst.d/00-kvm-userfault
#                       /usr/sbin/kvm-userfault, its probe and man page
#                       /usr/lib/depmod.d/kvm-userfault.conf
#   kvm-userfault-dev   /usr/include/kvm-userfault/linux/kvm_userfault.h
#                       /usr/share/pkgconfig/kvm-userfault.pc
#
#   pkg/install.sh DESTDIR
#
# Run where `make -C tools` has built tools/kvm-userfault-probe.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
die() {
	echo "install: error: $*" >&2
	exit 1
}
[ $# -eq 1 ] || die "usage: $0 DESTDIR"
dest=$1
version=$(cat "$top/VERSION")
probe=$top/tools/kvm-userfault-probe
[ -x "$probe" ] || die "$probe is missing; run 'make -C tools' first"

# The kernels DKMS builds for, as src/kernels.sh derives them from
# src/patches/: each series from its oldest point release on.
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$top/src/patches
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
exclusive=$(kuf_exclusive_regex)
[ -n "$exclusive" ] || die "no kernel series under $top/src/patches"

# The DKMS source: what src/assemble.sh, the Makefile's modules rule,
# src/abi-guard.sh and dkms.conf's scripts read.
src=$dest/usr/src/kvm-userfault-$version
install -d "$src/src" "$src/include/uapi/linux" "$src/pkg"
sed -e "s/#MODULE_VERSION#/$version/" -e "s/#KERNEL_SERIES_REGEX#/${exclusive//\\/\\\\}/" \
	"$top/dkms.conf" >"$src/dkms.conf"
chmod 644 "$src/dkms.conf"
install -m 644 "$top/Makefile" "$top/Kbuild" "$top/VERSION" "$src/"
install -m 755 "$top/src/assemble.sh" "$top/src/abi-guard.sh" "$top/src/kernel-source.sh" "$src/src/"
install -m 644 "$top/src/fork-info.c" "$top/src/kernels.sh" "$src/src/"
install -m 644 "$top/include/uapi/linux/kvm_userfault.h" "$src/include/uapi/linux/"
install -m 755 "$top/pkg/dkms-keep-stock.sh" "$src/pkg/"
(cd "$top/src" && find patches -type f) | while read -r f; do
	install -D -m 644 "$top/src/$f" "$src/src/$f"
done

# DKMS' kernel hooks would fail apt when a build fails: ours run first.
for d in header_postinst.d postinst.d; do
	install -d "$dest/etc/kernel/$d"
	sed "s/#MODULE_VERSION#/$version/" "$top/pkg/kernel-hook.sh" >"$dest/etc/kernel/$d/00-kvm-userfault"
	chmod 755 "$dest/etc/kernel/$d/00-kvm-userfault"
done

# The swap tool.  Its depmod configuration is made from dkms.conf, so the
# module list and the stock modules' directory are written only there;
# depmod wants module file names (kvm-amd), not module names (kvm_amd).
install -D -m 755 "$top/tools/kvm-userfault" "$dest/usr/sbin/kvm-userfault"
install -D -m 755 "$probe" "$dest/usr/libexec/kvm-userfault/kvm-userfault-probe"
install -D -m 644 "$top/tools/kvm-userfault.8" "$dest/usr/share/man/man8/kvm-userfault.8"
stock_dir=$(sed -n 's,^DEST_MODULE_LOCATION\[0\]="/\(.*\)",\1,p' "$top/dkms.conf")
modules=$(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"/\1/p' "$top/dkms.conf")
if [ -z "$stock_dir" ] || [ -z "$modules" ]; then
	die "cannot read BUILT_MODULE_NAME and DEST_MODULE_LOCATION from $top/dkms.conf"
fi
install -d "$dest/usr/lib/depmod.d"
{
	echo "# Installed by kvm-userfault-dkms.  DKMS installs the fork's KVM modules"
	echo "# next to the kernel's own; these lines keep the kernel's own the ones"
	echo "# modprobe loads, so installing the package changes nothing."
	echo "# 'kvm-userfault swap-in' selects the fork with /etc/depmod.d/kvm-userfault.conf,"
	echo "# which then takes the place of this file; 'kvm-userfault restore' removes it."
	for m in $modules; do
		echo "override $m * $stock_dir"
	done
} >"$dest/usr/lib/depmod.d/kvm-userfault.conf"

# The uapi header under its own prefix: it cannot clash with the
# distribution's kernel headers (linux-libc-dev, kernel-headers).
install -D -m 644 "$top/include/uapi/linux/kvm_userfault.h" \
	"$dest/usr/include/kvm-userfault/linux/kvm_userfault.h"
install -d "$dest/usr/share/pkgconfig"
cat >"$dest/usr/share/pkgconfig/kvm-userfault.pc" <<PC
prefix=/usr
includedir=\${prefix}/include/kvm-userfault

Name: kvm-userfault
Description: uapi of KVM Userfault, from the kvm-userfault fork of x86 KVM
Version: $version
Cflags: -I\${includedir}
PC
