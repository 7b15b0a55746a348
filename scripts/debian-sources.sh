#!/bin/sh
# Print apt sources (deb822) for Debian release CODENAME as an installed
# system has them: the release, its -updates and -security suites, from
# the mirrors this machine's apt uses (scripts/debian-mirror.sh).  For
# the roots that build-root.sh and check-fresh.sh make.
#
#   scripts/debian-sources.sh CODENAME
set -eu
codename=${1:?usage: $0 CODENAME}
here=$(dirname "$0")
mirror=$("$here/debian-mirror.sh")
security=$("$here/debian-mirror.sh" security 2>/dev/null) || security=
printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' "$mirror" "$codename" "$codename"
printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
if [ -n "$security" ]; then
	printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$security" "$codename"
	printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
fi
