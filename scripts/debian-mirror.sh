#!/bin/sh
# Print the Debian mirror URI this machine's apt uses for its own release
# (deb822 *.sources or one-line *.list), or with "security" the URI of its
# security archive, so that the scripts that add suites or make roots
# never hard-code a mirror.
set -eu
# shellcheck disable=SC1091 # the host's
. /etc/os-release
suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
[ "${1:-}" != security ] || suite=$suite-security
uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v s="$suite" '
	/^[[:space:]]*$/ { uri = ""; suites = "" }
	/^URIs:/ { uri = $2 }
	/^Suites:/ { suites = " " $0 " " }
	uri != "" && index(suites, " " s " ") { print uri; exit }')
[ -n "$uri" ] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	awk -v s="$suite" '$1 == "deb" { u = $2; if ($2 ~ /^\[/) u = $3 } $1 == "deb" && index(" " $0 " ", " " s " ") { print u; exit }')
if [ -z "$uri" ]; then
	echo "debian-mirror: apt lists no '$suite' suite in /etc/apt/sources.list or /etc/apt/sources.list.d/" >&2
	exit 1
fi
echo "$uri"
