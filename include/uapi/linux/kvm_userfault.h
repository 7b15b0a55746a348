/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * KVM Userfault: vCPU accesses to marked guest pages exit to userspace.
 *
 * This header is the single definition of every number the kvm-userfault
 * fork adds to the KVM API.  The fork's <linux/kvm.h> includes it, and
 * userspace may include it next to the system's <linux/kvm.h>.
 *
 * Upstream allocates capability numbers sequentially (251 as of 7.3), so
 * the capability lives far above that range, where a sequential allocation
 * can never reach it.  The attribute and exit-flag bits keep the RFC's
 * bit 4; the build refuses a target kernel whose headers already use it.
 */
#ifndef _UAPI_LINUX_KVM_USERFAULT_H
#define _UAPI_LINUX_KVM_USERFAULT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* 'U' 'F' in the high half: outside anything upstream will allocate. */
#define KVM_CAP_USERFAULT			0x55460001

/* args[0] of KVM_ENABLE_CAP(KVM_CAP_USERFAULT) */
#define KVM_USERFAULT_ENABLE			(1ULL << 0)
#define KVM_USERFAULT_DISABLE			(1ULL << 1)
/*
 * With KVM_USERFAULT_ENABLE: KVM's own accesses to userfault gfns wait for
 * userspace instead of failing.  args[1] is an eventfd that KVM signals
 * when one starts to wait; KVM_READ_USERFAULT tells which page it wants.
 */
#define KVM_USERFAULT_WAIT			(1ULL << 2)

/* KVM_SET_MEMORY_ATTRIBUTES: accesses to the range exit to userspace */
#define KVM_MEMORY_ATTRIBUTE_USERFAULT		(1ULL << 4)

/* kvm_run.memory_fault.flags: the exit was caused by a userfault gfn */
#define KVM_MEMORY_EXIT_FLAG_USERFAULT		(1ULL << 4)

/* KVM_READ_USERFAULT: a page one of KVM's own accesses waits for */
struct kvm_userfault_read {
	__u64 gpa;	/* out: the page's guest physical address */
	__u64 size;	/* out: its size, 4096 */
	__u64 flags;	/* in: 0 */
	__u64 padding;	/* in: 0 */
};

/*
 * A VM ioctl.  Its type is 'U', not KVMIO, so that no ioctl upstream adds
 * to KVM can ever have the same number.
 */
#define KVM_READ_USERFAULT	_IOWR('U', 0x01, struct kvm_userfault_read)

#endif /* _UAPI_LINUX_KVM_USERFAULT_H */
