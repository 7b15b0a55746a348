# shellcheck shell=sh
# Job of tests/test-packages.sh: kvm-userfault on the module tree that the
# packages installed on the host: the stock modules, DKMS' build of the fork
# in updates/dkms, the package's depmod configuration.  Writes TAP to the
# result channel; the console gets every command's output.
#
# Kernel argument: kvmtest.version=VERSION, the fork's version.
set -u
PATH=/usr/sbin:/usr/bin:/bin
export PATH

results=${kvmtest_results:?}
version=${kvmtest_version:?}
moddir=/lib/modules/$(uname -r)
probe=/usr/libexec/kvm-userfault/kvm-userfault-probe
vendor=kvm_amd
grep -qw vmx /proc/cpuinfo && vendor=kvm_intel
vendor_file=$(echo "$vendor" | tr _ -)
# Where DKMS on Fedora and RHEL archives the stock modules it replaces.
archive=/var/lib/dkms/kvm-userfault/original_module/$(uname -r)/x86_64
mkdir -p /run /etc/modprobe.d "$archive"
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# busybox sh runs its own applets before anything on PATH: kmod's tools,
# which read depmod.d and .ko.xz, are called by their paths.
modprobe() { /usr/sbin/modprobe "$@"; }
rmmod() { /usr/sbin/rmmod "$@"; }

n=0
result() {
	n=$((n + 1))
	echo "$1 $n - $2" >"$results"
}
# check NAME COMMAND...: one TAP line from COMMAND's status.  Its output
# goes to the console, and on failure to the result channel as well.
check() {
	name=$1
	shift
	echo "=== $name"
	if out=$("$@" 2>&1); then
		result ok "$name"
	else
		result "not ok" "$name"
		echo "$out" | tail -n 20 | sed 's/^/#   /' >"$results"
	fi
	echo "$out"
}

# kvm_is stock|fork: what the loaded kvm is, by sysfs and through /dev/kvm.
kvm_is() {
	v=$(cat /sys/module/kvm/version 2>/dev/null)
	rc=0
	cap=$("$probe" 2>&1) || rc=$?
	case $1:$v:$rc in
	stock::1 | fork:"$version":0) return 0 ;;
	esac
	echo "want the $1 kvm, but kvm has version '${v:-none}' and $probe says: $cap (exit $rc)"
	return 1
}

# kvmgt_back: kvmgt is loaded whenever it was at the start.
kvmgt_back() {
	[ -z "$kvmgt" ] || [ -e /sys/module/kvmgt/initstate ] || {
		echo "kvmgt was not loaded again"
		return 1
	}
}

# wait_fd PID TARGET: waits until process PID holds a file TARGET.
wait_fd() {
	i=0
	# shellcheck disable=SC2010 # the link targets are what is wanted
	while ! ls -l "/proc/$1/fd" 2>/dev/null | grep -q -- "-> $2\$"; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

# refused PID COMMAND WHAT: swap-in fails, names the process, changes nothing.
refused() {
	if out=$(kvm-userfault swap-in 2>&1); then
		echo "swap-in succeeded: $out"
		return 1
	fi
	echo "$out"
	echo "$out" | grep -qF "$1 ($2): $3" || {
		echo "the refusal does not name '$1 ($2): $3'"
		return 1
	}
	kvm_is stock && kvmgt_back
}

first_load() {
	modprobe "$vendor" nested=0 && kvm_is stock &&
		echo 12345 >/sys/module/kvm/parameters/halt_poll_ns
}

swapped_in() {
	kvm-userfault swap-in && kvm_is fork && kvmgt_back || return 1
	nested=$(cat "/sys/module/$vendor/parameters/nested")
	poll=$(cat /sys/module/kvm/parameters/halt_poll_ns)
	case $nested:$poll in
	0:12345 | N:12345) ;;
	*)
		echo "$vendor.nested is $nested (want 0), kvm.halt_poll_ns $poll (want 12345)"
		return 1
		;;
	esac
}

