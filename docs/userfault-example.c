// SPDX-License-Identifier: GPL-2.0
/*
 * KVM Userfault in a nutshell: a real-mode guest reads a page that has not
 * "arrived" yet, KVM_RUN exits to userspace, userspace fills the page, clears
 * the attribute and re-enters, and the guest reads the value userspace wrote.
 * See docs/userfault-api.rst.
 *
 * Build:  gcc -Wall -Wextra -Werror -static -I<uapi headers> \
 *             -o userfault-example docs/userfault-example.c
 * where <uapi headers> holds the fork's installed uapi headers (linux/kvm.h
 * and linux/kvm_userfault.h, e.g. `make headers` output of the assembled
 * tree).
 *
 * Exit status: 0 on success, 4 (skip) without KVM Userfault, 1 on failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/kvm_userfault.h>

#define KSFT_SKIP	4

#define MEM_SIZE	0x4000		/* guest physical [0, 16K) */
#define CODE_GPA	0x1000
#define DATA_GPA	0x2000		/* the page that has not arrived yet */
#define PAGE_SZ		0x1000
#define RESULT_PORT	0x10
#define DATA_VALUE	0xbeef

/*
 * 16-bit real-mode guest code, loaded at CODE_GPA with CS = DS = 0:
 *	mov ax, [DATA_GPA]
 *	out RESULT_PORT, ax
 *	hlt
 */
static const uint8_t guest_code[] = {
	0xa1, DATA_GPA & 0xff, DATA_GPA >> 8,
	0xe7, RESULT_PORT,
	0xf4,
};

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...);

static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "userfault-example: FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int r = ioctl(fd, req, arg);

	if (r < 0)
		fail("%s: %s", what, strerror(errno));
	return r;
}

static void set_userfault(int vm, int on)
{
	struct kvm_memory_attributes attr = {
		.address = DATA_GPA,
		.size = PAGE_SZ,
		/* The whole attribute value is set: 0 clears USERFAULT. */
		.attributes = on ? KVM_MEMORY_ATTRIBUTE_KUF_USERFAULT : 0,
	};

	xioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr, "KVM_SET_MEMORY_ATTRIBUTES");
}

int main(void)
{
	struct kvm_userspace_memory_region region;
	struct kvm_enable_cap cap;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int kvm, vm, vcpu, r;
	long mmap_size;
	uint16_t value;
	uint8_t *mem;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("userfault-example: SKIP: cannot open /dev/kvm: %s\n",
		       strerror(errno));
		return KSFT_SKIP;
	}

	/* Stock KVM does not know the capability and returns 0. */
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_KUF_USERFAULT) <= 0) {
		printf("userfault-example: SKIP: KVM_CAP_KUF_USERFAULT is not supported (stock KVM modules?)\n");
		return KSFT_SKIP;
	}

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		fail("KVM_CREATE_VM: %s", strerror(errno));

	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_KUF_USERFAULT;
	cap.args[0] = KVM_KUF_USERFAULT_ENABLE;
	xioctl(vm, KVM_ENABLE_CAP, &cap, "KVM_ENABLE_CAP(KVM_CAP_KUF_USERFAULT)");

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	memcpy(mem + CODE_GPA, guest_code, sizeof(guest_code));

	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = MEM_SIZE;
	region.userspace_addr = (uintptr_t)mem;
	xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

	/* The data page has not arrived: vCPU accesses must exit. */
	set_userfault(vm, 1);

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		fail("KVM_CREATE_VCPU: %s", strerror(errno));
	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (long)sizeof(*run))
		fail("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		fail("mmap(vcpu): %s", strerror(errno));

	xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	sregs.ds.base = 0;
	sregs.ds.selector = 0;
	xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_GPA;
	regs.rflags = 0x2;
	xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");

	/* 1. The guest reads the data page: KVM_RUN fails with EFAULT. */
	r = ioctl(vcpu, KVM_RUN, 0);
	if (r != -1 || errno != EFAULT)
		fail("first KVM_RUN: expected -1/EFAULT, got %d/%s (exit_reason %u)",
		     r, r < 0 ? strerror(errno) : "no error", run->exit_reason);
	if (run->exit_reason != KVM_EXIT_MEMORY_FAULT)
		fail("first KVM_RUN: expected exit_reason KVM_EXIT_MEMORY_FAULT (%d), got %u",
		     KVM_EXIT_MEMORY_FAULT, run->exit_reason);
	if (!(run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_KUF_USERFAULT))
		fail("memory_fault.flags 0x%llx lacks KVM_MEMORY_EXIT_FLAG_KUF_USERFAULT",
		     (unsigned long long)run->memory_fault.flags);
	if (run->memory_fault.gpa != DATA_GPA || run->memory_fault.size != PAGE_SZ)
		fail("memory_fault: expected gpa 0x%x size 0x%x, got gpa 0x%llx size 0x%llx",
		     DATA_GPA, PAGE_SZ, (unsigned long long)run->memory_fault.gpa,
		     (unsigned long long)run->memory_fault.size);
	printf("userfault-example: userfault exit for gpa 0x%llx, flags 0x%llx\n",
	       (unsigned long long)run->memory_fault.gpa,
	       (unsigned long long)run->memory_fault.flags);

	/* 2. "Fetch" the page, then let the guest have it. */
	value = DATA_VALUE;
	memcpy(mem + DATA_GPA, &value, sizeof(value));
	set_userfault(vm, 0);

	/* 3. The guest now reads the page and reports what it saw. */
	xioctl(vcpu, KVM_RUN, NULL, "second KVM_RUN");
	if (run->exit_reason != KVM_EXIT_IO || run->io.port != RESULT_PORT ||
	    run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 2)
		fail("second KVM_RUN: expected a 2-byte OUT to port 0x%x, got exit_reason %u",
		     RESULT_PORT, run->exit_reason);
	memcpy(&value, (uint8_t *)run + run->io.data_offset, sizeof(value));
	if (value != DATA_VALUE)
		fail("the guest read 0x%x, expected 0x%x", value, DATA_VALUE);

	xioctl(vcpu, KVM_RUN, NULL, "third KVM_RUN");
	if (run->exit_reason != KVM_EXIT_HLT)
		fail("third KVM_RUN: expected KVM_EXIT_HLT, got exit_reason %u",
		     run->exit_reason);

	printf("userfault-example: PASS: the guest read 0x%x after the userfault was resolved\n",
	       value);
	return 0;
}
