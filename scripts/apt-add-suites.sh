#!/bin/sh
# Add Debian suites to apt (SUITES, e.g. bookworm-backports), reusing the
# mirror URI that the machine's own apt sources name (deb822
# debian.sources or a one-line sources.list), so no mirror is ever
# hard-coded here.
set -eu

out=/etc/apt/sources.list.d/kvm-userfault-suites.sources
suites=${SUITES:?SUITES must name the suites to add}

if [ -e "$out" ] && grep -q "^Suites: $suites\$" "$out"; then
	exit 0
fi
uri=$("$(dirname "$0")/debian-mirror.sh") || {
	echo "apt-add-suites: add '$suites' to apt by hand" >&2
	exit 1
}

echo "apt-add-suites: adding '$suites' to apt (from the mirror this machine uses)"
cat >"$out" <<SRC
Types: deb
URIs: $uri
Suites: $suites
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt-get update -qq
