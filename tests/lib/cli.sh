# shellcheck shell=bash
# shellcheck disable=SC2154 # $me is set by the script that sources this
# The command line of the VM scripts (vm-test, demo-vm, bench): messages
# prefixed with $me, and no argument but -h/--help, which prints the
# caller's usage() and exits.
say() { printf '%s: %s\n' "$me" "$*"; }
die() {
	printf '%s: error: %s\n' "$me" "$*" >&2
	exit 1
}

# only_help "$@"
only_help() {
	case ${1:-} in
	-h | --help)
		usage
		exit 0
		;;
	"") ;;
	*) die "unknown argument '$1'; see --help" ;;
	esac
}
