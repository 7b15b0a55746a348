#!/bin/bash
# Assemble a buildable KVM tree for one target kernel: find KVM sources that
# match that kernel exactly, copy out what the build needs, and apply the
# patch series.  Used by `make` and by DKMS' PRE_BUILD alike.
#
#   src/assemble.sh [--full] KVER OUTDIR
#
# Default: only the files the three modules need, and only the patches that
#          touch the kernel (selftest patches are left out), as DKMS needs.
# --full:  the whole source tree and the whole series, for `make headers`
#          and the KVM selftests.
#
# Environment:
#   KSRC                   kernel source tree or tarball to use
#   PATCHDIR               patch directory to use instead of src/patches
#   ALLOW_VERSION_MISMATCH set to 1 to build from a source whose version
#                          differs from KVER (unsafe: see the warning)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
me=assemble

die() {
	printf '%s: error: %s\n' "$me" "$1" >&2
	shift
	for line in "$@"; do
		printf '%s:        %s\n' "$me" "$line" >&2
	done
	exit 1
}
say() { printf '%s: %s\n' "$me" "$*"; }

full=0
if [ "${1:-}" = --full ]; then
	full=1
	shift
fi
[ $# -eq 2 ] || die "usage: $0 [--full] KVER OUTDIR"
kver=$1
out=$2

# shellcheck disable=SC2034 # read by src/kernels.sh
kuf_patches=${PATCHDIR:-$top/src/patches}
# shellcheck source=src/kernels.sh
. "$top/src/kernels.sh"
kver_num=$(kuf_version "$kver") || die "cannot read a version from kernel release '$kver'"
base=${kver_num%.*}
if why=$(kuf_unsupported "$kver"); then
	die "$why"
fi
patchdir=$kuf_patches/$base

# A full tree has the KVM sources, not just the headers a -headers package has.
is_full_tree() {
	[ -f "$1/virt/kvm/kvm_main.c" ] && [ -f "$1/arch/x86/kvm/Makefile" ]
}

find_source() {
	if [ -n "${KSRC:-}" ]; then
		[ -e "$KSRC" ] || die "KSRC=$KSRC does not exist"
		if [ -d "$KSRC" ]; then
			is_full_tree "$KSRC" || die "KSRC=$KSRC is not a kernel source tree (no virt/kvm/kvm_main.c)"
		fi
		echo "$KSRC"
		return
	fi
	for d in "/lib/modules/$kver/source" "/lib/modules/$kver/build"; do
		if is_full_tree "$d"; then
			echo "$d"
			return
		fi
	done
	# Debian: the exact source of this kernel, fetched into a cache.
	rc=0
	"$top/src/kernel-source.sh" "$kver" || rc=$?
	case $rc in
	0) return ;;
	2) ;;
	*) exit 1 ;;
	esac
	for t in /usr/src/linux-source-"$base".tar.*; do
		if [ -f "$t" ]; then
			echo "$t"
			return
		fi
	done
	die "no KVM source found for kernel $kver" \
		"looked at: \$KSRC, /lib/modules/$kver/{source,build}, /usr/src/linux-source-$base.tar.*" \
		"set KSRC to a $kver_num source tree or tarball (on RPM distributions: see README.md)"
}

# Existing files the kernel patches change, so a patched header is always
# copied and then shadows the headers package's copy.
patched_files() {
	local p
	for p in $plist; do
		sed -n 's,^--- a/\([^	 ]*\).*,\1,p' "$(kuf_patch "$kver_num" "$p")"
	done | sort -u
}

# The series in order; without --full, patches that touch only tools/ are
# skipped, so DKMS builds apply just the kernel part.
patches() {
	local p
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$patchdir/series" | while read -r p; do
		[ -f "$patchdir/$p" ] || die "series names $p, but $patchdir/$p does not exist"
		if [ $full = 0 ] && ! kuf_touches_kernel "$patchdir/$p"; then
			continue
		fi
		echo "$p"
	done
}

