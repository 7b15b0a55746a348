#!/bin/sh
# Run a command for kernel KVER where that kernel's kbuild tools run: on
# this host for a kernel of its own Debian release, else inside the build
# root of KVER's release (scripts/build-root.sh), with this checkout and
# the source cache mounted at the same paths, so the command's paths and
# output are the same either way.
#
#   scripts/in-build-root.sh KVER COMMAND [ARG...]
set -eu
[ $# -ge 2 ] || {
	echo "usage: $0 KVER COMMAND [ARG...]" >&2
	exit 1
}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
kver=$1
shift
root=$("$here/build-root.sh" "$kver")
[ -n "$root" ] || exec "$@"

cache=${KUF_CACHE:-/var/cache/kvm-userfault}
mkdir -p "$cache/sources" "$root$top" "$root$cache/sources"
# shellcheck disable=SC2016 # for the inner sh
exec unshare -m sh -c '
	root=$1 top=$2 sources=$3
	shift 3
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --bind "$top" "$root$top"
	mount --bind "$sources" "$root$sources"
	cd "$top"
	exec chroot "$root" sh -c "cd \"\$0\" && exec \"\$@\"" "$top" "$@"
' - "$root" "$top" "$cache/sources" "$@"
