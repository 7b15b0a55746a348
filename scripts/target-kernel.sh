#!/bin/sh
# Print the kernel release to build and test for when KVER is not given:
# the running kernel when its headers are installed (a lab host), else the
# project's reference kernel.
set -eu
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
else
	exec "$(dirname "$0")/reference-kernel.sh"
fi