# What the three modules need, in the kernel's own layout.
kvm_paths='Makefile arch/x86/kvm virt/kvm include/kvm include/trace
include/linux/kvm*.h include/uapi/linux/kvm*.h
arch/x86/include/asm/kvm*.h arch/x86/include/uapi/asm/kvm*.h'

plist=$(patches)
src=$(find_source)
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
if [ -d "$src" ]; then
	say "copying KVM sources from $src"
	if [ $full = 1 ]; then
		cp -a "$src/." "$out/"
	else
		# shellcheck disable=SC2046,SC2086 # the globs are meant to expand
		(cd "$src" && cp -a --parents $(printf "%s\n" $kvm_paths $(patched_files) | sort -u) "$out/")
	fi
else
	say "extracting KVM sources from $src (about 10 s)"
	topdir=$(tar -tf "$src" 2>/dev/null | head -n 1 | cut -d/ -f1) || true
	[ -n "$topdir" ] || die "cannot read tarball $src"
	if [ $full = 1 ]; then
		tar -xf "$src" -C "$out" --strip-components=1
	else
		# One pattern per word, matched by tar, not by this shell.  The
		# patched files come first: tar counts a member only for the
		# first pattern matching it, and fails on a pattern that got
		# none, such as arch/x86/kvm/x86.c after arch/x86/kvm.
		set -f
		# shellcheck disable=SC2046
		tar -xf "$src" -C "$out" --strip-components=1 --wildcards \
			$(for p in $(patched_files) $kvm_paths; do echo "$topdir/$p"; done) ||
			die "extracting the KVM sources from $src failed"
		set +f
	fi
fi
is_full_tree "$out" || die "$src has no KVM sources (virt/kvm/kvm_main.c is missing)"
say "sources ready in $(($(date +%s) - start)) s"

src_ver=$(awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} $1=="SUBLEVEL"{s=$2}
	END{printf "%s.%s.%s", v, p, s}' "$out/Makefile")
if [ "$src_ver" != "$kver_num" ]; then
	if [ "${ALLOW_VERSION_MISMATCH:-0}" = 1 ]; then
		say "WARNING: building $src_ver sources for kernel $kver ($kver_num) because ALLOW_VERSION_MISMATCH=1."
		say "WARNING: KVM internals differ between sublevels; the modules may fail to load, corrupt guests or crash the host."
	else
		die "source version $src_ver ($src) does not match kernel $kver ($kver_num)" \
			"install the source that matches the kernel, e.g. apt-get install linux-source-$base=<version of linux-image-$kver>," \
			"or point KSRC at a $kver_num tree; ALLOW_VERSION_MISMATCH=1 overrides this check at your own risk"
	fi
fi

# The fork's uapi numbers must be free in the target kernel: a kernel that
# has KVM Userfault itself (upstream's names, or this fork's), or uses bit
# 4 for another memory attribute or memory fault flag, would give one
# number two meanings.
uapi=$out/include/uapi/linux/kvm.h
if own=$(grep -E '^#define[[:space:]]+KVM_(CAP|MEM|MEMORY_ATTRIBUTE|MEMORY_EXIT_FLAG)_(KUF_)?USERFAULT[[:space:]]' "$uapi"); then
	die "kernel $kver's <linux/kvm.h> defines KVM Userfault itself:" "$own" \
		"use the kernel's own KVM Userfault rather than this fork"
fi
bit4='\((1|1U|1UL|1ULL) *<< *4\)|BIT(_ULL)?\(4\)|0x0*10'
if clash=$(grep -E "^#define[[:space:]]+KVM_MEMORY_(ATTRIBUTE|EXIT_FLAG)_[A-Z0-9_]+[[:space:]]+($bit4)([[:space:]]|\$)" "$uapi"); then
	die "kernel $kver's <linux/kvm.h> already uses bit 4, the fork's KVM_MEMORY_ATTRIBUTE_KUF_USERFAULT and KVM_MEMORY_EXIT_FLAG_KUF_USERFAULT:" \
		"$clash" "move them to a free bit in include/uapi/linux/kvm_userfault.h and rebuild userspace against it"
