#!/bin/bash
# Run KVM selftests against the distro's KVM modules ("stock") and the
# fork's ("fork") inside a VM booted from an installed kernel, in each MMU
# mode, and report what the fork breaks.  Behind `make vm-test`.
# shellcheck source-path=SCRIPTDIR
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/cli.sh" vm-test

usage() {
	cat <<USAGE
usage: tests/vm-test.sh [-h|--help]

Boots /boot/vmlinuz-KVER in QEMU once per module set and MMU mode, loads
that set's KVM modules with the mode's parameters, runs the selftests and
checks the guest's kernel log.  Prints TAP, the regressions (tests that
pass on stock but fail on the fork) and "N passed, N failed, N skipped";
exits 0 only if nothing failed.

Environment:
  KVER           kernel release to boot (default: $(uname -r)); its image,
                 /lib/modules/KVER and the stock KVM modules must be installed
  KROOT          a root holding KVER's /boot and /lib/modules, when this
                 host has not installed KVER (scripts/build-root.sh)
  FORK_DIR       directory with the fork's kvm.ko, kvm-amd.ko, kvm-intel.ko
                 (.ko, .ko.xz, .ko.zst or .ko.gz); needed when SETS has fork
  SELFTESTS_DIR  built tools/testing/selftests/kvm, statically linked:
                   make headers
                   make -C tools/testing/selftests/kvm \\
                     EXTRA_CFLAGS=-static LDFLAGS=-static
  TESTS          tests to run, space-separated paths (or globs) relative
                 to SELFTESTS_DIR, commas adding arguments:
                 TESTS="demand_paging_test,-u,MISSING x86_64/state_test"
                 (default: the list in tests/vm-tests.list)
  SETS           module sets to test, in order (default: "stock fork")
  MODES          MMU modes separated by ';', each of words PARAM=VALUE:
                 tdp_mmu goes to kvm.ko, npt to kvm-amd.ko (as ept to
                 kvm-intel.ko), MODULE.PARAM=VALUE to that module
                 (default: "npt=1 tdp_mmu=Y;npt=1 tdp_mmu=N;npt=0", each
                 with kvm.force_emulation_prefix=1, which the selftests
                 use to make KVM emulate an instruction)
  FORK_ONLY      regex of tests that must skip on stock (default: the
                 userfault tests and demand_paging_test -k)
  TIMEOUT        seconds one boot may take before it is killed (default 900)
  TEST_TIMEOUT   seconds one test may take in the guest (default 300)
  OUT_DIR        where the logs go (default: a new /tmp/vm-test.XXXXXX)
  ACCEL          auto, tcg or kvm (default auto: KVM if the host's KVM
                 nests and a probe boot works, else TCG with -cpu EPYC)
  VM_MEM, VM_CPUS  guest size (default 4G, 2)
  KERNEL_ARGS    more kernel arguments for the guest, e.g.
                 transparent_hugepage=never
  JOB            the guest's job, tests/guest/JOB.sh (default run-selftests;
                 run-stress is make vm-stress's)
USAGE
}

only_help "$@"

KVER=${KVER:-$(uname -r)}
sets=${SETS:-stock fork}
fep=kvm.force_emulation_prefix=1
modes=${MODES:-npt=1 tdp_mmu=Y $fep;npt=1 tdp_mmu=N $fep;npt=0 $fep}
timeout=${TIMEOUT:-900}
test_timeout=${TEST_TIMEOUT:-300}
# One test a line: its path, then its arguments.
if [ -n "${TESTS:-}" ]; then
	tests=$(echo "$TESTS" | tr -s ' \t\n' '\n' | tr , ' ')
else
	tests=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/vm-tests.list")
fi

. "$here/lib/initramfs.sh"
. "$here/lib/qemu.sh"

[ -f "${KROOT:-}/boot/vmlinuz-$KVER" ] || die "no ${KROOT:-}/boot/vmlinuz-$KVER: install kernel $KVER, or set KVER"
[ -d "${SELFTESTS_DIR:-}" ] || die "SELFTESTS_DIR must name the built tools/testing/selftests/kvm (see --help)"
for set in $sets; do
	case $set in
	stock) ;;
	fork) [ -d "${FORK_DIR:-}" ] || die "SETS has fork, so FORK_DIR must name a directory with the fork's modules" ;;
	*) die "SETS=$sets: a set is stock or fork" ;;
	esac
done

out=${OUT_DIR:-$(mktemp -d /tmp/vm-test.XXXXXX)}
mkdir -p "$out"
say "kernel $KVER, logs in $out"

