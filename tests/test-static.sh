#!/bin/bash
# Checks that need no build: shell scripts are shellcheck-clean, the patch
# series is checkpatch-clean, and the uapi header stands alone in C and C++.
#
#   tests/test-static.sh KERNEL_TREE     (a full tree, for checkpatch.pl)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/tap.sh"
ltree=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"

mapfile -t scripts < <(find . \( -name build -o -name .git \) -prune -o -type f -print | sort |
	while read -r f; do
		case $f in *.sh | ./dkms.conf) echo "$f" ;; *) head -n 1 "$f" | grep -q '^#!.*sh' && echo "$f" ;; esac
	done)
expect_ok "shellcheck is clean on ${#scripts[@]} scripts" shellcheck -x "${scripts[@]}"

# On stdin: given the path of a file git tracks, checkpatch checks the
# patch file itself as source instead of the patch it contains.  New
# selftest files need no MAINTAINERS change: the KVM x86 entry covers
# tools/testing/selftests/kvm/, so that one warning is not asked for.
for p in src/patches/*/*.patch src/patches/*/*/*.patch; do
	[ -f "$p" ] || continue
	# shellcheck disable=SC2016 # expanded by the inner sh
	expect_ok "checkpatch --strict: $p" \
		sh -c 'perl "$1/scripts/checkpatch.pl" --strict --no-tree -q --no-summary \
			--ignore FILE_PATH_CHANGES - <"$2"' - "$ltree" "$p"
done

# Checked as a path inside this checkout, checkpatch sees the patch files as
# source: they must have no trailing whitespace either, which is why they
# are written with empty blank-context lines and without the signature.
no_trailing_whitespace() { ! grep -nE '[[:space:]]$' "$@"; }
expect_ok "the patch files have no trailing whitespace" \
	no_trailing_whitespace src/patches/*/*.patch

hdr='#include <linux/kvm.h>
#include <linux/kvm_userfault.h>
int main(void) { return KVM_CAP_KUF_USERFAULT == 0 || KVM_MEMORY_ATTRIBUTE_KUF_USERFAULT == 0; }'
echo "$hdr" >"$tmp/uapi.c"
echo "$hdr" >"$tmp/uapi.cc"
expect_ok "uapi header compiles standalone in C (-Wall -Wextra -Werror)" \
	gcc -Wall -Wextra -Werror -I include/uapi -o "$tmp/c" "$tmp/uapi.c"
expect_ok "uapi header compiles standalone in C++ (-Wall -Wextra -Werror)" \
	g++ -Wall -Wextra -Werror -I include/uapi -o "$tmp/cc" "$tmp/uapi.cc"
