#!/bin/bash
# `make check-matrix`: build the fork for every kernel Debian offers that
# it serves (Debian 12 and 13, resolved from apt now: scripts/
# list-kernels.sh) and run the VM suite on each, in all three MMU modes.
# Prints a table, kernel x mode -> passed, failed, skipped on the fork,
# the regressions against stock, and each leg's time; ends with the
# suite's "N passed, N failed, N skipped" line over all legs.
#
#   tests/check-matrix.sh [KVER...]   (default: every kernel offered)
#
# A leg takes about 10 minutes under TCG: the whole matrix, hours.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT_DIR:-$top/build/matrix}
mkdir -p "$out"
if [ $# -gt 0 ]; then
	kernels=("$@")
else
	mapfile -t kernels < <("$top/scripts/list-kernels.sh" 12 && "$top/scripts/list-kernels.sh" 13)
fi
echo "check-matrix: ${#kernels[@]} kernels: ${kernels[*]}"
echo "check-matrix: logs in $out"

modes=("npt=1 tdp_mmu=Y" "npt=1 tdp_mmu=N" "npt=0")
table=$out/table.txt
printf '%-24s %-16s %7s %7s %7s %12s %7s\n' kernel mode passed failed skipped regressions time >"$table"
total_p=0 total_f=0 total_s=0
for k in "${kernels[@]}"; do
	log=$out/$k.log
	start=$SECONDS
	echo "check-matrix: $k: building and testing (about 10 minutes)"
	# A kernel of this host's release is installed for its leg, and purged
	# after it; apt here knows no other release's, which go into their
	# build root.
	added=$(apt-get install -s --no-install-recommends "linux-headers-$k" 2>/dev/null |
		awk '$1 == "Inst" && $3 !~ /^\[/ { printf " %s", $2 }')
	rc=0
	{ "$top/scripts/install-deps.sh" "$k" && make -C "$top" --no-print-directory KVER="$k" vm-test; } >"$log" 2>&1 || rc=$?
	if [ -n "$added" ]; then
		# shellcheck disable=SC2086 # a package list
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $added >>"$log" 2>&1 || true
	fi
	took=$((SECONDS - start))
	regress=$(sed -n 's/^regressions: *//p' "$log" | tail -n 1)
	if ! grep -q '^ok \|^not ok ' "$log"; then
		printf '%-24s %-16s %7s %7s %7s %12s %6ss\n' "$k" "(no suite ran)" - 1 - - "$took" >>"$table"
		total_f=$((total_f + 1))
		tail -n 5 "$log" | sed 's/^/check-matrix:   /'
		continue
	fi
	for m in "${modes[@]}"; do
		lines=$(grep -E "^(not )?ok [0-9]+ - fork $m( |$)" "$log" || true)
		p=$(grep -c '^ok ' <<<"$lines" || true)
		s=$(grep -c '# SKIP' <<<"$lines" || true)
		f=$(grep -c '^not ok ' <<<"$lines" || true)
		p=$((p - s))
		printf '%-24s %-16s %7s %7s %7s %12s %6ss\n' "$k" "$m" "$p" "$f" "$s" "${regress:-0}" "$took" >>"$table"
	done
	# Whatever the suite failed outside the fork's rows (stock, the build).
	n=$(grep -c '^not ok ' "$log" || true)
	[ "$rc" = 0 ] || [ "$n" != 0 ] || n=1
	total_f=$((total_f + n))
	total_p=$((total_p + $(grep -c '^ok ' "$log" || true) - $(grep -c '^ok .*# SKIP' "$log" || true)))
	total_s=$((total_s + $(grep -c '^ok .*# SKIP' "$log" || true)))
	tail -n 3 "$table"
done
echo
cat "$table"
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" = 0 ]