say "building initramfs"
start=$EPOCHREALTIME
root=$out/root
initramfs_stage "$root"
case " $sets " in
*" fork "*) initramfs_add_set "$root" fork "$FORK_DIR" ;;
esac
mkdir -p "$root/selftests"
while read -r pattern args; do
	paths=$(cd "$SELFTESTS_DIR" && compgen -G "$pattern") ||
		die "no test binary $SELFTESTS_DIR/$pattern"
	# compgen lists a glob's matches in directory order.
	paths=$(sort <<<"$paths")
	for path in $paths; do
		[ -x "$SELFTESTS_DIR/$path" ] || die "$SELFTESTS_DIR/$path is not executable"
		mkdir -p "$(dirname "$root/selftests/$path")"
		cp "$SELFTESTS_DIR/$path" "$root/selftests/$path"
		echo "$path $args"
	done
done <<<"$tests" >"$root/selftests/list"
initramfs_pack "$root" "$out/initramfs.img"
say "initramfs ready in $(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $start }") s" \
	"($(du -h "$out/initramfs.img" | cut -f1))"

qemu_pick_accel

# All boots' results as one TAP stream.
tap=$out/results.tap
: >"$tap"
count() { awk '/^(not )?ok / { n++ } END { print n + 0 }' "$@"; }
IFS=';' read -ra mode_list <<<"$modes"
for set in $sets; do
	for mode in "${mode_list[@]}"; do
		read -ra words <<<"$mode"
		[ ${#words[@]} -gt 0 ] || continue
		mode=${words[*]}
		log=$out/$set-${mode// /_}
		status=0
		qemu_boot "$set $mode" "$out/initramfs.img" \
			"kvmtest.job=${JOB:-run-selftests} kvmtest.set=$set kvmtest.mode=${mode// /,} kvmtest.test_timeout=$test_timeout ${KERNEL_ARGS:-}" \
			"$log" "$timeout" || status=$?
		[ -f "$log.results" ] || : >"$log.results"

		# The guest numbers from 1 on each boot and adds bookkeeping
		# lines (plan, "# running", "# guest:") the stream leaves out.
		awk -v n="$(count "$tap")" '
			/^(not )?ok [0-9]+ / { sub(/ok [0-9]+/, "ok " ++n); print; next }
			/^#   / { print }
		' "$log.results" >"$log.tap"
		if [ $status != 0 ]; then
			# The last test that started without a result is the culprit.
			running=$(awk -v p="# running $set $mode " '
				index($0, p) == 1 { r = substr($0, length(p) + 1) }
				/^(not )?ok / { r = "" }
				END { print r }' "$log.results")
			how="guest died, see $log.console"
			[ $status = 2 ] && how="hung, killed after $timeout s"
			echo "not ok $(($(count "$tap" "$log.tap") + 1)) - $set $mode boot # $how${running:+, while running $running}" >>"$log.tap"
		fi
		cat "$log.tap"
		cat "$log.tap" >>"$tap"
	done
done
echo "1..$(count "$tap")" >>"$tap"

# A regression passes on stock and fails, or never ran, on the fork.  One
# that skips on the fork is not a failure, but a capability the fork lost
# would show that way, so it is listed too.  "ok 3 - stock npt=0
# demand_paging_test # 20.1s" is the test "npt=0 demand_paging_test" of
# the set "stock".
both=0
case " $sets " in *" stock "*) case " $sets " in *" fork "*) both=1 ;; esac ;; esac
# Tests of what only the fork has must skip on stock: passing there would
# mean they test nothing.
fork_only=${FORK_ONLY:-userfault|demand_paging_test .*-k}
awk -v both=$both -v fork_only="$fork_only" '
	/^(not )?ok / {
		res = /^not / ? "failed" : / # SKIP/ ? "skipped" : "passed"
		total[res]++
		name = $0
		sub(/^(not )?ok [0-9]+ - /, "", name)
		sub(/ # .*/, "", name)
		set = name
		sub(/ .*/, "", set)
		sub(/^[^ ]+ /, "", name)
		result[set, name] = res
		if (set == "stock" && res == "passed" && name ~ fork_only) {
			printf "not ok - stock %s passes, but it tests what only the fork has\n", name
			total["failed"]++
		} else if (set == "stock" && res == "passed")
			stock_passed[++n] = name
	}
	END {
		if (both) {
			for (i = 1; i <= n; i++) {
				fork = result["fork", stock_passed[i]]
				if (fork == "skipped")
					lost[++l] = stock_passed[i]
				else if (fork != "passed")
					regressed[++r] = stock_passed[i]
			}
			printf "regressions: %d\n", r
			for (i = 1; i <= r; i++)
				printf "  %s\n", regressed[i]
			if (l)
				printf "passing on stock, skipped on the fork: %d\n", l
			for (i = 1; i <= l; i++)
				printf "  %s\n", lost[i]
		}
		printf "%d passed, %d failed, %d skipped\n",
			total["passed"], total["failed"], total["skipped"]
		exit (total["failed"] > 0)
	}
' "$tap"
