#!/bin/bash
# End-to-end test of the packages, on this machine and in a VM:
#   - `make deb`, lintian, and what the .debs contain;
#   - dpkg -i: the DKMS maintainer script builds the fork for KVER and
#     installs it, signed with DKMS' key, while modprobe keeps loading the
#     stock modules;
#   - dkms.conf's series gate (exit 77), and a kernel without KVM sources;
#   - KVER booted in QEMU with the installed module tree, where
#     tests/guest/swap-tool.sh runs kvm-userfault;
#   - dpkg --purge, after which the stock modules are in charge again;
#   - `make rpm`, rpmlint, and the RPMs' files and scriptlets;
#   - rpm -i, dkms install for KVER and rpm -e, with rpm's own database.
# Prints TAP.  It leaves the machine as it found it, on failure too: the
# packages are purged and a DKMS signing key made for them is removed.
#
#   tests/test-packages.sh KVER
#
# Needs root, and kernel KVER with its headers; its source is fetched.
# Environment: OUT_DIR (logs; default a new /tmp/test-packages.XXXXXX),
# TIMEOUT (seconds the VM may run, default 900), ACCEL, VM_MEM, VM_CPUS as
# for tests/vm-test.sh.
# shellcheck source-path=SCRIPTDIR
set -eu
# Run by make check, but dpkg, DKMS and its make must see what an admin's
# shell would: no jobserver or flags of the make above.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKE_TERMOUT MAKE_TERMERR
shopt -s extglob

me=test-packages
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
say() { printf '# %s: %s\n' "$me" "$*"; }
die() {
	printf '%s: error: %s\n' "$me" "$*" >&2
	exit 1
}
. "$here/lib/tap.sh"

