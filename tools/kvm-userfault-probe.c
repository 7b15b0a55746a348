// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-userfault-probe: asks the loaded KVM, through /dev/kvm, whether it
 * implements KVM Userfault.  Stock KVM answers 0 to the capability, so this
 * tells the fork's modules from the distribution's whatever the files on
 * disk say.  kvm-userfault(8) runs it after every swap.
 *
 * Prints "KVM_CAP_KUF_USERFAULT <answer>" and exits 0 if the answer is
 * non-zero, 1 if it is 0, 2 if KVM could not be asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/kvm_userfault.h>

int main(int argc, char **argv)
{
	int kvm, answer;

	if (argc > 1) {
		fprintf(stderr, "usage: %s\n"
			"Prints KVM_CHECK_EXTENSION(KVM_CAP_KUF_USERFAULT) of /dev/kvm; exits 0 if\n"
			"non-zero, 1 if 0, 2 on error.\n", argv[0]);
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "kvm-userfault-probe: cannot open /dev/kvm: %s\n",
			strerror(errno));
		return 2;
	}
	answer = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_KUF_USERFAULT);
	if (answer < 0) {
		fprintf(stderr, "kvm-userfault-probe: KVM_CHECK_EXTENSION: %s\n",
			strerror(errno));
		return 2;
	}
	close(kvm);
	printf("KVM_CAP_KUF_USERFAULT %d\n", answer);
	return answer ? 0 : 1;
}
