#!/bin/sh
# Install what building and testing the fork needs on Debian 12 or 13: the
# build tools, QEMU and busybox for the VM tests, debootstrap for build
# roots, and the target kernel's image and headers.  (Its source is
# fetched when the fork is built: src/kernel-source.sh.)  Elsewhere, or
# when not root, print the command to run instead.
#
#   scripts/install-deps.sh [KVER]     (default: scripts/target-kernel.sh)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # the host's
. /etc/os-release
root_ok=
[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && root_ok=1
if [ -n "$root_ok" ]; then
	# The target is the newest kernel apt knows: lists from yesterday, or
	# a new system's first ones (debootstrap's, of the main suite only),
	# miss the newest point release.
	echo "install-deps: updating apt's package lists"
	apt-get update -qq
	# bookworm's QEMU is too old for the nested SVM the VM tests use, and
	# bookworm-backports has a 6.12 kernel too.
	[ "${VERSION_CODENAME:-}" != bookworm ] || SUITES=bookworm-backports "$here/apt-add-suites.sh"
fi
kver=${1:-$("$here/target-kernel.sh")}
tools="build-essential make gcc bc bison flex libelf-dev patch xz-utils zstd cpio kmod
dwarves busybox-static shellcheck g++ rsync debootstrap
debhelper dh-dkms dkms lintian rpm rpmlint elfutils pkg-config openssl"

installed() { dpkg-query -W -f '${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }
missing=
for p in $tools; do
	installed "$p" || missing="$missing $p"
done
qemu=
installed qemu-system-x86 || qemu="qemu-system-x86"
# A kernel of another Debian release gets its own build root instead.
case $kver in
*+deb"${VERSION_ID:-}"-* | *+deb"${VERSION_ID:-}") native=1 ;;
*+deb[0-9]*) native= ;;
*) native=1 ;;
esac
kpkgs=
if [ -n "$native" ]; then
	# The headers depend on the image, signed or not: a new point release
	# may have the -unsigned image only until its signed one is published.
	if [ ! -d "/lib/modules/$kver/build" ]; then
		kpkgs=" linux-headers-$kver"
	elif [ ! -f "/boot/vmlinuz-$kver" ]; then
		kpkgs=" linux-image-$kver"
		apt-cache policy "linux-image-$kver" 2>/dev/null | grep -q 'Candidate: [0-9]' ||
			kpkgs="$kpkgs-unsigned"
	fi
fi
[ -n "$missing$qemu$kpkgs" ] || exit 0

if [ -z "$root_ok" ]; then
	echo "install-deps: missing:$missing $qemu$kpkgs" >&2
	echo "install-deps: as root on Debian 12 or 13: make deps (or apt-get install$missing $qemu$kpkgs)" >&2
	exit 1
fi
bpo=
[ "${VERSION_CODENAME:-}" != bookworm ] || bpo="-t bookworm-backports"
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing (a few minutes on a new machine)"
	# shellcheck disable=SC2086 # package lists
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if [ -n "$qemu" ]; then
	echo "install-deps: installing $qemu"
	# shellcheck disable=SC2086 # $bpo is an option and its argument
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $bpo $qemu >/dev/null
fi
if [ -n "$kpkgs" ]; then
	echo "install-deps: installing kernel $kver:$kpkgs (about 1 minute)"
	# The headers pull in the image, the kbuild tools and initramfs-tools.
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $kpkgs >/dev/null
fi
