#!/bin/bash
# Build the .debs, kvm-userfault-dkms and kvm-userfault-dev, into OUTDIR
# (`make deb`: build/packages/).  dpkg-buildpackage runs in a copy of the
# tree under OUTDIR, so nothing is written into the checkout, and the
# copy's debian/changelog is generated from VERSION, the one place the
# version is written.
#
#   pkg/build-deb.sh OUTDIR
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
me=build-deb
die() {
	printf '%s: error: %s\n' "$me" "$*" >&2
	exit 1
}
[ $# -eq 1 ] || die "usage: $0 OUTDIR"
for tool in dpkg-buildpackage dh dh_dkms; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing; apt-get install dpkg-dev debhelper dh-dkms"
done

mkdir -p "$1"
out=$(cd "$1" && pwd)
version=$(cat "$top/VERSION")
work=$out/deb
stage=$work/kvm-userfault-$version
rm -rf "$work"
mkdir -p "$stage"
# Everything but build output and version control; pkg/install.sh picks
# what the packages ship.
tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$stage"

maintainer=$(sed -n 's/^Maintainer: //p' "$top/debian/control")
date=$(date -R -d "@${SOURCE_DATE_EPOCH:-$(stat -c %Y "$top/VERSION")}")
cat >"$stage/debian/changelog" <<CHANGELOG
kvm-userfault ($version) unstable; urgency=medium

  * kvm-userfault $version (generated from VERSION by pkg/build-deb.sh).

 -- $maintainer  $date
CHANGELOG

echo "$me: building kvm-userfault $version in $work"
if ! (cd "$stage" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
	tail -n 25 "$work/build.log" >&2
	die "dpkg-buildpackage failed; the whole log is $work/build.log"
fi
rm -f "$out"/kvm-userfault-dkms_*.deb "$out"/kvm-userfault-dev_*.deb
mv "$work"/kvm-userfault-dkms_*.deb "$work"/kvm-userfault-dev_*.deb "$out/"
# shellcheck disable=SC2012 # file names made here
ls "$out"/kvm-userfault-*_"$version"_*.deb | sed "s/^/$me: /"
