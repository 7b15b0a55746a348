#!/bin/bash
# The KVM Userfault benchmark: runs x86_64/userfault_bench, and the kernel's
# own demand_paging_test for comparison, on the fork in the test VM
# (tests/vm-test.sh), and prints their results.  Behind `make bench`; not
# part of `make check`, because timings on a shared machine are noisy.
# shellcheck source-path=SCRIPTDIR
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/cli.sh" bench

usage() {
	cat <<USAGE
usage: tests/bench.sh [-h|--help]

Boots the test VM once per MMU mode with the fork's modules and THP off
(transparent_hugepage=never), under TCG on one host thread
(TCG_THREAD=single: with QEMU's multi-threaded TCG, two vCPUs of a nested
guest demand paging at once corrupt the test VM's memory, on stock KVM
too; see docs/BENCHMARKS.md), and runs in it, one after the other:
  x86_64/userfault_bench -v VCPUS -b MEM     both tables
  demand_paging_test -v VCPUS -b MEM         no faults to userspace
  ... -u MISSING -a                          userfaultfd MISSING, 1 reader
  ... -k                                     KVM Userfault
Prints their output and exits non-zero if any of them failed.

Environment:
  KVER, FORK_DIR, SELFTESTS_DIR   as for tests/vm-test.sh
  MODES     MMU modes as for tests/vm-test.sh (default "npt=1 tdp_mmu=Y")
  VCPUS     vCPUs of the benchmarked VMs (default 2)
  MEM       memory each vCPU touches (default 32M)
  OUT_DIR   where the logs go (default: a new /tmp/bench.XXXXXX)
  TCG_THREAD  single (default) or multi, see tests/lib/qemu.sh
  ACCEL, VM_MEM, VM_CPUS, TIMEOUT, TEST_TIMEOUT   as for tests/vm-test.sh
USAGE
}

only_help "$@"

vcpus=${VCPUS:-2}
mem=${MEM:-32M}
modes=${MODES:-npt=1 tdp_mmu=Y}
out=${OUT_DIR:-$(mktemp -d /tmp/bench.XXXXXX)}
mkdir -p "$out"

dpt="demand_paging_test,-v,$vcpus,-b,$mem"
status=0
TCG_THREAD=${TCG_THREAD:-single} SETS=fork MODES=$modes OUT_DIR=$out \
	KERNEL_ARGS=transparent_hugepage=never \
	TEST_TIMEOUT=${TEST_TIMEOUT:-1200} TIMEOUT=${TIMEOUT:-2400} \
	TESTS="x86_64/userfault_bench,-v,$vcpus,-b,$mem $dpt $dpt,-u,MISSING,-a $dpt,-k" \
	"$here/vm-test.sh" || status=$?

# The tests' output is on the guest's console, between the harness's
# "=== SET MODE TEST" lines; leave out the kernel's own messages and the
# progress lines of demand_paging_test.
IFS=';' read -ra mode_list <<<"$modes"
for mode in "${mode_list[@]}"; do
	read -ra words <<<"$mode"
	[ ${#words[@]} -gt 0 ] || continue
	mode=${words[*]}
	console=$out/fork-${mode// /_}.console
	[ -f "$console" ] || continue
	echo
	awk '
		/^=== / { show = 1; print ""; print; next }
		/^\[ *[0-9]+\.[0-9]+\]/ || /^Random seed/ { next }
		/^demand_paging_test|^Testing guest mode|^guest physical|^Finished|^Started|^All vCPU/ { next }
		show
	' "$console"
	# The kernel's own test, as the goals were measured: -k against the
	# other two runs of the same boot.
	awk '
		{ sub(/\r$/, "") }
		/^=== .*demand_paging_test/ { run = / -k$/ ? "k" : / -u MISSING/ ? "uffd" : "none" }
		/^Overall demand paging rate:/ { rate[run] = $5 }
		END {
			if (rate["k"] && rate["uffd"] && rate["none"])
				printf "\ndemand_paging_test: -k / -u MISSING -a = %.2fx, -k / no faults to userspace = %.0f%%\n",
					rate["k"] / rate["uffd"], 100 * rate["k"] / rate["none"]
		}
	' "$console"
done
echo
say "logs in $out"
exit $status
