#!/bin/bash
# A lab host's kernel upgrades with kvm-userfault-dkms installed, with the
# real apt, dpkg and DKMS of this machine:
#   - install the package on a host with kernel A (KVER): DKMS builds the
#     fork for A;
#   - install kernel B's headers: the fork is built for B by itself, and
#     dkms status shows both;
#   - install kernel C's headers while C's build cannot succeed (its cached
#     source is broken): apt succeeds, dpkg is left clean, the failure is
#     reported and `dkms autoinstall` skips C;
#   - upgrade the package: the fork is rebuilt for A and B;
#   - remove B: A is intact.
# B and C are kernels of this host's Debian release that the fork serves,
# that apt offers and that are not installed.  Prints TAP, and leaves the
# machine as it found it: what it installed is purged.
#
#   tests/test-kernel-lifecycle.sh KVER
# shellcheck source-path=SCRIPTDIR
set -eu
unset MAKEFLAGS MFLAGS MAKELEVEL MAKE_TERMOUT MAKE_TERMERR

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib/tap.sh"
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$top/src/patches
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
# shellcheck disable=SC1091 # the host's
. /etc/os-release
say() { printf '# lifecycle: %s\n' "$*"; }

a=${1:?usage: $0 KVER}
version=$(cat "$top/VERSION")
upgrade=$version.1
logs=${OUT_DIR:-$(mktemp -d /tmp/test-kernel-lifecycle.XXXXXX)}
cache=/var/cache/kvm-userfault/sources
mkdir -p "$logs" "$cache"
say "logs in $logs"

why=
[ "$(id -u)" = 0 ] || why="must run as root"
[ -d "/lib/modules/$a/build" ] || why="kernel $a's headers are not installed"
if dpkg-query -W -f '${db:Status-Status}' kvm-userfault-dkms 2>/dev/null | grep -qv not-installed; then
	why="kvm-userfault-dkms is installed already; purge it first"
fi
# Newest first: B, then C.
mapfile -t others < <(apt-cache pkgnames linux-headers- |
	sed -n "s/^linux-headers-\\(.*+deb${VERSION_ID:-}-amd64\\)\$/\\1/p" | sort -V -r |
	while read -r k; do
		[ "$k" != "$a" ] && [ ! -e "/lib/modules/$k" ] && ! kuf_unsupported "$k" >/dev/null && echo "$k"
	done | head -n 2)
