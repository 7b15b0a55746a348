#!/bin/sh
# Print the build root for kernel KVER, making it first if needed: a
# minimal Debian root of KVER's own release, with KVER's headers and image
# installed.  Prints nothing for a kernel of this host's own release,
# which builds on the host.  A "+deb13" kernel's kbuild tools need
# trixie's glibc and gcc-14, so on Debian 12 it is built in a trixie root
# (and a "+deb12" one on Debian 13 in a bookworm root).
#
#   scripts/build-root.sh KVER
#   scripts/build-root.sh debNN     the root of Debian NN, without a kernel
#
# Roots are kept in $KUF_CACHE/roots/<codename> (default
# /var/cache/kvm-userfault) and reused; each kernel adds its packages.
set -eu

me=build-root
die() {
	echo "$me: error: $*" >&2
	exit 1
}
[ $# -eq 1 ] || die "usage: $0 KVER|debNN"
kver=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # the host's
. /etc/os-release

rel=$(printf '%s\n' "$kver" | sed -n 's/^deb\([0-9][0-9]*\)$/\1/p; s/.*+deb\([0-9][0-9]*\).*/\1/p')
[ -n "$rel" ] && [ "$rel" != "${VERSION_ID:-}" ] || exit 0
case $rel in
12) codename=bookworm ;;
13) codename=trixie ;;
14) codename=forky ;;
*) die "kernel $kver is built for Debian $rel, which this script does not know" ;;
esac
[ "$(id -u)" = 0 ] || die "building for $kver needs a Debian $rel ($codename) build root, which only root can make"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"

cache=${KUF_CACHE:-/var/cache/kvm-userfault}
root=$cache/roots/$codename
mkdir -p "$cache/roots"
exec 9>"$cache/roots/.$codename.lock"
flock 9

in_root() {
	# shellcheck disable=SC2016 # for the inner sh
	unshare -m sh -c 'mount -t proc proc "$1/proc" && shift && chroot "$@"' - "$root" "$root" "$@"
}

if [ ! -f "$root/.complete" ]; then
	mirror=$("$here/debian-mirror.sh") || die "cannot find a Debian mirror in this host's apt sources"
	echo "$me: making a Debian $rel ($codename) build root in $root (about 3 minutes, once)" >&2
	rm -rf "$root"
	debootstrap --variant=minbase --include=make,patch,xz-utils,dwarves,kmod,gcc \
		"$codename" "$root" "$mirror" >"$cache/roots/$codename.log" 2>&1 ||
		die "debootstrap of $codename failed; see $cache/roots/$codename.log"
	"$here/debian-sources.sh" "$codename" >"$root/etc/apt/sources.list.d/debian.sources"
	rm -f "$root/etc/apt/sources.list"
	touch "$root/.complete"
fi
# Kernels come and go every few weeks: lists older than a day may name
# packages the mirror no longer has.
if [ -z "$(find "$root/.apt-updated" -mmin -1440 2>/dev/null)" ]; then
	in_root apt-get update -qq >"$cache/roots/$codename.log" 2>&1 ||
		die "apt-get update failed in the $codename root; see $cache/roots/$codename.log"
	touch "$root/.apt-updated"
fi
case $kver in deb*) echo "$root" && exit 0 ;; esac

if [ ! -d "$root/lib/modules/$kver/build" ] || [ ! -e "$root/boot/vmlinuz-$kver" ]; then
	# The headers depend on the image, signed or, until the signed one is
	# published, -unsigned.
	echo "$me: installing kernel $kver's headers and image in the $codename root (about 2 minutes)" >&2
	if ! in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"linux-headers-$kver" >"$cache/roots/$codename.log" 2>&1; then
		die "cannot install kernel $kver in the $codename root: $(grep -E '^E:' "$cache/roots/$codename.log" | head -n 1)"
	fi
fi
echo "$root"
