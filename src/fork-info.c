// SPDX-License-Identifier: GPL-2.0
/*
 * What makes a module part of one kvm-userfault build.  Assembly compiles
 * this file into each of kvm.ko, kvm-amd.ko and kvm-intel.ko.
 *
 * The marks let `modinfo` and the swap tool tell the fork from the
 * distro's modules.  The checks keep the fork's modules from running with
 * anyone else's: the fork keeps the CRCs of kvm.ko's exports on purpose,
 * so modversions lets a stock kvm-amd.ko load on the fork's kvm.ko and the
 * reverse, yet the fork's struct kvm and struct kvm_vcpu are longer, and
 * a vendor module's struct vcpu_svm or vcpu_vmx, which embeds them, then
 * overlaps the fork's fields: the first userfault exit oopses the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kvm_host.h>

#include "fork-version.h"

MODULE_VERSION(KVM_USERFAULT_VERSION);
MODULE_INFO(kvm_userfault, KVM_USERFAULT_VERSION);

#define KVM_FORK_FIX "load kvm and kvm_amd or kvm_intel from one build: 'kvm-userfault swap-in' for the fork, 'kvm-userfault restore' for stock"

#ifdef KVM_FORK_CORE
/* The build a vendor module must come from; only the fork's kvm.ko has it. */
const char kvm_fork_build[] = KVM_USERFAULT_BUILD;
/* GPL: symbol_get() finds nothing else. */
EXPORT_SYMBOL_GPL(kvm_fork_build);

/*
 * Called by kvm_init(), before /dev/kvm exists, for the vendor module that
 * registers.  The fork's vendor modules carry the version; stock ones
 * carry none.  Same version but another build is the vendor's check.
 */
int kvm_fork_check_vendor(struct module *vendor)
{
	if (vendor->version && !strcmp(vendor->version, KVM_USERFAULT_VERSION))
		return 0;

	pr_err("refusing %s (version %s): this kvm.ko is kvm-userfault %s, and %s is not; %s\n",
	       vendor->name, vendor->version ?: "none, i.e. stock",
	       KVM_USERFAULT_VERSION, vendor->name, KVM_FORK_FIX);
	return -EINVAL;
}
#else
/*
 * Called by the vendor module's init, before it registers with kvm.ko:
 * kvm.ko must be the fork's, of the same build.
 */
int kvm_fork_check_core(void)
{
	const char *core = (const char *)symbol_get(kvm_fork_build);
	bool same = core && !strcmp(core, KVM_USERFAULT_BUILD);

	if (core)
		symbol_put(kvm_fork_build);
	if (same)
		return 0;

	pr_err("refusing to load: this %s is kvm-userfault build %s, but the loaded kvm.ko is %s%s; %s\n",
	       KBUILD_MODNAME, KVM_USERFAULT_BUILD,
	       core ? "kvm-userfault build " : "stock (no kvm-userfault build)",
	       core ? core : "", KVM_FORK_FIX);
	return -EINVAL;
}
#endif
