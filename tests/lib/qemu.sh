# shellcheck shell=bash
# Booting the test VM: the choice of accelerator, and one boot of KVER's
# kernel with an initramfs under a timeout.  Sourced by tests/vm-test.sh
# and tests/demo-vm.sh, which set KVER and define say() and die().
#
# Environment:
#   ACCEL    auto (default), tcg or kvm
#   VM_MEM   guest RAM (default 4G)
#   VM_CPUS  guest vCPUs (default 2)
#   TCG_THREAD  single (default) or multi: how TCG runs the vCPUs.  Multi-
#            threaded TCG corrupted the guest's memory in 1 of 8 runs of
#            two nested vCPUs demand paging (stock KVM too); single did not,
#            and on two host CPUs it is no slower
#
# The guest gets two serial ports: ttyS0 is its console, ttyS1 the result
# channel its jobs write to (see tests/guest/init).

qemu="qemu-system-x86_64"

# qemu_kvm_boots KERNEL: whether this host's KVM really runs a guest.  Some
# hosts (nested setups, sandboxes) open /dev/kvm fine and then fail in the
# guest's first instructions, so boot the kernel itself until it panics for
# want of a root file system, which takes a second or two.
qemu_kvm_boots() {
	local log ok=1
	log=$(mktemp)
	if timeout 30 "$qemu" -machine pc -accel kvm -cpu host -m 256M -display none \
		-no-reboot -monitor none -serial "file:$log" -kernel "$1" \
		-append "console=ttyS0 panic=-1" >/dev/null 2>&1 &&
		grep -q 'Kernel panic' "$log"; then
		ok=0
	fi
	rm -f "$log"
	return $ok
}

# qemu_pick_accel: sets QEMU_ACCEL (qemu arguments) and ACCEL_DESC.  KVM is
# used only when the host offers nested virtualization and a probe boot
# works; otherwise TCG emulates an EPYC, whose SVM and nested paging let
# the guest run KVM.
qemu_pick_accel() {
	local kernel=${KROOT:-}/boot/vmlinuz-$KVER nested="" f
	case ${ACCEL:-auto} in
	tcg | kvm | auto) ;;
	*) die "ACCEL=$ACCEL: use auto, tcg or kvm" ;;
	esac
	if [ "${ACCEL:-auto}" = auto ]; then
		for f in /sys/module/kvm_amd/parameters/nested /sys/module/kvm_intel/parameters/nested; do
			case $(cat "$f" 2>/dev/null) in
			Y | 1) nested=$f ;;
			esac
		done
		if [ -z "$nested" ]; then
			say "host KVM offers no nested virtualization: using TCG (slow)"
			ACCEL=tcg
		elif ! qemu_kvm_boots "$kernel"; then
			say "$nested is on, but '$qemu -accel kvm' cannot boot a kernel here: using TCG (slow)"
			ACCEL=tcg
		else
			ACCEL=kvm
		fi
	fi
	if [ "$ACCEL" = kvm ]; then
		QEMU_ACCEL=(-accel kvm -cpu host)
		ACCEL_DESC="KVM, -cpu host"
	else
		QEMU_ACCEL=(-accel "tcg,thread=${TCG_THREAD:-single}" -cpu EPYC)
		ACCEL_DESC="TCG thread=${TCG_THREAD:-single}, -cpu EPYC"
	fi
}

# qemu_boot LABEL INITRD CMDLINE LOGPREFIX TIMEOUT: boots KVER's kernel with
# INITRD and the extra kernel arguments CMDLINE.  Writes LOGPREFIX.console
# (console), LOGPREFIX.results (result channel) and LOGPREFIX.qemu (qemu's
# own messages).  Returns 0 when the guest's job finished, 1 when the guest
# died first (a panic reboots, and -no-reboot turns that into an exit),
# 2 when it was still running after TIMEOUT seconds and was killed.
qemu_boot() {
	local label=$1 initrd=$2 cmdline=$3 log=$4 secs=$5 kernel=${KROOT:-}/boot/vmlinuz-$KVER
	local start=$SECONDS rc=0 took
	[ -n "${ACCEL_DESC:-}" ] || qemu_pick_accel
	say "booting $(basename "$kernel") ($ACCEL_DESC) for $label"
	timeout -k 10 "$secs" "$qemu" -machine pc "${QEMU_ACCEL[@]}" \
		-smp "${VM_CPUS:-2}" -m "${VM_MEM:-4G}" -display none -no-reboot \
		-monitor none -serial "file:$log.console" -serial "file:$log.results" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 $cmdline" >"$log.qemu" 2>&1 || rc=$?
	took=$((SECONDS - start))
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		say "$label: HUNG, killed after $took s (timeout $secs s); console: $log.console"
		return 2
	fi
	# Written by tests/guest/init once the job is done.
	if grep -q '^# guest: job finished' "$log.results" 2>/dev/null; then
		say "$label: done in $took s"
		return 0
	fi
	if [ $rc != 0 ]; then
		say "$label: $qemu failed (exit $rc) after $took s: $(tail -n 1 "$log.qemu")"
	else
		say "$label: guest DIED after $took s: $(grep -m 1 'Kernel panic' "$log.console" || echo 'no panic message'); console: $log.console"
	fi
	return 1
}
