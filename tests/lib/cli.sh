# shellcheck shell=bash
# The command line of the VM scripts (vm-test, demo-vm, bench): messages
# prefixed with the name the script passes when it sources this file
# (`. lib/cli.sh NAME`), and no argument but -h/--help, which prints the
# caller's usage() and exits.
me=${1:?lib/cli.sh needs the name of the script that sources it}
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
