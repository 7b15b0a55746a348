#!/bin/bash
# Refuse fork modules that would break the target kernel: built-in code
# reads some KVM structs directly, and in-tree modules (kvmgt) import kvm.ko
# symbols by CRC.  Both must stay exactly as the distro kernel has them.
#
#   src/abi-guard.sh KVER MODULE_DIR
set -eu

me=abi-guard
die() {
	printf '%s: error: %s\n' "$me" "$1" >&2
	shift
	for line in "$@"; do
		printf '%s:        %s\n' "$me" "$line" >&2
	done
	exit 1
}

[ $# -eq 2 ] || die "usage: $0 KVER MODULE_DIR"
kver=$1
moddir=$2
kbuild=/lib/modules/$kver/build

# Built-in code reads these; kvm_vcpu only up to run and stat, the rest whole.
structs='kvm_vcpu kvm_run kvm_vcpu_stat kvm_pmu'

btf=
for f in "$kbuild/vmlinux" /usr/lib/debug/boot/vmlinux-"$kver"; do
	[ -f "$f" ] && btf=$f && break
done
[ -z "$btf" ] && [ "$(uname -r)" = "$kver" ] && [ -r /sys/kernel/btf/vmlinux ] && btf=/sys/kernel/btf/vmlinux
[ -n "$btf" ] || die "no BTF for kernel $kver: cannot check the layout of the structs built-in code reads" \
	"looked for $kbuild/vmlinux, /usr/lib/debug/boot/vmlinux-$kver and /sys/kernel/btf/vmlinux" \
	"install the kernel's headers package (Debian ships vmlinux in it) or its debug symbols"
command -v pahole >/dev/null || die "pahole is not installed; install 'dwarves' (Debian, Fedora)"

# layout STRUCT < pahole's output: the struct's last definition there, up
# to 'stat' for kvm_vcpu.  A module's BTF is split BTF on top of vmlinux':
# a type the module shares with vmlinux is vmlinux' own, while one whose
# layout differs is printed again after all of vmlinux' types.  So the last
# definition is the module's, and `pahole -C`, which prints the first one,
# would compare vmlinux with itself.
layout() {
	awk -v head="struct $1 {" '$0 == head { buf = ""; on = 1 }
		on { buf = buf $0 "\n" }
		on && /^}/ { on = 0; last = buf }
		END { printf "%s", last }' |
		if [ "$1" = kvm_vcpu ]; then sed '/[[:space:]]stat;/q'; else cat; fi
}

types=$(mktemp)
trap 'rm -f "$types"' EXIT
pahole -F btf --btf_base "$btf" "$moddir/kvm.ko" >"$types" 2>/dev/null ||
	die "pahole cannot read the BTF of $moddir/kvm.ko (was it built with BTF? install pahole and rebuild)"
bad=0
for s in $structs; do
	want=$(pahole -F btf -C "$s" "$btf" | layout "$s") || die "pahole cannot read struct $s from $btf"
	got=$(layout "$s" <"$types")
	[ -n "$got" ] || die "struct $s is not in the BTF of $moddir/kvm.ko"
	[ -n "$want" ] || die "struct $s is not in $btf"
	if [ "$want" != "$got" ]; then
		echo "$me: struct $s differs between kernel $kver and the fork:" >&2
		diff -u <(echo "$want") <(echo "$got") | sed 's/^/    /' >&2 || true
		bad=1
	fi
done
[ $bad = 0 ] && echo "$me: layouts of $structs match kernel $kver"

# Exports of kvm.ko that in-tree modules other than kvm-amd/kvm-intel import.
symvers=$moddir/Module.symvers
[ -f "$symvers" ] || die "$symvers is missing: build the modules first"
dep=/lib/modules/$kver/modules.dep
if [ ! -f "$dep" ]; then
	echo "$me: WARNING: $dep is missing; cannot check the CRCs that in-tree modules import from kvm.ko" >&2
	exit $bad
fi
importers=$(sed -n 's,^\([^:]*\):.*kernel/arch/x86/kvm/kvm\.ko[^ ]*.*,\1,p' "$dep" | grep -v '/kvm/kvm-' || true)
checked=0
for m in $importers; do
	while read -r crc sym; do
		ours=$(awk -v s="$sym" '$2 == s { print $1 }' "$symvers")
		[ -n "$ours" ] || continue
		checked=$((checked + 1))
		if [ "$ours" != "$crc" ]; then
			echo "$me: $(basename "$m") imports $sym with CRC $crc, the fork exports $ours: it would no longer load beside the fork" >&2
			bad=1
		fi
	done < <(modprobe --dump-modversions "/lib/modules/$kver/$m")
done
[ $bad = 0 ] && echo "$me: $checked kvm.ko CRCs imported by in-tree modules ($(echo "$importers" | xargs -n1 basename 2>/dev/null | tr '\n' ' ')) are unchanged"
exit $bad