[ ${#others[@]} = 2 ] || why="apt offers fewer than two other kernels the fork serves for Debian ${VERSION_ID:-?} that are not installed"
if [ -n "$why" ]; then
	tap_result 1 "preconditions" "$why"
	exit 1
fi
b=${others[0]} c=${others[1]}
c_ver=$(apt-cache show --no-all-versions "linux-headers-$c" | sed -n 's/^Version: //p')
c_src=$cache/linux-source-$(kuf_version "$c" | cut -d. -f1,2)_$c_ver.tar.xz
say "kernel A $a, B $b, C $c"

cleanup() {
	set +e
	dpkg --purge kvm-userfault-dkms kvm-userfault-dev >>"$logs/cleanup.log" 2>&1
	if [ -s "$logs/added" ]; then
		say "purging what it installed:$(cat "$logs/added")"
		# shellcheck disable=SC2046 # a package list
		apt-get purge -y $(cat "$logs/added") >>"$logs/cleanup.log" 2>&1
	fi
	rm -f "/var/lib/kvm-userfault/failed-builds/$c"
	if [ -f "$c_src.lifecycle" ]; then
		mv -f "$c_src.lifecycle" "$c_src"
	elif [ -f "$logs/broken" ]; then
		rm -f "$c_src"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# dpkg_clean: no package half-installed or half-configured.
dpkg_clean() {
	local audit
	audit=$(dpkg --audit 2>&1)
	[ -z "$audit" ] || {
		echo "$audit"
		return 1
	}
}
# fork_for VERSION KVER: DKMS installed the fork VERSION for KVER.
fork_for() {
	local f
	dkms status -m kvm-userfault -v "$1" -k "$2" | grep -q ': installed' || {
		dkms status -m kvm-userfault
		return 1
	}
	f=$(ls "/lib/modules/$2/updates/dkms/kvm.ko"*) && [ "$(modinfo -F kvm_userfault "$f")" = "$1" ]
}
# apt_ NAME LOG ARGS...: apt-get, noting what it installs for cleanup.
apt_install() {
	local log=$1
	shift
	apt-get install -s --no-install-recommends "$@" | awk '$1 == "Inst" && $3 !~ /^\[/ { printf " %s", $2 }' >>"$logs/added"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >"$log" 2>&1
}

say "building the packages, $version and $upgrade"
expect_ok "make deb builds $version" make -C "$top" --no-print-directory deb
mkdir -p "$logs/up"
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$logs/up")
echo "$upgrade" >"$logs/up/VERSION"
expect_ok "and a copy with VERSION $upgrade builds $upgrade" "$logs/up/pkg/build-deb.sh" "$logs/up/build/packages"

say "installing $version with kernel A, $a (about 2 minutes)"
expect_ok "dpkg -i installs $version; DKMS builds the fork for A" \
	sh -c "dpkg -i '$top/build/packages/kvm-userfault-dkms_${version}_amd64.deb' \
		'$top/build/packages/kvm-userfault-dev_${version}_all.deb' >'$logs/install.log' 2>&1"
expect_ok "dkms status: $version installed for A, $a" fork_for "$version" "$a"

say "installing kernel B's headers, $b (about 2 minutes)"
expect_ok "apt-get install linux-headers-$b succeeds" apt_install "$logs/b.log" "linux-headers-$b"
expect_ok "the fork is built for B by itself" fork_for "$version" "$b"
expect_ok "dkms status shows A and B" fork_for "$version" "$a"
expect_ok "dpkg is left clean" dpkg_clean

say "installing kernel C's headers, $c, with a broken source for it"
[ ! -f "$c_src" ] || mv "$c_src" "$c_src.lifecycle"
echo "not a tarball" >"$c_src"
touch "$logs/broken"
expect_ok "apt-get install linux-headers-$c succeeds although C's build fails" apt_install "$logs/c.log" "linux-headers-$c"
expect_ok "the failure is reported, with the log and how to try again" \
	grep -q "building the fork for kernel $c failed" "$logs/c.log"
expect_ok "dpkg is left clean" dpkg_clean
expect_ok "dkms autoinstall for C skips it and succeeds" \
	sh -c "dkms autoinstall -k '$c' 2>&1 | tee '$logs/c-autoinstall.log' | grep -q 'its last build failed'"
expect_ok "apt-get purge linux-headers-$c succeeds" \
	sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y 'linux-headers-$c' >'$logs/c-purge.log' 2>&1"

say "upgrading to $upgrade (about 4 minutes)"
expect_ok "dpkg -i upgrades to $upgrade" \
	sh -c "dpkg -i '$logs/up/build/packages/kvm-userfault-dkms_${upgrade}_amd64.deb' \
		'$logs/up/build/packages/kvm-userfault-dev_${upgrade}_all.deb' >'$logs/upgrade.log' 2>&1"
expect_ok "the fork $upgrade is built for A" fork_for "$upgrade" "$a"
expect_ok "the fork $upgrade is built for B" fork_for "$upgrade" "$b"
expect_ok "dpkg is left clean" dpkg_clean

expect_ok "apt-get purge linux-headers-$b succeeds" \
	sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y 'linux-headers-$b' >'$logs/b-purge.log' 2>&1"
expect_ok "A is intact: the fork $upgrade for A" fork_for "$upgrade" "$a"
expect_ok "dpkg is left clean" dpkg_clean
expect_ok "dpkg --purge removes the package and its record of failed builds" \
	sh -c "dpkg --purge kvm-userfault-dkms kvm-userfault-dev >'$logs/purge.log' 2>&1 && [ ! -e /var/lib/kvm-userfault ]"
tap_finish
