#!/bin/bash
# `make check-fresh`: what a new user meets.  For each of Debian 13 and 12,
# debootstrap a bare root (minbase with git and make, apt sources as an
# installed system has them), clone this checkout's HEAD into it, and run
# the README's two commands there: `make demo`, then `make check`.  A
# development machine has long installed whatever a step forgot to; a bare
# root has not.  Prints TAP and "N passed, N failed"; each release takes
# about as long as make check on a new machine (an hour under TCG).
#
#   tests/check-fresh.sh
#
# Environment: FRESH_RELEASES (default "trixie bookworm"), FRESH_TARGETS
# (default "demo check", the make targets to run in that order).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/tap.sh"
cache=${KUF_CACHE:-/var/cache/kvm-userfault}/fresh
mirror=$("$top/scripts/debian-mirror.sh")
[ "$(id -u)" = 0 ] || {
	echo "check-fresh: must run as root (debootstrap, chroot)" >&2
	exit 1
}
command -v debootstrap >/dev/null || {
	echo "check-fresh: debootstrap is missing: apt-get install debootstrap" >&2
	exit 1
}

# in_fresh ROOT COMMAND: COMMAND in ROOT, as a root shell on that system.
# ROOT is bind-mounted on itself so that its / is a mount point, as on a
# real system: unshare -m inside (build roots, tests) needs one.
in_fresh() {
	# shellcheck disable=SC2016 # for the inner sh
	unshare -m --propagation private sh -c '
		mount --bind "$1" "$1" &&
		mount -t proc proc "$1/proc" && mount -t sysfs sys "$1/sys" &&
		mount --rbind /dev "$1/dev" && mount -t tmpfs tmp "$1/tmp" &&
		exec chroot "$1" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 sh -c "$2"
	' - "$1" "$2"
}

for codename in ${FRESH_RELEASES:-trixie bookworm}; do
	root=$cache/$codename
	log=$cache/$codename.log
	echo "# check-fresh: a bare $codename in $root (debootstrap, about 3 minutes)"
	rm -rf "$root"
	mkdir -p "$cache"
	if ! debootstrap --variant=minbase --include=git,make,ca-certificates "$codename" "$root" "$mirror" >"$log" 2>&1; then
		tap_result 1 "debootstrap $codename" "$(tail -n 5 "$log")"
		continue
	fi
	"$top/scripts/debian-sources.sh" "$codename" >"$root/etc/apt/sources.list.d/debian.sources"
	rm -f "$root/etc/apt/sources.list"
	git clone -q "$top" "$root/root/kvm-userfault"
	for target in ${FRESH_TARGETS:-demo check}; do
		cmd="make $target"
		echo "# check-fresh: $codename: $cmd (log: $log)"
		rc=0
		in_fresh "$root" "cd /root/kvm-userfault && $cmd" >>"$log" 2>&1 || rc=$?
		tap_result "$rc" "$codename: $cmd" "$(tail -n 3 "$log")"
		[ "$rc" = 0 ] || break
	done
	grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | sed "s/^/# $codename: make check: /"
done
tap_summary
tap_finish