[ $# -eq 1 ] || die "usage: $0 KVER"
KVER=$1
kver=$KVER
version=$(cat "$top/VERSION")
# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=$top/src/patches
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
pkgs=$top/build/packages
moddir=/lib/modules/$kver
stock_dir=$moddir/kernel/arch/x86/kvm
mok=/var/lib/dkms/mok.key
logs=${OUT_DIR:-$(mktemp -d /tmp/test-packages.XXXXXX)}
mkdir -p "$logs"
say "logs in $logs"

. "$here/lib/initramfs.sh"
. "$here/lib/qemu.sh"

# What the test changes on this machine must be possible to undo.
need=
for tool in dpkg-buildpackage dh_dkms lintian rpmbuild rpmlint dkms gcc pkg-config openssl unshare qemu-system-x86_64 busybox; do
	command -v "$tool" >/dev/null || need="$need $tool"
done
why=
[ "$(id -u)" = 0 ] || why="must run as root (it installs and purges the packages)"
[ -z "$need" ] || why="missing$need: apt-get install debhelper dh-dkms dkms lintian rpm rpmlint gcc pkg-config openssl util-linux qemu-system-x86 busybox-static"
[ -f "/boot/vmlinuz-$kver" ] && [ -d "$moddir/build" ] || why="kernel $kver and its headers are not installed"
if dpkg-query -W -f '${db:Status-Status}' kvm-userfault-dkms kvm-userfault-dev 2>/dev/null | grep -qv not-installed; then
	why="kvm-userfault-dkms or -dev is installed already; purge them first, so the test can leave the machine as it found it"
fi
if [ -n "$why" ]; then
	tap_result 1 "preconditions" "$why"
	exit 1
fi

had_mok=0
[ -f "$mok" ] && had_mok=1
sha_stock=$(cd "$stock_dir" && sha256sum kvm*.ko*)
cleanup() {
	set +e
	if dpkg-query -W -f '${db:Status-Status}' kvm-userfault-dkms kvm-userfault-dev 2>/dev/null | grep -qv not-installed; then
		echo "# $me: purging the packages"
		dpkg --purge kvm-userfault-dkms kvm-userfault-dev >>"$logs/cleanup.log" 2>&1
	fi
	if [ -n "${rpmdb:-}" ] && rpm --dbpath "$rpmdb" -q kvm-userfault-dkms >/dev/null 2>&1; then
		echo "# $me: erasing the RPMs"
		rpm --dbpath "$rpmdb" --nodeps -e kvm-userfault-dkms kvm-userfault-devel >>"$logs/cleanup.log" 2>&1
	fi
	# The key DKMS made for signing this test's build.
	[ $had_mok = 1 ] || rm -f "$mok" /var/lib/dkms/mok.pub
	if [ -s "$logs/added-headers" ]; then
		echo "# $me: purging the headers it installed:$(cat "$logs/added-headers")"
		# shellcheck disable=SC2046 # a package list
		apt-get purge -y $(cat "$logs/added-headers") >>"$logs/cleanup.log" 2>&1
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# stock_selected: modprobe resolves each KVM module to the stock file.
stock_selected() {
	local m path
	for m in kvm kvm-amd kvm-intel; do
		path=$(modinfo -k "$kver" -n "$m")
		case $path in
		"$stock_dir"/*) ;;
		*)
			echo "modprobe would load $m from $path"
			return 1
			;;
		esac
	done
}

# files PACKAGE: the regular files and links a .deb or .rpm holds, as
# both formats can hold the same: without docs, build-id links and the
# man page compression, which each distribution decides for itself.
files() {
	case $1 in
	*.deb) dpkg-deb -c "$1" | awk '$1 ~ /^[-l]/ { print $6 }' | sed 's,^\./,/,' ;;
	*.rpm) rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$1" | awk '$1 ~ /^[-l]/ { print $2 }' ;;
	esac | grep -vE '^/usr/share/doc/|^/usr/lib/\.build-id/' | sed 's,\(/man/.*\)\.\(gz\|bz2\|xz\)$,\1,' | sort
}

# --- the .debs -------------------------------------------------------------
start=$SECONDS
expect_ok "make deb builds kvm-userfault-dkms and kvm-userfault-dev" \
	make -C "$top" --no-print-directory KVER="$kver" deb
say "make deb took $((SECONDS - start)) s"
dkms_deb=$pkgs/kvm-userfault-dkms_${version}_amd64.deb
dev_deb=$pkgs/kvm-userfault-dev_${version}_all.deb
if [ ! -f "$dkms_deb" ] || [ ! -f "$dev_deb" ]; then
	die "make deb made no $dkms_deb and $dev_deb"
fi

lint=$(lintian "$dkms_deb" "$dev_deb" 2>&1 | grep -v 'running with root privileges') || true
tap_result "$(grep -c '^E: ' <<<"$lint" || true)" "lintian reports no errors" "$lint"
[ -z "$lint" ] || awk '{ print "#   " $0 }' <<<"$lint"

# The DKMS tree holds what building needs and nothing of tests/ or build/,
# and dkms.conf got the version and the series from VERSION and src/patches.
deb_tree() {
	local list regex
	list=$(files "$dkms_deb" | grep "^/usr/src/kvm-userfault-$version/")
	for f in dkms.conf Makefile Kbuild VERSION src/assemble.sh src/abi-guard.sh src/fork-info.c \
		src/kernels.sh src/kernel-source.sh include/uapi/linux/kvm_userfault.h pkg/dkms-keep-stock.sh; do
		grep -qx "/usr/src/kvm-userfault-$version/$f" <<<"$list" || {
			echo "no $f in the DKMS tree"
			return 1
		}
	done
	if grep -E "/(tests|build|debian|rpm|tools|scripts|docs)/" <<<"$list"; then
		echo "the DKMS tree holds more than the build needs"
		return 1
	fi
	regex=$(kuf_exclusive_regex)
	dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xOf - "./usr/src/kvm-userfault-$version/dkms.conf" >"$logs/dkms.conf"
	if ! grep -qxF "PACKAGE_VERSION=\"$version\"" "$logs/dkms.conf" ||
		! grep -qxF "BUILD_EXCLUSIVE_KERNEL=\"$regex\"" "$logs/dkms.conf"; then
		echo "dkms.conf lacks PACKAGE_VERSION=\"$version\" or BUILD_EXCLUSIVE_KERNEL=\"$regex\""
		return 1
	fi
}
expect_ok "kvm-userfault-dkms holds the DKMS tree with the version and series filled in, nothing else of the checkout" deb_tree
hooks() {
	local d f
	for d in header_postinst.d postinst.d; do
		f=/etc/kernel/$d/00-kvm-userfault
		files "$dkms_deb" | grep -qx "$f" || {
			echo "no $f"
			return 1
		}
		dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xOf - ".$f" | grep -qxF "version=\"$version\"" || {
			echo "$f does not name version $version"
			return 1
		}
	done
}
expect_ok "kvm-userfault-dkms has kernel hooks that run before DKMS' own, for version $version" hooks

# --- dpkg -i: DKMS builds and installs the fork -------------------------------
start=$SECONDS
rc=0
dpkg -i "$dkms_deb" "$dev_deb" >"$logs/dpkg-install.log" 2>&1 || rc=$?
took=$((SECONDS - start))
tap_result $rc "dpkg -i installs both packages; DKMS builds the fork in the postinst ($took s)" \
	"$(tail -n 20 "$logs/dpkg-install.log")"
say "dpkg -i took $took s"
expect_ok "dkms status: kvm-userfault $version installed for $kver" \
	sh -c "dkms status -m kvm-userfault -v '$version' -k '$kver' | grep -q ': installed'"

installed_fork() {
	local m f
	for m in kvm kvm-amd kvm-intel; do
		f=$(ls "$moddir/updates/dkms/$m.ko"*) || return 1
		if [ "$(modinfo -F kvm_userfault "$f")" != "$version" ] ||
			[ "$(modinfo -F vermagic "$f" | cut -d' ' -f1)" != "$kver" ]; then
			echo "$f: kvm_userfault '$(modinfo -F kvm_userfault "$f")', vermagic $(modinfo -F vermagic "$f")"
			return 1
		fi
	done
}
expect_ok "the fork is in updates/dkms, marked kvm_userfault=$version, for $kver" installed_fork

# DKMS signs with /var/lib/dkms/mok.key, making it if missing; the module's
# signature names that certificate's serial number.
signed() {
	local f signer key serial
	f=$(ls "$moddir/updates/dkms/kvm.ko"*)
	signer=$(modinfo -F signer "$f")
	key=$(modinfo -F sig_key "$f" | tr -d ':')
	serial=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -serial | cut -d= -f2)
	echo "signer: $signer, sig_key: $key, mok.pub serial: $serial"
	key=${key^^} serial=${serial^^}
	[ "$signer" = "DKMS module signing key" ] && [ "${key##*(0)}" = "${serial##*(0)}" ]
}
expect_ok "the installed modules are signed with DKMS' key, /var/lib/dkms/mok.pub" signed
modinfo "$(ls "$moddir/updates/dkms/kvm.ko"*)" | grep -E '^(filename|version|kvm_userfault|vermagic|signer|sig_key|sig_hashalgo):' |
	sed 's/^/#   /'
expect_ok "installing selects nothing: modprobe still loads the stock kvm, kvm-amd, kvm-intel" stock_selected

uapi_dev() {
	local prog=$logs/uapi
	printf '%s\n' '#include <linux/kvm.h>' '#include <linux/kvm_userfault.h>' \
		'int main(void) { return KVM_CAP_KUF_USERFAULT == 0; }' >"$prog.c"
	[ "$(pkg-config --modversion kvm-userfault)" = "$version" ] || return 1
	# shellcheck disable=SC2046 # compiler flags
	gcc -Wall -Werror $(pkg-config --cflags kvm-userfault) -o "$prog" "$prog.c" && "$prog"
}
expect_ok "kvm-userfault-dev: pkg-config --cflags kvm-userfault finds <linux/kvm_userfault.h> beside <linux/kvm.h>" uapi_dev

# Headers of a kernel the fork does not serve, such as Debian 12's own 6.1:
# configuring them runs DKMS' kernel hook, `dkms autoinstall`, which must
# skip the fork and succeed (DKMS 3.0.10 fails it unless dkms.conf opts
# out itself).  Debian 13 offers no such kernel in its own suites.
other_pkg=$(apt-cache pkgnames linux-headers- | sed -n 's/^\(linux-headers-[0-9.]*-[0-9]*-amd64\)$/\1/p; s/^\(linux-headers-[0-9.]*+deb[0-9]*-amd64\)$/\1/p' |
	sort -V | while read -r p; do kuf_unsupported "${p#linux-headers-}" >/dev/null && echo "$p"; done | tail -n 1)
other_series() {
	local k=${other_pkg#linux-headers-} rc=0 log=$logs/other-headers.log
	if [ -d "/lib/modules/$k/build" ]; then
		echo "linux-headers-$k is installed already: running DKMS' hook for it"
		/etc/kernel/header_postinst.d/dkms "$k" >"$log" 2>&1 || rc=$?
	else
		echo "installing $other_pkg, whose configuration runs DKMS' hook"
		# What it pulls in, for cleanup() to purge.
		apt-get install -s --no-install-recommends "$other_pkg" | awk '$1 == "Inst" && $3 !~ /^\[/ { printf " %s", $2 }' >"$logs/added-headers"
		apt-get install -y --no-install-recommends "$other_pkg" >"$log" 2>&1 || rc=$?
	fi
	grep -v '^readelf: Warning' "$log" | tail -n 15
	[ $rc = 0 ] && grep -q "kvm-userfault: not building for kernel $k" "$log" &&
		! dkms status -m kvm-userfault -k "$k" 2>/dev/null | grep -F "$k"
}
if [ -n "$other_pkg" ]; then
	expect_ok "configuring $other_pkg succeeds; dkms autoinstall skips the fork for it" other_series
else
	tap_result 0 "configuring a kernel the fork does not serve # SKIP apt offers none here"
fi

# And for a kernel of the series, the same hook builds the fork again: what
# happens when a lab host gets a new 6.12 kernel.
same_series() {
	local log=$logs/hook-same-series.log
	dkms unbuild -m kvm-userfault -v "$version" -k "$kver" >/dev/null 2>&1 || true
	if ls "$moddir"/updates/dkms/kvm.ko* >/dev/null 2>&1; then
		echo "dkms unbuild left the fork installed"
		return 1
	fi
	/etc/kernel/header_postinst.d/dkms "$kver" >"$log" 2>&1 || {
		grep -v '^readelf: Warning' "$log" | tail -n 15
		return 1
	}
	dkms status -m kvm-userfault -v "$version" -k "$kver" | grep -q ': installed' && installed_fork
}
say "rebuilding through DKMS' kernel hook (about 50 s)"
expect_ok "DKMS' kernel hook (dkms autoinstall) rebuilds the fork for $kver after dkms unbuild" same_series

# dkms.conf's behaviour, in a DKMS tree of its own.
scratch=$logs/dkms-tree
mkdir -p "$scratch"
dkms --dkmstree "$scratch" add -m kvm-userfault -v "$version" >/dev/null
# skipped KVER: dkms build exits 77 for KVER and says why.
skipped() {
	local console rc=0
	console=$(dkms --dkmstree "$scratch" build -m kvm-userfault -v "$version" -k "$1" 2>&1) || rc=$?
	echo "$console"
	echo "(exit $rc)"
	# DKMS 3.2 wraps the sentence over lines.
	[ $rc = 77 ] && tr -s ' \n' '  ' <<<"$console" | grep -q 'BUILD_EXCLUSIVE directive which does not match' &&
		grep -q "kvm-userfault: .*kvm-userfault serves $(kuf_supported_range)" <<<"$console"
}
for k in 5.10.0-30-amd64 6.18.1-1-amd64 "$(kuf_series_list | head -n 1).1-1-amd64"; do
	expect_ok "dkms build for kernel $k, which the fork does not serve, is skipped with exit 77, naming the range" skipped "$k"
done
# A kernel whose exact source Debian no longer serves: the cache, apt's
# package lists and any installed linux-source tarball are hidden, in a
# mount namespace of this command only.
no_source() {
	local log=$scratch/kvm-userfault/$version/build/make.log console empty=$logs/empty
	mkdir -p "$empty"
	# shellcheck disable=SC2016 # for the inner shell
	console=$(unshare -m --propagation private sh -c '
		mkdir -p /var/cache/kvm-userfault/sources
		for d in /var/cache/kvm-userfault/sources /var/lib/apt/lists; do mount --bind "$4" "$d"; done
		for t in /usr/src/linux-source-*.tar.*; do [ ! -e "$t" ] || mount --bind /dev/null "$t"; done
		dkms --dkmstree "$1" build -m kvm-userfault -v "$2" -k "$3"' sh "$scratch" "$version" "$kver" "$empty" 2>&1) && {
		echo "the build succeeded without sources"
		return 1
	}
	echo "$console"
	# DKMS 3.0 (Debian 12) shows PRE_BUILD's output on the console too;
	# 3.2 (Debian 13) keeps it in make.log, which the console names.
	grep -q 'cannot download linux-source-' "$log" && grep -q 'set KSRC' "$log" &&
		grep -q "Consult $log" <<<"$console" &&
		{ grep -q 'Running the pre_build script' <<<"$console" ||
			{ grep -q 'cannot download linux-source-' <<<"$console" && grep -q 'set KSRC' <<<"$console"; }; }
}
expect_ok "without its exact source the build fails, naming the linux-source version and KSRC in make.log, which the console names" no_source

# DKMS on Fedora and RHEL archives the stock modules; POST_INSTALL puts
# copies back.  A scratch tree stands in for /var/lib/dkms and /lib/modules.
keep_stock() {
	local t=$logs/keep-stock
	mkdir -p "$t/dkms/kvm-userfault/original_module/$kver/x86_64" "$t/modules/$kver/kernel/arch/x86/kvm"
	cp "$stock_dir"/kvm*.ko* "$t/dkms/kvm-userfault/original_module/$kver/x86_64/"
	DKMS_TREE=$t/dkms MODULES_ROOT=$t/modules "/usr/src/kvm-userfault-$version/pkg/dkms-keep-stock.sh" \
		"$kver" x86_64 /kernel/arch/x86/kvm &&
		cmp "$stock_dir/kvm.ko.xz" "$t/modules/$kver/kernel/arch/x86/kvm/kvm.ko.xz" &&
		[ "$(find "$t/modules" -name 'kvm*.ko*' | wc -l)" = 3 ]
}
expect_ok "dkms.conf's POST_INSTALL puts back stock modules DKMS archived (scratch tree)" keep_stock

# --- the VM: kvm-userfault on the installed module tree -----------------------
vm_test() {
	local root=$logs/root tool start status=0 line
	say "building the initramfs"
	initramfs_stage "$root"
	initramfs_add_program "$root" /usr/bin/kmod /usr/bin/bash /usr/bin/flock \
		/usr/libexec/kvm-userfault/kvm-userfault-probe
	for tool in depmod insmod lsmod modinfo modprobe rmmod; do
		ln -s /usr/bin/kmod "$root/usr/sbin/$tool"
	done
	ln -s /usr/bin/bash "$root/bin/bash"
	install -D /usr/sbin/kvm-userfault "$root/usr/sbin/kvm-userfault"
	install -D -m 644 /usr/lib/depmod.d/kvm-userfault.conf "$root/usr/lib/depmod.d/kvm-userfault.conf"
	gcc -static -O2 -Wall -Werror -o "$root/guest/hold-vm" "$here/guest/hold-vm.c"
	# The installed tree, as far as kvm-amd, kvm-intel and kvmgt (which
	# imports kvm.ko's symbols) need it, the fork, and the index files.
	mkdir -p "$root/usr/lib/modules/$kver"
	(
		cd "$moddir"
		mods=$(for m in kvm_amd kvm_intel kvmgt; do modprobe -S "$kver" --show-depends "$m"; done |
			awk -v dir="$moddir/" '$1 == "insmod" { print substr($2, length(dir) + 1) }' | sort -u)
		# shellcheck disable=SC2086 # file lists
		cp --parents modules.* $mods updates/dkms/* "$root/usr/lib/modules/$kver/"
	) || die "copying $moddir into the initramfs failed"
	initramfs_pack "$root" "$logs/initramfs.img"
	say "initramfs: $(du -h "$logs/initramfs.img" | cut -f1)"

	start=$SECONDS
	qemu_boot "swap-tool" "$logs/initramfs.img" "kvmtest.job=swap-tool kvmtest.version=$version" \
		"$logs/vm" "${TIMEOUT:-900}" || status=$?
	say "the VM took $((SECONDS - start)) s"
	[ -f "$logs/vm.results" ] || : >"$logs/vm.results"
	# The guest numbers from 1: carry on this script's count.
	while IFS= read -r line; do
		case $line in
		"not ok "*) tap_failed=$((tap_failed + 1)) ;;&
		"ok "* | "not ok "*)
			tap_n=$((tap_n + 1))
			sed -E "s/^(not )?ok [0-9]+ - /\\1ok $tap_n - vm: /" <<<"$line"
			;;
		"#   "*) echo "$line" ;;
		esac
	done <"$logs/vm.results"
	[ "$status" = 0 ] || tap_result 1 "the VM ran its job to the end" "see $logs/vm.console"
}
if ls "$moddir"/updates/dkms/kvm.ko* >/dev/null 2>&1; then
	vm_test
else
	tap_result 1 "vm: kvm-userfault on the installed module tree" "not run: DKMS did not install the fork"
fi

# --- dpkg --purge ---------------------------------------------------------------
rc=0
dpkg --purge kvm-userfault-dkms kvm-userfault-dev >"$logs/dpkg-purge.log" 2>&1 || rc=$?
tap_result $rc "dpkg --purge removes both packages" "$(tail -n 20 "$logs/dpkg-purge.log")"
purged() {
	local left
	left=$(ls -d "$moddir"/updates/dkms/kvm*.ko* /var/lib/dkms/kvm-userfault /usr/src/kvm-userfault-* \
		/etc/depmod.d/kvm-userfault.conf /usr/lib/depmod.d/kvm-userfault.conf 2>/dev/null || true)
	[ -z "$left" ] || {
		echo "left behind: $left"
		return 1
	}
	[ "$(cd "$stock_dir" && sha256sum kvm*.ko*)" = "$sha_stock" ] || {
		echo "the stock modules changed"
		return 1
	}
	stock_selected
}
expect_ok "after the purge the fork is gone and the unchanged stock modules are what modprobe loads" purged

# --- the RPMs -------------------------------------------------------------------
start=$SECONDS
expect_ok "make rpm builds kvm-userfault-dkms and kvm-userfault-devel" \
	make -C "$top" --no-print-directory KVER="$kver" rpm
say "make rpm took $((SECONDS - start)) s"
dkms_rpm=$(ls "$pkgs"/kvm-userfault-dkms-"$version"-*.rpm)
dev_rpm=$(ls "$pkgs"/kvm-userfault-devel-"$version"-*.noarch.rpm)
# A filter only one rpmlint version needs is unused in the other.
lint=$(rpmlint --ignore-unused-rpmlintrc -r "$top/rpm/kvm-userfault.rpmlintrc" "$dkms_rpm" "$dev_rpm" 2>&1) || true
tap_result "$(grep -c ': E: ' <<<"$lint" || true)" "rpmlint reports no errors" "$lint"
grep ': [EW]: ' <<<"$lint" | sed 's/^/#   /' || true
expect_ok "kvm-userfault-dkms.rpm holds the same files as the .deb" \
	diff -u <(files "$dkms_deb") <(files "$dkms_rpm")
expect_ok "kvm-userfault-devel.rpm holds the same files as kvm-userfault-dev.deb" \
	diff -u <(files "$dev_deb") <(files "$dev_rpm")
scripts() {
	local s
	s=$(rpm -qp --scripts "$dkms_rpm")
	echo "$s"
	for want in "dkms add -m kvm-userfault -v $version" "dkms build -m kvm-userfault -v $version" \
		"dkms install -m kvm-userfault -v $version" "dkms remove -m kvm-userfault -v $version --all"; do
		grep -qF "$want" <<<"$s" || {
			echo "no '$want' in the scriptlets"
			return 1
		}
	done
	! grep -q -- --force <<<"$s"
}
expect_ok "the RPM's %post adds, builds and installs with dkms, %preun removes, never with --force" scripts

# --- rpm -i and rpm -e on this machine -------------------------------------------
# Not an RPM-based system, but rpm with a database of its own (and --nodeps,
# as that database knows no dkms or kernel packages) runs the scriptlets
# with this machine's real DKMS: %post adds the tree and builds for the
# running kernel, `dkms install -k KVER` builds for the reference kernel as
# README tells RPM users to, and rpm -e takes it all away again.
rpmdb=$logs/rpmdb
mkdir -p "$rpmdb"
rpm_do() {
	rpm --dbpath "$rpmdb" --nodeps "$@" 2>&1 | grep -v '^rpm: \(RPM should not\|However assuming\)'
	return "${PIPESTATUS[0]}"
}
rpm_install() {
	rpm_do -i "$dkms_rpm" "$dev_rpm" &&
		dkms status -m kvm-userfault -v "$version" | grep -q . &&
		[ -x /usr/sbin/kvm-userfault ] && [ -f /usr/include/kvm-userfault/linux/kvm_userfault.h ]
}
expect_ok "rpm -i installs both RPMs; %post registers the tree with DKMS" rpm_install
rpm_dkms_install() {
	dkms install -m kvm-userfault -v "$version" -k "$kver" &&
		[ "$(modinfo -F kvm_userfault "$moddir"/updates/dkms/kvm.ko*)" = "$version" ]
}
expect_ok "dkms install -k $kver builds and installs the fork from the RPM's tree" rpm_dkms_install
rpm_erase() {
	rpm_do -e kvm-userfault-dkms kvm-userfault-devel && purged
}
expect_ok "rpm -e: %preun removes the fork from DKMS, the stock modules are what modprobe loads" rpm_erase
tap_finish
