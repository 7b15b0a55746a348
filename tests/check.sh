#!/bin/bash
# `make check`: the fast checks, the build, and the VM tests, in that order,
# ending with one "N passed, N failed, N skipped" line over all of them.
# The VM suite runs on two reference kernels: KVER (this host's Debian
# release) and the newest the other release offers (Debian 13 on 12, and
# 12 on 13), built in its build root.  `make check-matrix` runs them all.
#
#   KVER=... BUILD=... tests/check.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
kver=${KVER:?}
build=${BUILD:?}
log=$build/check.log
steplog=$build/check-step.log
mkdir -p "$build"
: >"$log"
passed=0 failed=0 skipped=0

# Runs one step, shows its output, and counts its TAP lines; a step that
# prints no TAP counts as one test, passed when it exits 0.
step() {
	local name=$1 rc
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$steplog"
	rc=${PIPESTATUS[0]}
	cat "$steplog" >>"$log"
	local ok nok skip
	ok=$(grep -c '^ok ' "$steplog" || true)
	skip=$(grep -c '^ok .*# SKIP' "$steplog" || true)
	nok=$(grep -c '^not ok ' "$steplog" || true)
	if [ $((ok + nok)) = 0 ]; then
		if [ "$rc" = 0 ]; then ok=1; else nok=1; fi
	elif [ "$rc" != 0 ] && [ "$nok" = 0 ]; then
		nok=1 # it failed without saying which test
	fi
	passed=$((passed + ok - skip)) failed=$((failed + nok)) skipped=$((skipped + skip))
	echo "== $name: $((ok - skip)) passed, $nok failed, $skip skipped"
}

make_() { make -C "$top" --no-print-directory KVER="$kver" BUILD="$build" "$@"; }

module_info() {
	local m rc=0
	for m in kvm kvm-amd kvm-intel; do
		local ko=$build/kvm/arch/x86/kvm/$m.ko vm fork
		vm=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
		fork=$(modinfo -F kvm_userfault "$ko")
		if [ "$vm" = "$kver" ] && [ "$fork" = "$(cat "$top/VERSION")" ]; then
			echo "ok - $m.ko: vermagic $vm, kvm_userfault $fork"
		else
			echo "not ok - $m.ko: vermagic '$vm' (want $kver), kvm_userfault '$fork'"
			rc=1
		fi
	done
	return $rc
}

step "build the fork's modules for $kver (with the ABI guard)" make_ modules
step "modinfo of the fork's modules" module_info
step "build the KVM selftests" make_ selftests
step "static checks" "$top/tests/test-static.sh" "$build/linux"
step "assembly and ABI guard error paths" "$top/tests/test-assembly-errors.sh" "$kver" "$build/kvm"
step "VM tests on stock and fork modules, kernel $kver" make_ vm-test
# shellcheck disable=SC1091 # the host's
other=$(. /etc/os-release && [ "${VERSION_ID:-}" = 12 ] && echo 13 || echo 12)
if other_kver=$("$top/scripts/reference-kernel.sh" "$other"); then
	step "VM tests on stock and fork modules, kernel $other_kver (Debian $other)" \
		make -C "$top" --no-print-directory KVER="$other_kver" vm-test
else
	step "the reference kernel of Debian $other" false
fi
step "packages: .deb and .rpm, DKMS, kvm-userfault in a VM" "$top/tests/test-packages.sh" "$kver"
step "a lab host's kernel upgrades with the package installed" "$top/tests/test-kernel-lifecycle.sh" "$kver"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
