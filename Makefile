# kvm-userfault: build the forked KVM modules for one kernel and test them
# in a VM.  `make help` lists the targets.

top := $(CURDIR)
# The running kernel on a lab host, else the project's reference kernel.
# Quiet here: before `make check` or `make demo` has set the machine up, it
# may not be known yet; `kver-known` says why where it matters.
KVER ?= $(shell $(top)/scripts/target-kernel.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
# Only from the command line: a BUILD in the environment (say, of a make
# that runs dpkg, whose DKMS runs make) must not move the build elsewhere.
ifneq ($(origin BUILD),command line)
BUILD := $(top)/build/$(KVER)
endif
JOBS ?= $(shell nproc)

base := $(shell echo $(KVER) | cut -d. -f1,2)
ktree := $(BUILD)/kvm
ltree := $(BUILD)/linux
moddir := $(ktree)/arch/x86/kvm
modules := $(moddir)/kvm.ko $(moddir)/kvm-amd.ko $(moddir)/kvm-intel.ko
selftests := $(ltree)/tools/testing/selftests/kvm
patches := $(wildcard src/patches/$(base)/*.patch src/patches/$(base)/*/*.patch \
	src/patches/$(base)/series src/patches/$(base)/oldest)
inputs := src/assemble.sh src/kernels.sh src/kernel-source.sh Kbuild src/fork-info.c VERSION include/uapi/linux/kvm_userfault.h

# A kernel of another Debian release than this host's is assembled and
# built in a build root of its release, and booted from there; DKMS, which
# has no scripts/, only ever builds for the host's own kernels.
inroot := $(if $(wildcard $(top)/scripts/in-build-root.sh),$(top)/scripts/in-build-root.sh $(KVER))
vmenv = KVER=$(KVER) KROOT=$$($(top)/scripts/build-root.sh $(KVER)) FORK_DIR=$(moddir) SELFTESTS_DIR=$(selftests)

# Patched headers must win over the headers package's copies.
nostdinc := -I$(ktree)/arch/x86/include -I$(ktree)/include \
	    -I$(ktree)/arch/x86/include/uapi -I$(ktree)/include/uapi

.PHONY: kver-known all modules selftests vm-test vm-stress bench demo demo-run check check-run check-matrix check-fresh check-series deps help clean deb rpm
.DELETE_ON_ERROR:

all: modules

help:
	@echo 'make demo       build the fork and show it swapped in, in a VM'
	@echo 'make check      fast checks, the build and the VM tests'
	@echo 'make modules    build kvm.ko, kvm-amd.ko, kvm-intel.ko for KVER'
	@echo 'make selftests  build the KVM selftests (with our tests) statically'
	@echo 'make vm-test    run the selftests in a VM, on stock and on the fork'
	@echo 'make vm-stress  random load on the fork in a VM, 10,000 operations per MMU mode (SEED=)'
	@echo 'make check-matrix  build and VM-test every kernel Debian 12 and 13 offer (KVERS= picks)'
	@echo 'make check-fresh   make demo and make check on a bare Debian 13 and 12'
	@echo 'make check-series  build the kernel patches one prefix at a time (about 20 min)'
	@echo 'make bench      the demand paging benchmark, on the fork in a VM (not in check)'
	@echo 'make deb        build the .debs (DKMS source, swap tool, uapi header) into build/packages'
	@echo 'make rpm        build the same as RPMs into build/packages'
	@echo 'make clean      remove build/'
	@echo 'KVER=<release> picks the kernel (now: $(KVER)); KSRC=<tree|tarball> its source'

kver-known:
	@test -n "$(KVER)" || { $(top)/scripts/target-kernel.sh >/dev/null; \
		echo "error: no kernel to build for: set KVER=<release>" >&2; exit 1; }

deps:
	@$(top)/scripts/install-deps.sh $(KVER)

# src/assemble.sh writes the stamp, for DKMS' PRE_BUILD as much as for make.
$(ktree)/.assembled: $(inputs) $(patches) | kver-known
	$(inroot) $(top)/src/assemble.sh $(KVER) $(ktree)

$(modules) &: $(ktree)/.assembled
	@$(inroot) test -d $(KDIR) || { echo "error: $(KDIR) is missing: install the headers of kernel $(KVER)" >&2; exit 1; }
	@echo "building kvm.ko, kvm-amd.ko, kvm-intel.ko for $(KVER) (about 40 s)"
	$(inroot) $(MAKE) -C $(KDIR) M=$(moddir) NOSTDINC_FLAGS="$(nostdinc)" -j$(JOBS) modules
	$(inroot) $(top)/src/abi-guard.sh $(KVER) $(moddir)

modules: $(modules)

$(ltree)/.assembled: $(inputs) $(patches) $(wildcard tests/selftests/*/*.c) | kver-known
	$(inroot) $(top)/src/assemble.sh --full $(KVER) $(ltree)

$(selftests)/.built: $(ltree)/.assembled
	@echo "building the KVM selftests statically (about 30 s)"
	$(MAKE) -C $(ltree) -s headers
	@# OUTPUT: lib.mk only defaults it for a top-level make.
	$(MAKE) -C $(selftests) -s -j$(JOBS) OUTPUT=$(selftests) EXTRA_CFLAGS=-static LDFLAGS=-static
	@touch $@

# The uapi document's example is built against the fork's exported headers
# and run in the VM beside the selftests, so the document cannot go stale.
$(selftests)/userfault-example: docs/userfault-example.c $(selftests)/.built
	$(CC) -Wall -Wextra -Werror -static -I$(ltree)/usr/include -o $@ $<

selftests: $(selftests)/.built $(selftests)/userfault-example

vm-test: modules selftests
	$(vmenv) $(top)/tests/vm-test.sh

# Random load on the fork in a VM, in each MMU mode: STRESS_ROUNDS runs of
# STRESS_OPS operations, modules reloaded between them.  The operations
# follow from SEED, which it prints.  Not part of check.
STRESS_OPS ?= 2500
STRESS_ROUNDS ?= 4
vm-stress: modules selftests
	@seed=$${SEED:-$$(date +%s)}; \
	echo "vm-stress: seed $$seed; make vm-stress SEED=$$seed repeats its operations"; \
	$(vmenv) JOB=run-stress SETS=fork TESTS=x86_64/userfault_stress \
		TIMEOUT=$$(($(STRESS_ROUNDS) * 300 + 120)) \
		KERNEL_ARGS="kvmtest.seed=$$seed kvmtest.ops=$(STRESS_OPS) kvmtest.rounds=$(STRESS_ROUNDS)" \
		$(top)/tests/vm-test.sh

# Timings, so never part of check: see docs/BENCHMARKS.md.
bench: modules selftests
	$(vmenv) $(top)/tests/bench.sh

# demo and check set the machine up first; KVER is passed on only if given.
# The rest runs in a new make, which resolves KVER once the machine knows
# its kernels (on a new machine, this make found none).
user_kver := $(if $(filter command line environment,$(origin KVER)),$(KVER))

demo:
	@$(top)/scripts/install-deps.sh $(user_kver)
	@$(MAKE) --no-print-directory demo-run

demo-run: modules selftests
	$(vmenv) $(top)/tests/demo-vm.sh

check:
	@$(top)/scripts/install-deps.sh $(user_kver)
	@$(MAKE) --no-print-directory -s check-run

check-run:
	KVER=$(KVER) BUILD=$(BUILD) $(top)/tests/check.sh

# Every kernel Debian 12 and 13 offer, each in all three MMU modes (hours).
check-matrix:
	@$(top)/scripts/install-deps.sh $(user_kver)
	$(top)/tests/check-matrix.sh $(KVERS)

# Each prefix of the kernel patches builds: a series a reviewer can bisect.
check-series: | kver-known
	$(inroot) $(top)/tests/check-series-builds.sh $(KVER)

# The README's two commands on a bare Debian 13 and 12, each in a root of
# its own made with debootstrap (git and make only).
check-fresh:
	@$(top)/scripts/install-deps.sh $(user_kver)
	$(top)/tests/check-fresh.sh

# The packages carry sources; DKMS builds the modules where they are installed.
deb:
	$(top)/pkg/build-deb.sh $(top)/build/packages

rpm:
	$(top)/pkg/build-rpm.sh $(top)/build/packages

clean:
	rm -rf $(top)/build
