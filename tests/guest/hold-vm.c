// SPDX-License-Identifier: GPL-2.0
/*
 * Creates a KVM VM and keeps it, without /dev/kvm open, until killed: what
 * a VMM between runs looks like to kvm-userfault, which must refuse to swap
 * modules under it.  tests/test-packages.sh builds it statically for the
 * swap-tool job.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm = kvm < 0 ? -1 : ioctl(kvm, KVM_CREATE_VM, 0);

	if (vm < 0) {
		perror("hold-vm: KVM_CREATE_VM");
		return 1;
	}
	close(kvm);
	printf("hold-vm: holding VM fd %d\n", vm);
	fflush(stdout);
	pause();
	return 0;
}
