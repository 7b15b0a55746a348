# shellcheck shell=bash
# The test VM's initramfs: busybox, the guest side (tests/guest/), the
# kernel's own modules that KVM needs, and sets of KVM modules.  Sourced by
# tests/vm-test.sh and tests/demo-vm.sh, which set KVER and define say()
# and die().
#
# Layout, as tests/guest/ expects it:
#   /init, /guest/*.sh        tests/guest/
#   /bin/busybox              busybox-static; init links the applets
#   /modules/deps/*.ko        irqbypass, ccp, ... and their load order in
#   /modules/deps/order       /modules/deps/order
#   /modules/SET/*.ko         one directory per module set: stock, fork
#   anything else             the caller's, e.g. /selftests/

# The modules the fork replaces, by file name.
KVM_MODULES="kvm kvm-amd kvm-intel"

tests_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# kver_modules kvm|deps: paths in KVER's modules.dep of the stock KVM
# modules, or of the other modules they need, in load order.  modules.dep
# lists every module's whole dependency closure, so a module always lists
# more than anything it needs: sorting by that count gives a load order.
kver_modules() {
	awk -v want=" $KVM_MODULES " -v which="$1" '
		function name(path) {
			sub(/.*\//, "", path)
			sub(/\.ko.*/, "", path)
			return path
		}
		{
			sub(/:$/, "", $1)
			ndeps[$1] = NF - 1
		}
		index(want, " " name($1) " ") {
			if (which == "kvm")
				print 0, $1
			for (i = 2; i <= NF; i++)
				if (!index(want, " " name($i) " "))
					need[$i] = 1
		}
		END {
			if (which == "deps")
				for (path in need)
					print ndeps[path], path
		}
	' "${KROOT:-}/lib/modules/$KVER/modules.dep" | sort -n | cut -d' ' -f2
}

# initramfs_add_ko FILE DIR: FILE as DIR/NAME.ko, decompressed, because
# busybox insmod reads only plain modules.
initramfs_add_ko() {
	local name
	name=$(basename "$1")
	name=${name%%.ko*}.ko
	case $1 in
	*.ko) cp "$1" "$2/$name" ;;
	*.ko.xz) xz -dc "$1" >"$2/$name" ;;
	*.ko.zst) zstd -qdc "$1" >"$2/$name" ;;
	*.ko.gz) gzip -dc "$1" >"$2/$name" ;;
	*) die "$1 is not a kernel module (.ko, .ko.xz, .ko.zst, .ko.gz)" ;;
	esac
}

# initramfs_stage DIR: a fresh tree in DIR with busybox, the guest side,
# KVER's dependency modules and its KVM modules as the set "stock".
initramfs_stage() {
	local dir=$1 busybox ko
	[ -f "${KROOT:-}/lib/modules/$KVER/modules.dep" ] ||
		die "no ${KROOT:-}/lib/modules/$KVER/modules.dep: is kernel $KVER installed?"
	busybox=$(command -v busybox) || die "busybox not found; apt-get install busybox-static"
	# The guest has no libc to offer a dynamically linked one.
	if ldd "$busybox" >/dev/null 2>&1; then
		die "$busybox is dynamically linked; apt-get install busybox-static"
	fi

	rm -rf "$dir"
	mkdir -p "$dir/bin" "$dir/guest" "$dir/modules/deps" "$dir/modules/stock"
	cp "$busybox" "$dir/bin/busybox"
	cp "$tests_dir/guest/init" "$dir/init"
	cp "$tests_dir/guest/"*.sh "$dir/guest/"
	: >"$dir/modules/deps/order"
	for ko in $(kver_modules deps); do
		initramfs_add_ko "${KROOT:-}/lib/modules/$KVER/$ko" "$dir/modules/deps"
		basename "${ko%%.ko*}.ko" >>"$dir/modules/deps/order"
	done
	for ko in $(kver_modules kvm); do
		initramfs_add_ko "${KROOT:-}/lib/modules/$KVER/$ko" "$dir/modules/stock"
	done
	[ -f "$dir/modules/stock/kvm.ko" ] || die "${KROOT:-}/lib/modules/$KVER/modules.dep lists no kvm module"
}

# initramfs_add_set DIR SET FROM: FROM's kvm*.ko (or .ko.xz, ...) as the
# module set SET.  A module built for another kernel is refused here, where
# the reason is plain, rather than by insmod inside the guest.
initramfs_add_set() {
	local dir=$1/modules/$2 m f vermagic
	mkdir -p "$dir"
	for m in $KVM_MODULES; do
		for f in "$3/$m.ko" "$3/$m.ko.xz" "$3/$m.ko.zst" "$3/$m.ko.gz"; do
			[ -f "$f" ] || continue
			# modinfo is in /sbin, which a user's PATH may lack.
			vermagic=$(PATH=$PATH:/usr/sbin:/sbin modinfo -F vermagic "$f")
			[ "${vermagic%% *}" = "$KVER" ] ||
				die "$f was built for kernel ${vermagic%% *}, not $KVER"
			initramfs_add_ko "$f" "$dir"
			break
		done
	done
	[ -f "$dir/kvm.ko" ] || die "$3 has no kvm.ko (nor kvm.ko.xz, .zst, .gz)"
}

# initramfs_pack DIR FILE: DIR as a newc cpio, compressed, owned by root.
initramfs_pack() {
	local compress=(gzip -1)
	if command -v zstd >/dev/null; then
		compress=(zstd -q -T0 -3)
	fi
	(cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) |
		"${compress[@]}" >"$2"
}

# initramfs_dlopened FILE...: the host paths of the libraries that FILEs
# dlopen(), as their .note.dlopen names them: Debian 13's kmod reads .ko.xz
# modules with a liblzma it loads so, which ldd does not list.
initramfs_dlopened() {
	local soname
	for soname in $(strings -a "$@" | grep -o '"soname":\[[^]]*\]' | grep -o 'lib[^"]*' | sort -u); do
		ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64/ { print $NF; exit }'
	done
}

# initramfs_add_program DIR FILE...: host programs busybox has no equal
# for (kmod with depmod.d support, bash) and the shared libraries ldd finds
# for them or they dlopen(), each at its host path with symlinked
# directories resolved.  DIR gets merged /usr's links (lib, lib64, sbin
# into usr/), so the paths the programs and the dynamic loader know
# resolve in the guest too.
initramfs_add_program() {
	local dir=$1 d f path
	shift
	for d in lib lib64 sbin; do
		mkdir -p "$dir/usr/$d"
		[ -e "$dir/$d" ] || [ -L "$dir/$d" ] || ln -s "usr/$d" "$dir/$d"
	done
	for f in "$@" $(ldd "$@" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }' | sort -u) \
		$(initramfs_dlopened "$@"); do
		path=$(readlink -f "$(dirname "$f")")/$(basename "$f")
		mkdir -p "$dir$(dirname "$path")"
		cp -L "$f" "$dir$path"
	done
}
