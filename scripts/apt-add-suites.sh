#!/bin/sh
# Add the Debian suites that carry newer kernels (bookworm-backports, and
# trixie for 6.18 and later) to apt, reusing the mirror URIs the machine's
# own debian.sources already names, so no mirror is ever hard-coded here.
set -eu

src=/etc/apt/sources.list.d/debian.sources
out=/etc/apt/sources.list.d/kvm-userfault-suites.sources
suites=${SUITES:-bookworm-backports}

if [ -e "$out" ] && grep -q "^Suites: $suites\$" "$out"; then
	exit 0
fi
if [ ! -r "$src" ]; then
	echo "apt-add-suites: $src not found; add '$suites' to your apt sources by hand" >&2
	exit 1
fi
uri=$(awk '/^URIs:/ { print $2; exit }' "$src")
if [ -z "$uri" ]; then
	echo "apt-add-suites: no 'URIs:' line in $src; add '$suites' by hand" >&2
	exit 1
fi

echo "apt-add-suites: adding '$suites' to apt (from the mirror in $src)"
cat >"$out" <<SRC
Types: deb
URIs: $uri
Suites: $suites
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt-get update -qq