status_says_fork() {
	out=$(kvm-userfault status) || return 1
	echo "$out"
	echo "$out" | grep -Eq "^kvm +fork $version " &&
		echo "$out" | grep -q '^selected: *fork'
}

modprobe_loads_fork() {
	[ -z "$kvmgt" ] || rmmod kvmgt || return 1
	rmmod "$vendor" kvm && modprobe "$vendor" && kvm_is fork || return 1
	[ -z "$kvmgt" ] || modprobe kvmgt
}

swap_in_again() {
	out=$(kvm-userfault swap-in 2>&1) || return 1
	echo "$out"
	echo "$out" | grep -q 'in use already'
}

# As DKMS on Fedora and RHEL leaves it: the stock vendor module archived.
restored() {
	mv "$moddir/kernel/arch/x86/kvm/$vendor_file.ko"* "$archive/" &&
		kvm-userfault restore && kvm_is stock && kvmgt_back || return 1
	ls "$moddir/kernel/arch/x86/kvm/$vendor_file.ko"* >/dev/null 2>&1 || {
		echo "the archived stock $vendor_file was not put back"
		return 1
	}
	[ ! -e /etc/depmod.d/kvm-userfault.conf ] || {
		echo "/etc/depmod.d/kvm-userfault.conf is still there"
		return 1
	}
}

# A vendor module that fails to load once the fork is selected, which
# modprobe.d's install command can fake.
backed_out() {
	echo "install $vendor if [ -e /etc/depmod.d/kvm-userfault.conf ]; then echo fake failure >&2; false;" \
		"else /usr/sbin/modprobe --ignore-install $vendor \$CMDLINE_OPTS; fi" >/etc/modprobe.d/fail.conf
	out=$(kvm-userfault swap-in 2>&1)
	rc=$?
	rm /etc/modprobe.d/fail.conf
	echo "$out"
	[ $rc != 0 ] || {
		echo "swap-in succeeded although $vendor failed to load"
		return 1
	}
	echo "$out" | grep -q 'loaded again' || {
		echo "swap-in did not say it went back"
		return 1
	}
	kvm_is stock && kvmgt_back && [ ! -e /etc/depmod.d/kvm-userfault.conf ]
}

# Only what this job causes counts against it.
dmesg -c >/dev/null

kvm-userfault status
check "modprobe $vendor loads the stock modules the package left selected" first_load
if out=$(modprobe kvmgt 2>&1); then
	kvmgt=1
	result ok "kvmgt, which imports kvm.ko's symbols, loads on stock KVM"
else
	kvmgt=
	result ok "kvmgt, which imports kvm.ko's symbols, loads on stock KVM # SKIP $out"
fi

# sleep does not read it: holding it open is the point.
# shellcheck disable=SC2217
sleep 600 </dev/kvm &
pid=$!
wait_fd $pid /dev/kvm
check "swap-in is refused while a process holds /dev/kvm, and names it" refused $pid sleep /dev/kvm
kill $pid
wait $pid

/guest/hold-vm &
pid=$!
wait_fd $pid anon_inode:kvm-vm
check "swap-in is refused while a VM exists, and names its process" refused $pid hold-vm "1 VM"
kill $pid
wait $pid

check "swap-in loads the fork with the parameters set before, and kvmgt again" swapped_in
check "status shows the fork loaded and selected" status_says_fork
check "after swap-in, modprobe $vendor loads the fork" modprobe_loads_fork
check "swap-in again does nothing" swap_in_again
check "restore puts back the stock module DKMS archived, loads the stock modules and kvmgt again" restored
check "a fork that fails to load is backed out: the stock modules are loaded and selected again" backed_out
kvm-userfault status

if dmesg | grep -Eq 'WARNING:|BUG:|Oops|Call Trace'; then
	result "not ok" "kernel log"
	dmesg | grep -E -A5 'WARNING:|BUG:|Oops|Call Trace' | head -n 20 | sed 's/^/#   /' >"$results"
else
	result ok "kernel log"
fi
echo "1..$n" >"$results"
