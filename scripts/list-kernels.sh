#!/bin/sh
# List, oldest first, every kernel of a Debian release that the fork
# serves and that Debian offers today (amd64 flavour): the linux-headers
# packages apt knows, on this host for its own release, else in the build
# root of that release (scripts/build-root.sh).  Never a list kept in the
# repo: new point releases come every few weeks.
#
#   scripts/list-kernels.sh [NN]     (default: this host's Debian release)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$top/src/patches
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
# shellcheck disable=SC1091 # the host's
. /etc/os-release
rel=${1:-${VERSION_ID:-}}
if [ "$rel" = "${VERSION_ID:-}" ]; then
	names=$(apt-cache pkgnames linux-headers-)
else
	root=$("$here/build-root.sh" "deb$rel")
	names=$(chroot "$root" apt-cache pkgnames linux-headers-)
fi
printf '%s\n' "$names" | sed -n "s/^linux-headers-\\(.*+deb$rel-amd64\\)\$/\\1/p" | sort -V |
	while read -r k; do
		kuf_unsupported "$k" >/dev/null || echo "$k"
	done
