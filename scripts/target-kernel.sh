#!/bin/sh
# Print the kernel release to build and test for when KVER is not given:
# the running kernel when the fork serves it and its headers are installed
# (a lab host), else the reference kernel of this host's Debian release.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$top/src/patches
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
if [ -d "/lib/modules/$(uname -r)/build" ] && ! kuf_unsupported "$(uname -r)" >/dev/null; then
	uname -r
else
	exec "$top/scripts/reference-kernel.sh"
fi
