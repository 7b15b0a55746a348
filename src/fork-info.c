// SPDX-License-Identifier: GPL-2.0
/*
 * Marks a module as built by kvm-userfault, so `modinfo` and the swap tool
 * can tell the fork from the distro's modules.
 */
#include <linux/module.h>

#include "fork-version.h"

MODULE_VERSION(KVM_USERFAULT_VERSION);
MODULE_INFO(kvm_userfault, KVM_USERFAULT_VERSION);
