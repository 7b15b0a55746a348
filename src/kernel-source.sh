#!/bin/sh
# Print the path of a source tarball of exactly the kernel KVER, fetching it
# into a cache if needed.  Debian builds every point release of a series
# into one package, linux-source-X.Y, and a host can install only one
# version of it, so instead of the installed package this takes the
# version that built KVER (the version of its headers or image package),
# downloads that linux-source-X.Y with `apt-get download`, and keeps the
# tarball inside it.  Building for one kernel never changes the source of
# another.
#
#   src/kernel-source.sh KVER
#
# Environment:
#   KUF_CACHE  the cache (default /var/cache/kvm-userfault when writable,
#              else ~/.cache/kvm-userfault)
#
# Exit status 2 when this is no Debian system, so the caller can look
# elsewhere; 1 with a message when the source cannot be had.
set -eu

me=kernel-source
die() {
	printf '%s: error: %s\n' "$me" "$1" >&2
	shift
	for line in "$@"; do
		printf '%s:        %s\n' "$me" "$line" >&2
	done
	exit 1
}

[ $# -eq 1 ] || die "usage: $0 KVER"
kver=$1
command -v dpkg-query >/dev/null && command -v apt-get >/dev/null || exit 2
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$top/src/patches
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
version=$(kuf_version "$kver") || die "cannot read a version from kernel release '$kver'"
series=${version%.*}

# The Debian version that built KVER: from its installed packages, else
# from apt.  On 7.x, linux-image-KVER is an empty package of the same
# version as the rest.
debver=
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
for p in linux-headers-$kver linux-image-$kver linux-modules-$kver; do
	debver=$(dpkg-query -W -f '${db:Status-Abbrev} ${Version}\n' "$p" 2>/dev/null |
		awk '$1 == "ii" { print $2 }') || true
	[ -z "$debver" ] || break
	debver=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1) || true
	[ -z "$debver" ] || break
done
[ -n "$debver" ] || die "neither dpkg nor apt knows kernel $kver, so its exact source cannot be found" \
	"install its headers (apt-get install linux-headers-$kver), or set KSRC to a $version source tree or tarball"
case $debver in
"$version"-*) ;;
*) die "kernel $kver comes from Debian version $debver, which is not $version" ;;
esac

if [ -z "${KUF_CACHE:-}" ]; then
	if mkdir -p /var/cache/kvm-userfault 2>/dev/null && [ -w /var/cache/kvm-userfault ]; then
		KUF_CACHE=/var/cache/kvm-userfault
	else
		KUF_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/kvm-userfault
	fi
fi
tarball=$KUF_CACHE/sources/linux-source-${series}_$debver.tar.xz
if [ -f "$tarball" ]; then
	echo "$tarball"
	exit 0
fi

pkg=linux-source-$series
# The installed package, when it happens to be the right version.
if [ "$(dpkg-query -W -f '${db:Status-Abbrev} ${Version}' "$pkg" 2>/dev/null)" = "ii  $debver" ] &&
	[ -f "/usr/src/$pkg.tar.xz" ]; then
	echo "/usr/src/$pkg.tar.xz"
	exit 0
fi

mkdir -p "$KUF_CACHE/sources"
tmp=$(mktemp -d "$KUF_CACHE/sources/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "$me: fetching $pkg $debver, the source of kernel $kver (about 150 MB)" >&2
(cd "$tmp" && apt-get download -q "$pkg=$debver") >"$tmp/log" 2>&1 || true
deb=$(find "$tmp" -name '*.deb' | head -n 1)
if [ -z "$deb" ]; then
	die "cannot download $pkg $debver, the exact source of kernel $kver:" \
		"$(grep -E '^(E|W):' "$tmp/log" | head -n 3)" \
		"Debian may no longer serve that version: set KSRC to a $version source tree or tarball" \
		"(Debian's snapshot archive keeps $pkg $debver), or upgrade to a kernel Debian still serves"
fi
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" >"$tmp/src.tar.xz" ||
	die "$deb holds no /usr/src/$pkg.tar.xz"
mv "$tmp/src.tar.xz" "$tarball"
echo "$tarball"