fi

# The uapi numbers are defined once, in this repository; the patches include it.
cp "$top/include/uapi/linux/kvm_userfault.h" "$out/include/uapi/linux/"

kernel_patches=
for p in $plist; do
	pf=$(kuf_patch "$kver_num" "$p")
	! kuf_touches_kernel "$pf" || kernel_patches="$kernel_patches ${pf#"$kuf_patches"/}"
	if ! log=$(patch -d "$out" -p1 -N --fuzz=0 --no-backup-if-mismatch -r - <"$pf" 2>&1); then
		die "patch ${pf#"$kuf_patches"/} does not apply to $src_ver sources from $src:" \
			"$(printf '%s\n' "$log" | sed 's/^/  /')" \
			"the series in $patchdir does not fit these sources (stable may have moved the code it patches):" \
			"add a rebased copy as $patchdir/$src_ver/$p (see src/patches/README.md)"
	fi
	say "applied ${pf#"$kuf_patches"/}"
done

# The fork's selftests kept as plain files, tests/selftests/ARCH/*.c, join
# the kernel's selftest build as extended programs (built, not run by
# kselftest), on top of its kvm_util library.
if [ $full = 1 ]; then
	st=$out/tools/testing/selftests/kvm
	for f in "$top"/tests/selftests/x86_64/*.c; do
		[ -f "$f" ] || continue
		prog=x86_64/$(basename "$f" .c)
		cp "$f" "$st/$prog.c"
		sed -i "/^TEST_GEN_PROGS_EXTENDED += \$(TEST_GEN_PROGS_EXTENDED_\$(ARCH_DIR))/i TEST_GEN_PROGS_EXTENDED_x86_64 += $prog" "$st/Makefile"
		grep -q "^TEST_GEN_PROGS_EXTENDED_x86_64 += $prog\$" "$st/Makefile" ||
			die "cannot add $prog to $st/Makefile: it has no line 'TEST_GEN_PROGS_EXTENDED += \$(TEST_GEN_PROGS_EXTENDED_\$(ARCH_DIR))'" \
				"this kernel lists its selftests elsewhere: teach src/assemble.sh where (or build without the fork's plain-file selftests)"
		say "added selftest $prog"
	done
fi

# kbuild reads Kbuild in preference to Makefile: our wrapper sets the fork's
# options and then includes the kernel's Makefile, whose object lists stay
# the kernel's.  Only $(srctree) must point into this tree instead.
kvmdir=$out/arch/x86/kvm
# shellcheck disable=SC2016 # make variables, not shell ones
sed -i 's,\$(srctree)/,$(src)/../../../,g' "$kvmdir/Makefile"
cp "$top/Kbuild" "$kvmdir/Kbuild"
for m in kvm kvm-amd kvm-intel; do
	cp "$top/src/fork-info.c" "$kvmdir/fork-info-$m.c"
done
# The build: the version, and a digest of what shapes the modules' data
# structures, so that two builds of one version with other patches or
# headers refuse each other's modules too (fork-info.c).
version=$(cat "$top/VERSION")
# shellcheck disable=SC2086 # patch names, relative to $kuf_patches, have no blanks
digest=$(cd "$kuf_patches" && cat $kernel_patches - <"$top/include/uapi/linux/kvm_userfault.h" |
	sha256sum | cut -c 1-12)
printf '#define KVM_USERFAULT_VERSION "%s"\n#define KVM_USERFAULT_BUILD "%s+%s"\n' \
	"$version" "$version" "$digest" >"$kvmdir/fork-version.h"
# The stamp make's rules depend on; written here, last, so that a tree that
# DKMS' PRE_BUILD assembled counts as done for make too.
touch "$out/.assembled"
say "assembled $kver tree in $out"
