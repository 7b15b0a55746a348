#!/bin/bash
# Build the RPMs, kvm-userfault-dkms and kvm-userfault-devel, into OUTDIR
# (`make rpm`: build/packages/), with rpmbuild's tree under OUTDIR/rpm so
# that nothing is written into the checkout or ~/rpmbuild.  As for the
# .debs, the version comes from VERSION and the maintainer from
# debian/control, each written only there, and the changelog entry is
# generated.
#
#   pkg/build-rpm.sh OUTDIR
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
me=build-rpm
die() {
	printf '%s: error: %s\n' "$me" "$*" >&2
	exit 1
}
[ $# -eq 1 ] || die "usage: $0 OUTDIR"
command -v rpmbuild >/dev/null || die "rpmbuild is missing; install rpm-build (Fedora, RHEL) or rpm (Debian)"

mkdir -p "$1"
out=$(cd "$1" && pwd)
version=$(cat "$top/VERSION")
work=$out/rpm
rm -rf "$work"
mkdir -p "$work/SOURCES"
# Source0: the tree without build output and version control.
tar -C "$top" --exclude=./build --exclude=./.git --transform "s,^\\.,kvm-userfault-$version," \
	-czf "$work/SOURCES/kvm-userfault-$version.tar.gz" .

maintainer=$(sed -n 's/^Maintainer: //p' "$top/debian/control")
date=$(LC_ALL=C date -d "@${SOURCE_DATE_EPOCH:-$(stat -c %Y "$top/VERSION")}" '+%a %b %d %Y')
spec=$work/kvm-userfault.spec
cp "$top/rpm/kvm-userfault.spec" "$spec"
cat >>"$spec" <<CHANGELOG

%changelog
* $date $maintainer - $version-1
- kvm-userfault $version (generated from VERSION by pkg/build-rpm.sh)
CHANGELOG

# Where rpm itself is no package (Debian), rpm's database is empty and
# cannot vouch for BuildRequires: dpkg has them checked instead.
nodeps=
rpm -q rpm >/dev/null 2>&1 || nodeps=--nodeps
echo "$me: building kvm-userfault $version in $work"
if ! rpmbuild -bb $nodeps --define "_topdir $work" --define "kvm_userfault_version $version" \
	--define "packager $maintainer" "$spec" >"$work/build.log" 2>&1; then
	tail -n 25 "$work/build.log" >&2
	die "rpmbuild failed; the whole log is $work/build.log"
fi
rm -f "$out"/kvm-userfault-dkms-*.rpm "$out"/kvm-userfault-devel-*.rpm
mv "$work"/RPMS/*/kvm-userfault-dkms-*.rpm "$work"/RPMS/*/kvm-userfault-devel-*.rpm "$out/"
# shellcheck disable=SC2012 # file names made here
ls "$out"/kvm-userfault-*-"$version"-*.rpm | sed "s/^/$me: /"
