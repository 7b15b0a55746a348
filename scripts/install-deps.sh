#!/bin/sh
# Install what building and testing the fork needs on Debian or Ubuntu: the
# build tools, QEMU and busybox for the VM tests, and the target kernel's
# image, headers and matching source.  Elsewhere, or when not root, print
# the command to run instead.
#
#   scripts/install-deps.sh [KVER]     (default: scripts/target-kernel.sh)
set -eu

here=$(dirname "$0")
if [ $# -eq 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	# The reference kernel is resolved from bookworm-backports.
	SUITES=bookworm-backports "$here/apt-add-suites.sh"
fi
kver=${1:-$("$here/target-kernel.sh")}
base=$(echo "$kver" | cut -d. -f1,2)
tools="make gcc bc bison flex libelf-dev patch xz-utils zstd cpio kmod dwarves
busybox-static shellcheck g++ rsync
debhelper dh-dkms dkms lintian rpm rpmlint pkg-config openssl"
# QEMU comes from bookworm-backports with the kernel: the nested SVM the VM
# tests rely on was verified with that version.
bpo_tools="qemu-system-x86"

installed() { dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
kpkgs=
missing=
for p in $tools; do
	installed "$p" || missing="$missing $p"
done
for p in $bpo_tools; do
	installed "$p" || kpkgs="$kpkgs $p"
done
[ -d "/lib/modules/$kver/build" ] || kpkgs="$kpkgs linux-headers-$kver"
[ -f "/boot/vmlinuz-$kver" ] || kpkgs="$kpkgs linux-image-$kver"
if [ -z "$missing$kpkgs" ] && ls /usr/src/linux-source-"$base".tar.* >/dev/null 2>&1; then
	exit 0
fi

if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing:$missing $kpkgs linux-source-$base" >&2
	echo "install-deps: on Debian 12, as root: scripts/apt-add-suites.sh &&" \
		"apt-get install$missing && apt-get install -t bookworm-backports $kpkgs linux-source-$base=<version of linux-image-$kver>" >&2
	exit 1
fi

SUITES=bookworm-backports "$here/apt-add-suites.sh"
# shellcheck disable=SC2086 # package lists
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if [ -n "$kpkgs" ]; then
	echo "install-deps: installing from bookworm-backports:$kpkgs (about 1 minute)"
	# The headers pull in the matching image and initramfs-tools.
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t bookworm-backports $kpkgs >/dev/null
fi
if ! ls /usr/src/linux-source-"$base".tar.* >/dev/null 2>&1; then
	ver=$(dpkg-query -W -f '${Version}' "linux-image-$kver")
	echo "install-deps: installing linux-source-$base=$ver"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "linux-source-$base=$ver" >/dev/null
fi
