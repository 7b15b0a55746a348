# shellcheck shell=sh
# Which kernels the fork serves, and which patch each one gets.  Sourced by
# src/assemble.sh, dkms.conf, pkg/install.sh and the scripts that pick or
# list kernels, so the answer lives only here and under src/patches/:
#
#   src/patches/X.Y/series          the series, in order
#   src/patches/X.Y/oldest          the oldest point release it serves
#   src/patches/X.Y/*.patch         the patches, as written for that one
#   src/patches/X.Y/X.Y.Z/*.patch   replacements for point release X.Y.Z
#                                   and later, where stable moved the code
#
# A kernel of series X.Y gets each patch from the newest X.Y.Z/ directory
# at or below its own point release that has it, else from X.Y/ itself.
# Newer point releases are served until a patch stops applying; assembly
# then names the patch and file (see src/patches/README.md).
#
# The caller sets kuf_patches to its src/patches directory.  Every other
# name set here starts with kuf_ or _.
: "${kuf_patches:?}"

# kuf_version KVER: "6.12.95+deb12-amd64" -> 6.12.95 (a missing sublevel
# is 0); fails on a release it cannot read.
kuf_version() {
	printf '%s\n' "$1" | sed -n 's/^\([0-9][0-9]*\)\.\([0-9][0-9]*\)\(\.\([0-9][0-9]*\)\)\{0,1\}\([^0-9].*\)\{0,1\}$/\1.\2.\4/p' |
		sed 's/\.$/.0/' | grep .
}

# kuf_ge A B: version A >= version B.
kuf_ge() {
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]
}

# kuf_series_list: the supported series, oldest first, one a line.
kuf_series_list() {
	for _d in "$kuf_patches"/*/series; do
		[ -f "$_d" ] && basename "$(dirname "$_d")"
	done | sort -V
}

kuf_oldest() {
	cat "$kuf_patches/$1/oldest"
}

# kuf_supported_range: "6.12.95 and later 6.12" for each series, for
# messages.
kuf_supported_range() {
	for _s in $(kuf_series_list); do
		printf '%s and later %s kernels\n' "$(kuf_oldest "$_s")" "$_s"
	done | paste -sd ';' | sed 's/;/; /g'
}

# kuf_unsupported KVER: prints why the fork cannot serve KVER and returns
# 0, or prints nothing and returns 1 when it can.
kuf_unsupported() {
	_v=$(kuf_version "$1") || {
		echo "cannot read a version from kernel release '$1'"
		return 0
	}
	_s=${_v%.*}
	if [ ! -f "$kuf_patches/$_s/series" ]; then
		echo "kernel $1 is a $_s kernel; kvm-userfault serves $(kuf_supported_range)"
		return 0
	fi
	if ! kuf_ge "$_v" "$(kuf_oldest "$_s")"; then
		echo "kernel $1 is older than $(kuf_oldest "$_s"); kvm-userfault serves $(kuf_supported_range)"
		return 0
	fi
	return 1
}

# kuf_patch VERSION NAME: the file of patch NAME for kernel VERSION.
kuf_patch() {
	_s=${1%.*}
	_best=$kuf_patches/$_s/$2
	for _d in $(find "$kuf_patches/$_s" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V); do
		kuf_ge "$1" "$_d" && [ -f "$kuf_patches/$_s/$_d/$2" ] && _best=$kuf_patches/$_s/$_d/$2
	done
	echo "$_best"
}

# kuf_touches_kernel FILE: whether patch FILE changes the kernel, not only
# tools/ (the selftests, which DKMS builds leave out).
kuf_touches_kernel() { grep '^+++ b/' "$1" | grep -qv '^+++ b/tools/'; }

# kuf_exclusive_regex: DKMS' BUILD_EXCLUSIVE_KERNEL for every series, from
# each one's oldest point release: 6.12.95 -> ^6\.12\.(95|9[6-9]|[1-9][0-9]{2,})([^0-9]|$)
kuf_exclusive_regex() {
	for _s in $(kuf_series_list); do
		_n=$(kuf_oldest "$_s")
		_n=${_n##*.}
		_alts=$(awk -v n="$_n" 'BEGIN {
			d = length(n); out = n
			for (i = 1; i <= d; i++) {
				c = substr(n, i, 1) + 1
				if (c > 9) continue
				rest = d - i
				out = out "|" substr(n, 1, i - 1) "[" c "-9]" (rest ? "[0-9]{" rest "}" : "")
			}
			print out "|[1-9][0-9]{" d ",}"
		}')
		printf '%s\\.%s\\.(%s)\n' "${_s%%.*}" "${_s#*.}" "$_alts"
	done | paste -sd '|' | sed 's/.*/^(&)([^0-9]|$)/'
}
