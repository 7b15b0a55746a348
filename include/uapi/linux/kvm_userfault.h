/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * KVM Userfault: vCPU accesses to marked guest pages exit to userspace.
 *
 * This header is the single definition of every number the kvm-userfault
 * fork adds to the KVM API.  The fork's <linux/kvm.h> includes it, and
 * userspace may include it next to the system's <linux/kvm.h>.
 *
 * Names.  Every name carries KUF, for kvm-userfault.  Upstream's proposals
 * of KVM Userfault spell theirs KVM_CAP_USERFAULT, KVM_MEM_USERFAULT,
 * KVM_MEMORY_ATTRIBUTE_USERFAULT, KVM_MEMORY_EXIT_FLAG_USERFAULT and
 * KVM_READ_USERFAULT, with other numbers and meanings; a program that
 * includes both headers must get a compile error or two distinct names,
 * never one name with two values.  Until 2026-12 this header used those
 * names.
 *
 * Numbers.  Upstream allocates capability numbers in sequence (251 as of
 * 7.3), so the capability lives far above that range, where a sequential
 * allocation cannot reach it.  The attribute and exit-flag bits keep the
 * RFC's bit 4, which upstream leaves free as of 7.3; the build refuses a
 * kernel whose <linux/kvm.h> uses it.  The ioctl's type is 0xBF, which
 * Documentation/userspace-api/ioctl/ioctl-number.rst assigns to no one:
 * KVMIO's numbers are allocated in sequence too, and the type 'U' used
 * until 2026-12 belongs to usbdevfs, so strace decoded the ioctl as USB.
 */
#ifndef _UAPI_LINUX_KVM_USERFAULT_H
#define _UAPI_LINUX_KVM_USERFAULT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* 'U' 'F' in the high half: outside anything upstream will allocate. */
#define KVM_CAP_KUF_USERFAULT			0x55460001

/* args[0] of KVM_ENABLE_CAP(KVM_CAP_KUF_USERFAULT) */
#define KVM_KUF_USERFAULT_ENABLE		(1ULL << 0)
#define KVM_KUF_USERFAULT_DISABLE		(1ULL << 1)
/*
 * With KVM_KUF_USERFAULT_ENABLE: KVM's own accesses to userfault gfns wait
 * for userspace instead of failing.  args[1] is an eventfd that KVM
 * signals when one starts to wait; KVM_KUF_READ_USERFAULT tells which
 * page it wants.
 */
#define KVM_KUF_USERFAULT_WAIT			(1ULL << 2)

/* KVM_SET_MEMORY_ATTRIBUTES: accesses to the range exit to userspace */
#define KVM_MEMORY_ATTRIBUTE_KUF_USERFAULT	(1ULL << 4)

/* kvm_run.memory_fault.flags: the exit was caused by a userfault gfn */
#define KVM_MEMORY_EXIT_FLAG_KUF_USERFAULT	(1ULL << 4)

/* KVM_KUF_READ_USERFAULT: a page one of KVM's own accesses waits for */
struct kvm_kuf_userfault_read {
	__u64 gpa;	/* out: the page's guest physical address */
	__u64 size;	/* out: its size, 4096 */
	__u64 flags;	/* in: 0 */
	__u64 padding;	/* in: 0 */
};

/* A VM ioctl. */
#define KVM_KUF_READ_USERFAULT	_IOWR(0xBF, 0x01, struct kvm_kuf_userfault_read)

/*
 * The number KVM_KUF_READ_USERFAULT had until 2026-12.  The fork still
 * accepts it, so that binaries built then keep working, and logs once
 * that they should be rebuilt.  New code must not use it.
 */
#define KVM_KUF_READ_USERFAULT_2026_11 \
	_IOWR('U', 0x01, struct kvm_kuf_userfault_read)

#endif /* _UAPI_LINUX_KVM_USERFAULT_H */
