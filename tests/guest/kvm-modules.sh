# shellcheck shell=sh
# Loading and unloading one set of KVM modules inside the test VM; sourced
# by the jobs in tests/guest/.  tests/lib/initramfs.sh packs each set as
# /modules/SET/{kvm,kvm-amd,kvm-intel}.ko, and the kernel's own modules
# that KVM needs (irqbypass, ccp) in /modules/deps, listed in load order
# in /modules/deps/order.

# Kernel log lines that mean the kernel hit a bug, warned or deadlocked:
# each job fails its kernel-log check on one.
# shellcheck disable=SC2034 # used by the jobs that source this file
kvm_splat='WARNING:|BUG:|Oops|Call Trace|general protection fault|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU|UBSAN:|KASAN:|soft lockup|hard LOCKUP|rcu_.* stall|blocked for more than'

# amd or intel, from the virtualization flag the virtual CPU offers.
kvm_vendor() {
	if grep -qw svm /proc/cpuinfo; then
		echo amd
	elif grep -qw vmx /proc/cpuinfo; then
		echo intel
	else
		return 1
	fi
}

# Turns MODE ("npt=1 tdp_mmu=Y") into "module param value" lines for VENDOR.
# npt names the vendor's two-dimensional paging, which kvm-intel calls ept,
# so one list of modes serves both vendors.  MODULE.PARAM=VALUE passes any
# other parameter through.
kvm_mode_params() {
	for word in $2; do
		name=${word%%=*}
		value=${word#*=}
		case $name in
		*.*) echo "${name%%.*} ${name#*.} $value" ;;
		tdp_mmu) echo "kvm tdp_mmu $value" ;;
		npt)
			if [ "$1" = amd ]; then
				echo "kvm_amd npt $value"
			else
				echo "kvm_intel ept $value"
			fi
			;;
		*) echo "kvm_$1 $name $value" ;;
		esac
	done
}

# Y/N and 1/0 are the same thing to a bool parameter.
kvm_bool() {
	case $1 in
	Y | y | 1) echo 1 ;;
	N | n | 0) echo 0 ;;
	*) echo "$1" ;;
	esac
}

# kvm_load SET MODE: loads /modules/SET's kvm.ko and vendor module with the
# parameters of MODE, then checks in sysfs that each one took effect: KVM
# quietly overrides what the hardware cannot do (npt=1 without NPT).
# Prints why and fails if anything went wrong.
kvm_load() {
	if ! vendor=$(kvm_vendor); then
		echo "the guest CPU offers neither svm nor vmx"
		return 1
	fi
	params=$(kvm_mode_params "$vendor" "$2")
	kvm_args=$(echo "$params" | awk '$1 == "kvm" { printf "%s=%s ", $2, $3 }')
	vendor_args=$(echo "$params" | awk -v m="kvm_$vendor" '$1 == m { printf "%s=%s ", $2, $3 }')
	stray=$(echo "$params" | awk -v m="kvm_$vendor" 'NF && $1 != "kvm" && $1 != m { print $1 }')
	if [ -n "$stray" ]; then
		echo "mode '$2' names a module other than kvm and kvm_$vendor: $stray"
		return 1
	fi
	for ko in kvm.ko "kvm-$vendor.ko"; do
		if [ ! -f "/modules/$1/$ko" ]; then
			echo "the $1 set has no $ko"
			return 1
		fi
	done

	kvm_load_deps || return 1
	# One word per parameter.
	# shellcheck disable=SC2086
	insmod "/modules/$1/kvm.ko" $kvm_args || return 1
	# shellcheck disable=SC2086
	if ! insmod "/modules/$1/kvm-$vendor.ko" $vendor_args; then
		rmmod kvm
		return 1
	fi

	bad=0
	while read -r mod param want; do
		[ -n "$mod" ] || continue
		got=$(cat "/sys/module/$mod/parameters/$param" 2>/dev/null || echo missing)
		if [ "$(kvm_bool "$got")" != "$(kvm_bool "$want")" ]; then
			echo "$mod.$param is $got, not $want"
			bad=1
		fi
	done <<PARAMS
$params
PARAMS
	return $bad
}

kvm_unload() {
	rmmod "kvm_$(kvm_vendor)" kvm
}

# kvm_load_pair CORE VENDOR: kvm.ko of the set CORE, then the vendor
# module of the set VENDOR, without parameters; fails if either insmod
# does, leaving loaded what did load.
kvm_load_pair() {
	vendor=$(kvm_vendor) || return 1
	kvm_load_deps || return 1
	insmod "/modules/$1/kvm.ko" && insmod "/modules/$2/kvm-$vendor.ko"
}

# The kernel's own modules that KVM needs, in their order.
kvm_load_deps() {
	while read -r ko; do
		dep=$(echo "${ko%.ko}" | tr - _)
		[ -d "/sys/module/$dep" ] || insmod "/modules/deps/$ko" || return 1
	done </modules/deps/order
}
