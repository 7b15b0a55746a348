#!/bin/bash
# DKMS POST_INSTALL: put back the stock KVM modules DKMS archived.
#
# DKMS on Fedora and RHEL, and from 3.2 (Debian 13) on, moves each module
# it replaces out of the kernel's tree into
# /var/lib/dkms/kvm-userfault/original_module/ (Debian 12's DKMS leaves
# it).  A copy back in place keeps the stock modules the ones modprobe
# loads, by /usr/lib/depmod.d/kvm-userfault.conf, until
# `kvm-userfault swap-in`; DKMS moves its own copy back over this one when
# the fork is removed.
#
#   pkg/dkms-keep-stock.sh KVER ARCH STOCK_DIR
#
# STOCK_DIR is dkms.conf's DEST_MODULE_LOCATION.  DKMS_TREE and MODULES_ROOT
# (defaults /var/lib/dkms, /lib/modules) let tests/test-packages.sh run it
# on a scratch tree.
set -eu

[ $# -eq 3 ] || {
	echo "usage: $0 KVER ARCH STOCK_DIR" >&2
	exit 1
}
archive=${DKMS_TREE:-/var/lib/dkms}/kvm-userfault/original_module/$1/$2
target=${MODULES_ROOT:-/lib/modules}/$1/${3#/}

for f in "$archive"/*.ko*; do
	# DKMS 3.2 (Debian 13) records where each came from in NAME.origin.
	case $f in *.origin) continue ;; esac
	[ -f "$f" ] || continue
	[ -e "$target/${f##*/}" ] && continue
	mkdir -p "$target"
	cp -p "$f" "$target/"
	echo "kvm-userfault: kept the stock ${f##*/} in $target (DKMS archived it); 'kvm-userfault swap-in' selects the fork"
done
