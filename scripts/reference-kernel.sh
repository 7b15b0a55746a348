#!/bin/sh
# Print the reference kernel release of a Debian release (default: this
# host's): the newest kernel it offers that the fork serves, e.g.
# 6.12.117+deb12-amd64 on Debian 12 (scripts/list-kernels.sh).  Without
# apt lists, the newest such kernel installed with its headers.
#
#   scripts/reference-kernel.sh [NN]
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

k=$("$here/list-kernels.sh" "$rel" 2>/dev/null | tail -n 1) || k=
if [ -z "$k" ] && [ "$rel" = "${VERSION_ID:-}" ]; then
	k=$(find /lib/modules -mindepth 2 -maxdepth 2 -name build 2>/dev/null | cut -d/ -f4 | sort -V |
		while read -r i; do
			kuf_unsupported "$i" >/dev/null || echo "$i"
		done | tail -n 1)
fi
if [ -z "$k" ]; then
	echo "reference-kernel: Debian $rel offers no kernel kvm-userfault serves ($(kuf_supported_range));" \
		"run 'apt-get update' (as root), or set KVER" >&2
	exit 1
fi
echo "$k"
