# shellcheck shell=bash
# Minimal TAP producer for the host-side checks: `expect_fail NAME PATTERN
# CMD...` and `expect_ok NAME CMD...` print "ok N - NAME" or "not ok".
tap_n=0
tap_failed=0

tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $2"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

# tap_summary: "N passed, N failed", for a script that ends a run.
tap_summary() {
	echo "$((tap_n - tap_failed)) passed, $tap_failed failed"
}

# tap_finish: the plan line; fails if any check failed.
tap_finish() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

expect_ok() {
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	tap_result "$rc" "$name" "$out"
}

# The command must fail, and its message must match the regex.
expect_fail() {
	local name=$1 pattern=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then
		tap_result 1 "$name" "succeeded, but should have failed: $out"
	elif ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
		tap_result 1 "$name" "failed, but the message does not match /$pattern/: $out"
	else
		tap_result 0 "$name"
	fi
}
