#!/bin/sh
# Print the reference kernel release (e.g. 6.12.95+deb12-amd64): the newest
# 6.12 kernel installed with its headers, otherwise the one Debian's
# linux-image-amd64 resolves to in bookworm-backports.
set -eu

series=6.12
suite=bookworm-backports

installed=$(find /lib/modules -mindepth 2 -maxdepth 2 -name build -path "/lib/modules/$series.*" 2>/dev/null |
	sort -V -r | head -n 1)
if [ -n "$installed" ]; then
	basename "$(dirname "$installed")"
	exit 0
fi

if ! command -v apt-cache >/dev/null; then
	echo "reference-kernel: no $series kernel is installed and apt-cache is missing; set KVER" >&2
	exit 1
fi
ver=$(apt-cache madison linux-image-amd64 | awk -F' *[|] *' -v s=" $suite/" 'index($3, s) { print $2; exit }')
if [ -z "$ver" ]; then
	echo "reference-kernel: apt knows no linux-image-amd64 from $suite; run scripts/apt-add-suites.sh (as root) or set KVER" >&2
	exit 1
fi
abi=$(apt-cache show "linux-image-amd64=$ver" | sed -n 's/^Depends:.*\(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
abi=${abi#linux-image-}
case $abi in
"$series".*) ;;
*)
	echo "reference-kernel: linux-image-amd64 $ver in $suite is not a $series kernel ($abi)" >&2
	exit 1
	;;
esac
echo "$abi"
