// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM Userfault under random load, for `make vm-stress`.
 *
 * 2 to 4 vCPUs read random pages of a data region and check each one: a
 * page always holds a header (its index, a sequence number) and words
 * derived from both, so a page read while userspace rewrites it, or one
 * whose contents went back, is counted.  They also point the wall clock
 * at a page of the region, so that KVM writes it itself.  Meanwhile the
 * main thread runs random operations, reproducible from the seed:
 * marking and clearing ranges (a clear first writes the page anew, as a
 * migration's fill), enabling and disabling KVM Userfault with and
 * without KVM_KUF_USERFAULT_WAIT, memslot creation, moves and deletion,
 * ioeventfd and coalesced MMIO registration, guest_memfd creation, signal
 * kicks of vCPU threads, and VMs killed while their vCPUs wait.  vCPU
 * threads resolve their userfault exits, a resolver thread the pages
 * KVM waits for.  The thread interleaving is not reproducible, only the
 * sequence of operations.
 *
 *   userfault_stress [-s SEED] [-n OPS] [-t SECONDS] [-B]
 *
 * -B breaks the rules on purpose, to show that the guest's checks catch a
 * page that changes under it: some operations rewrite a page that is not
 * marked.  The run must then fail.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <linux/kvm.h>
#include <linux/kvm_userfault.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"

#define DATA_GPA	0xc0000000ull
#define DATA_SLOT	10
#define NR_DATA		256
/* The wall clock's page, the last of the region, checked by no one. */
#define WALL_INDEX	NR_DATA
#define NR_PAGES	(NR_DATA + 1)
#define AUX_SLOT	11
#define AUX_GPA		0xd0000000ull
#define AUX_PAGES	8
#define MMIO_GPA	0xe0000000ull
#define MAX_VCPUS	4
#define MAGIC		0x55465354524553ull	/* "UFSTRES" */
#define POISON		0xee
#define BATCH		16

/* A page's word @j, for page @idx at sequence number @seq. */
static inline uint64_t page_word(uint64_t idx, uint64_t seq, uint64_t j)
{
	uint64_t x = idx * 0x9e3779b97f4a7c15ull ^ seq * 0xc2b2ae3d27d4eb4full ^ j;

	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ull;
	return x ^ (x >> 27);
}

static inline uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Guest side. */
static uint64_t guest_seen[MAX_VCPUS][NR_DATA];

/*
 * 0 if page @idx is whole; 1 if not, 2 if its sequence number went back,
 * 3 if it was rewritten under every read and could not be checked.
 */
static uint64_t guest_check(uint32_t id, uint64_t idx, uint64_t *seq_out)
{
	volatile uint64_t *p = (volatile uint64_t *)(DATA_GPA + idx * PAGE_SIZE);
	uint64_t seq, j;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		bool whole = p[0] == (MAGIC ^ idx);

		seq = p[1];
		for (j = 2; whole && j < PAGE_SIZE / 8; j++)
			whole = p[j] == page_word(idx, seq, j);
		/* Rewritten while read: userspace resolved it meanwhile. */
		if (p[1] != seq)
			continue;
		*seq_out = seq;
		if (!whole)
			return 1;
		if (seq < guest_seen[id][idx])
			return 2;
		guest_seen[id][idx] = seq;
		return 0;
	}
	*seq_out = seq;
	return 3;
}

static void guest_code(uint32_t id, uint64_t seed)
{
	uint64_t verified = 0, bad = 0, stale = 0, bad_idx = 0, bad_seq = 0;
	uint64_t rng = seed | 1, idx, seq, r;
	int i;

	for (;;) {
		for (i = 0; i < BATCH; i++) {
			idx = next_rand(&rng) % NR_DATA;
			r = guest_check(id, idx, &seq);
			verified += r != 3;
			if (r == 1 || r == 2) {
				bad += r == 1;
				stale += r == 2;
				bad_idx = idx;
				bad_seq = seq;
			}
		}
		/* KVM's own write into the region. */
		wrmsr(MSR_KVM_WALL_CLOCK_NEW, DATA_GPA + WALL_INDEX * PAGE_SIZE);
		ucall(UCALL_SYNC, 6, id, verified, bad, stale, bad_idx, bad_seq);
	}
}

/* Host side. */
struct vcpu_thread {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	uint64_t verified, bad, stale, exits, eintr;
	bool done;
};

static struct {
	struct kvm_vm *vm;
	uint8_t *data;
	pthread_mutex_t lock;
	bool enabled;
	bool marked[NR_PAGES];
	uint64_t seq[NR_PAGES];
	int eventfd;
	volatile bool stop;
	uint64_t waits, failures;
	int nr_vcpus;
	struct vcpu_thread vcpus[MAX_VCPUS];
	pthread_t resolver;
} st;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	__atomic_add_fetch(&st.failures, 1, __ATOMIC_RELAXED);
}

/*
 * Writes page @idx anew, as a migration's fill.  It holds poison for a
 * while first, so that a vCPU that reads the page now, when it must not,
 * sees it broken.
 */
static void fill(uint64_t idx)
{
	uint64_t *p = (uint64_t *)(st.data + idx * PAGE_SIZE);
	uint64_t j, seq = ++st.seq[idx];

	memset(p, POISON, PAGE_SIZE);
	if (idx == WALL_INDEX)
		return;
	usleep(100);
	for (j = 2; j < PAGE_SIZE / 8; j++)
		p[j] = page_word(idx, seq, j);
	p[0] = MAGIC ^ idx;
	WRITE_ONCE(p[1], seq);
}

static int set_attrs(uint64_t first, uint64_t n, uint64_t attrs)
{
	struct kvm_memory_attributes ma = {
		.address = DATA_GPA + first * PAGE_SIZE,
		.size = n * PAGE_SIZE,
		.attributes = attrs,
	};

	return __vm_ioctl(st.vm, KVM_SET_MEMORY_ATTRIBUTES, &ma);
}

/* Fills and clears the marked pages of [first, first + n); needs st.lock. */
static void resolve_range(uint64_t first, uint64_t n)
{
	uint64_t i;

	for (i = first; i < first + n; i++)
		if (st.marked[i])
			fill(i);
	if (st.enabled && set_attrs(first, n, 0))
		fail("clearing pages %lu+%lu: errno %d", first, n, errno);
	for (i = first; i < first + n; i++)
		st.marked[i] = false;
}

static void resolve_gpa(uint64_t gpa)
{
	uint64_t idx = (gpa - DATA_GPA) / PAGE_SIZE;

	if (gpa < DATA_GPA || idx >= NR_PAGES) {
		fail("KVM reports gpa %#lx, outside the region", gpa);
		return;
	}
	pthread_mutex_lock(&st.lock);
	resolve_range(idx, 1);
	pthread_mutex_unlock(&st.lock);
}

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;
	struct kvm_run *run = t->vcpu->run;
	struct ucall uc;
	int r;

	while (!st.stop) {
		r = __vcpu_run(t->vcpu);
		if (r && errno == EINTR) {
			t->eintr++;
			continue;
		}
		if (r && errno == EFAULT && run->exit_reason == KVM_EXIT_MEMORY_FAULT &&
		    (run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_KUF_USERFAULT)) {
			t->exits++;
			resolve_gpa(run->memory_fault.gpa);
			continue;
		}
		if (r) {
			fail("vCPU %u: KVM_RUN failed, errno %d, exit %s", t->vcpu->id,
			     errno, exit_reason_str(run->exit_reason));
			break;
		}
		switch (get_ucall(t->vcpu, &uc)) {
		case UCALL_SYNC:
			t->verified = uc.args[1];
			if (uc.args[2] > t->bad || uc.args[3] > t->stale)
				fail("vCPU %u read page %lu broken at sequence %lu (%lu broken, %lu went back)",
				     t->vcpu->id, uc.args[4], uc.args[5], uc.args[2], uc.args[3]);
			t->bad = uc.args[2];
			t->stale = uc.args[3];
			break;
		default:
			fail("vCPU %u: unexpected exit %s", t->vcpu->id,
			     exit_reason_str(run->exit_reason));
			st.stop = true;
		}
	}
	t->done = true;
	return NULL;
}

/* Resolves the pages KVM waits for (KVM_KUF_USERFAULT_WAIT). */
static void *resolver_main(void *arg)
{
	struct pollfd pfd = { .fd = st.eventfd, .events = POLLIN };
	struct kvm_kuf_userfault_read rd;
	uint64_t count;

	while (!st.stop) {
		if (poll(&pfd, 1, 20) != 1)
			continue;
		TEST_ASSERT(read(st.eventfd, &count, sizeof(count)) == sizeof(count),
			    "read(eventfd) failed");
		for (;;) {
			memset(&rd, 0, sizeof(rd));
			if (__vm_ioctl(st.vm, KVM_KUF_READ_USERFAULT, &rd))
				break;
			st.waits++;
			resolve_gpa(rd.gpa);
		}
	}
	return NULL;
}

static void on_signal(int sig)
{
}

enum op {
	OP_MARK, OP_CLEAR, OP_TOGGLE, OP_MEMSLOT, OP_IOEVENTFD, OP_COALESCED,
	OP_GMEM, OP_KICK, OP_KILL, OP_PAUSE, OP_BREAK, NR_OPS
};

static const char * const op_names[NR_OPS] = {
	"mark", "clear", "enable/disable", "memslot", "ioeventfd",
	"coalesced-mmio", "guest_memfd", "signal", "kill-with-waiters", "pause",
	"rewrite-unmarked (-B)",
};

/* Out of 1000; OP_BREAK takes the pauses' share with -B. */
static const int op_weights[NR_OPS] = { 300, 300, 30, 80, 60, 60, 50, 100, 10, 10, 0 };
static bool break_rules;

static uint64_t ops_done, op_count[NR_OPS], op_refused[NR_OPS];

static void op_mark(uint64_t *rng)
{
	uint64_t first = next_rand(rng) % NR_PAGES;
	uint64_t n = 1 + next_rand(rng) % 32, i;

	/* Often the wall clock's page, so that KVM's own write waits. */
	if (!(next_rand(rng) % 4))
		first = WALL_INDEX;
	n = min(n, NR_PAGES - first);
	pthread_mutex_lock(&st.lock);
	if (!st.enabled) {
		if (!set_attrs(first, n, KVM_MEMORY_ATTRIBUTE_KUF_USERFAULT) || errno != EINVAL)
			fail("marking while disabled: not EINVAL");
		op_refused[OP_MARK]++;
	} else if (set_attrs(first, n, KVM_MEMORY_ATTRIBUTE_KUF_USERFAULT)) {
		fail("marking pages %lu+%lu: errno %d", first, n, errno);
	} else {
		for (i = first; i < first + n; i++)
			st.marked[i] = true;
	}
	pthread_mutex_unlock(&st.lock);
}

/* -B: rewrites a page that is not marked, which vCPUs may be reading. */
static void op_break(uint64_t *rng)
{
	uint64_t idx = next_rand(rng) % NR_DATA;

	pthread_mutex_lock(&st.lock);
	if (!st.marked[idx])
		fill(idx);
	pthread_mutex_unlock(&st.lock);
}

static void op_clear(uint64_t *rng)
{
	uint64_t first = next_rand(rng) % NR_PAGES;
	uint64_t n = min(1 + next_rand(rng) % 64, NR_PAGES - first);

	pthread_mutex_lock(&st.lock);
	resolve_range(first, n);
	pthread_mutex_unlock(&st.lock);
	if (break_rules)
		op_break(rng);
}

static void op_toggle(uint64_t *rng)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_KUF_USERFAULT };
	bool wait = next_rand(rng) & 1;

	pthread_mutex_lock(&st.lock);
	if (st.enabled) {
		cap.args[0] = KVM_KUF_USERFAULT_DISABLE;
	} else {
		cap.args[0] = KVM_KUF_USERFAULT_ENABLE | (wait ? KVM_KUF_USERFAULT_WAIT : 0);
		cap.args[1] = wait ? st.eventfd : 0;
	}
	if (__vm_ioctl(st.vm, KVM_ENABLE_CAP, &cap)) {
		fail("KVM_ENABLE_CAP(%#llx): errno %d", cap.args[0], errno);
	} else if (st.enabled) {
		/* Disabling dropped every mark; the pages keep their contents. */
		st.enabled = false;
		memset(st.marked, 0, sizeof(st.marked));
	} else {
		st.enabled = true;
	}
	pthread_mutex_unlock(&st.lock);
}

/* A slot no vCPU uses, created, moved and deleted under running vCPUs. */
static void op_memslot(uint64_t *rng)
{
	static void *mem;
	static bool present;
	struct kvm_userspace_memory_region region = {
		.slot = AUX_SLOT,
		.memory_size = AUX_PAGES * PAGE_SIZE,
		.guest_phys_addr = AUX_GPA + (next_rand(rng) % 64) * AUX_PAGES * PAGE_SIZE,
	};

	if (!mem) {
		mem = mmap(NULL, AUX_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		TEST_ASSERT(mem != MAP_FAILED, "mmap() failed");
	}
	region.userspace_addr = (uint64_t)mem;
	/* Present: move it, or delete it one time in three. */
	if (present && !(next_rand(rng) % 3))
		region.memory_size = 0;
	if (__vm_ioctl(st.vm, KVM_SET_USER_MEMORY_REGION, &region)) {
		/* A move onto the same address is refused. */
		op_refused[OP_MEMSLOT]++;
		return;
	}
	present = region.memory_size;
}

static void op_ioeventfd(uint64_t *rng)
{
	static int fd = -1;
	static struct kvm_ioeventfd io;

	if (fd < 0) {
		fd = eventfd(0, EFD_CLOEXEC);
		io.addr = MMIO_GPA + (next_rand(rng) % 16) * 8;
		io.len = 8;
		io.fd = fd;
		if (__vm_ioctl(st.vm, KVM_IOEVENTFD, &io))
			fail("KVM_IOEVENTFD: errno %d", errno);
		return;
	}
	io.flags = KVM_IOEVENTFD_FLAG_DEASSIGN;
	if (__vm_ioctl(st.vm, KVM_IOEVENTFD, &io))
		fail("KVM_IOEVENTFD deassign: errno %d", errno);
	io.flags = 0;
	close(fd);
	fd = -1;
}

static void op_coalesced(uint64_t *rng)
{
	static struct kvm_coalesced_mmio_zone zone;
	static bool present;

	if (!present)
		zone = (struct kvm_coalesced_mmio_zone){
			.addr = MMIO_GPA + PAGE_SIZE * (1 + next_rand(rng) % 16),
			.size = PAGE_SIZE,
		};
	if (__vm_ioctl(st.vm, present ? KVM_UNREGISTER_COALESCED_MMIO :
			       KVM_REGISTER_COALESCED_MMIO, &zone))
		fail("coalesced MMIO (%d): errno %d", present, errno);
	else
		present = !present;
}

static void op_gmem(uint64_t *rng)
{
	int fd = __vm_create_guest_memfd(st.vm, PAGE_SIZE * (1 + next_rand(rng) % 16), 0);

	if (fd < 0)
		op_refused[OP_GMEM]++;
	else
		close(fd);
}

static void op_kick(uint64_t *rng)
{
	pthread_kill(st.vcpus[next_rand(rng) % st.nr_vcpus].thread, SIGUSR1);
}

/*
 * A VM whose vCPUs wait for a page, in a child killed meanwhile: the
 * process that would have resolved the page dies, and the VM goes with its
 * waiters.  The child must be gone within 10 s.
 */
static void guest_wall_clock(uint64_t gpa)
{
	wrmsr(MSR_KVM_WALL_CLOCK_NEW, gpa);
	GUEST_DONE();
}

static void *child_vcpu(void *arg)
{
	vcpu_run(arg);
	return NULL;
}

static void child(int pipe_fd)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_KUF_USERFAULT };
	struct kvm_kuf_userfault_read rd;
	struct pollfd pfd;
	struct kvm_vcpu *vcpus[2];
	pthread_t threads[2];
	struct kvm_vm *vm;
	int efd, waiting = 0, i;

	vm = vm_create_with_vcpus(2, guest_wall_clock, vcpus);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, DATA_GPA, DATA_SLOT, 2, 0);
	efd = eventfd(0, EFD_CLOEXEC);
	cap.args[0] = KVM_KUF_USERFAULT_ENABLE | KVM_KUF_USERFAULT_WAIT;
	cap.args[1] = efd;
	vm_ioctl(vm, KVM_ENABLE_CAP, &cap);
	vm_mem_set_userfault(vm, DATA_GPA, 2 * PAGE_SIZE);
	for (i = 0; i < 2; i++) {
		vcpu_args_set(vcpus[i], 1, DATA_GPA + i * PAGE_SIZE);
		pthread_create(&threads[i], NULL, child_vcpu, vcpus[i]);
	}
	pfd = (struct pollfd){ .fd = efd, .events = POLLIN };
	while (waiting < 2 && poll(&pfd, 1, 10000) == 1) {
		uint64_t count;

		TEST_ASSERT(read(efd, &count, sizeof(count)) == sizeof(count), "read");
		memset(&rd, 0, sizeof(rd));
		while (!__vm_ioctl(vm, KVM_KUF_READ_USERFAULT, &rd))
			waiting++;
	}
	TEST_ASSERT(write(pipe_fd, &waiting, sizeof(waiting)) == sizeof(waiting), "write");
	pause();
}

static void op_kill(uint64_t *rng)
{
	int fds[2], waiting = 0, status, i;
	pid_t pid;

	TEST_ASSERT(!pipe(fds), "pipe() failed");
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork() failed");
	if (!pid) {
		close(fds[0]);
		child(fds[1]);
		exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &waiting, sizeof(waiting)) != sizeof(waiting) || waiting != 2)
		fail("kill-with-waiters: %d vCPUs waited, not 2", waiting);
	close(fds[0]);
	kill(pid, SIGKILL);
	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	fail("kill-with-waiters: the killed VMM is still there after 10 s");
}

static void run_ops(uint64_t *rng, uint64_t nr_ops, uint64_t limit)
{
	time_t end = time(NULL) + limit;
	int op, w;

	/* Once in every run, whatever the seed. */
	op_count[OP_KILL]++;
	op_kill(rng);

	for (ops_done = 0; ops_done < nr_ops && !st.stop; ops_done++) {
		if (!(ops_done % 256) && time(NULL) > end)
			break;
		w = next_rand(rng) % 1000;
		for (op = 0; op < NR_OPS - 1 && w >= op_weights[op]; op++)
			w -= op_weights[op];
		op_count[op]++;
		switch (op) {
		case OP_MARK: op_mark(rng); break;
		case OP_CLEAR: op_clear(rng); break;
		case OP_TOGGLE: op_toggle(rng); break;
		case OP_MEMSLOT: op_memslot(rng); break;
		case OP_IOEVENTFD: op_ioeventfd(rng); break;
		case OP_COALESCED: op_coalesced(rng); break;
		case OP_GMEM: op_gmem(rng); break;
		case OP_KICK: op_kick(rng); break;
		case OP_KILL: op_kill(rng); break;
		case OP_PAUSE:
			if (break_rules) {
				op_count[OP_PAUSE]--;
				op_count[OP_BREAK]++;
				op_break(rng);
			} else {
				usleep(1000);
			}
			break;
		}
	}
}

/* Disabling ends every wait; then kick each vCPU until its thread is out. */
static void stop_all(void)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_KUF_USERFAULT, .args = { KVM_KUF_USERFAULT_DISABLE },
	};
	int i, tries;

	st.stop = true;
	pthread_mutex_lock(&st.lock);
	if (st.enabled && __vm_ioctl(st.vm, KVM_ENABLE_CAP, &cap))
		fail("disabling at the end: errno %d", errno);
	st.enabled = false;
	pthread_mutex_unlock(&st.lock);
	for (i = 0; i < st.nr_vcpus; i++) {
		for (tries = 0; !st.vcpus[i].done && tries < 1000; tries++) {
			pthread_kill(st.vcpus[i].thread, SIGUSR1);
			usleep(10000);
		}
		if (!st.vcpus[i].done)
			fail("vCPU %d still in KVM_RUN 10 s after the end", i);
		else
			pthread_join(st.vcpus[i].thread, NULL);
	}
	pthread_join(st.resolver, NULL);
}

static void print_ops(void)
{
	int op;

	printf("# %lu operations:", ops_done);
	for (op = 0; op < NR_OPS; op++)
		printf(" %s %lu", op_names[op], op_count[op]);
	printf("\n# refused as expected: marking while disabled %lu, memslot %lu, guest_memfd %lu\n",
	       op_refused[OP_MARK], op_refused[OP_MEMSLOT], op_refused[OP_GMEM]);
}

int main(int argc, char *argv[])
{
	uint64_t seed = 0, nr_ops = 2500, limit = 300, rng, i;
	struct kvm_vcpu *vcpus[MAX_VCPUS];
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t verified = 0, bad = 0, stale = 0, exits = 0, eintr = 0;
	int opt;

	while ((opt = getopt(argc, argv, "s:n:t:B")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': nr_ops = strtoull(optarg, NULL, 0); break;
		case 't': limit = strtoull(optarg, NULL, 0); break;
		case 'B': break_rules = true; break;
		default:
			printf("usage: %s [-s SEED] [-n OPS] [-t SECONDS] [-B]\n", argv[0]);
			exit(KSFT_FAIL);
		}
	}
	if (!seed)
		seed = time(NULL);

	TEST_REQUIRE(kvm_has_cap(KVM_CAP_KUF_USERFAULT));
	TEST_REQUIRE(kvm_cpu_has(X86_FEATURE_KVM_CLOCKSOURCE2));
	ksft_print_header();
	ksft_set_plan(1);
	printf("# seed %lu (reproduce the operations with -s %lu)\n", seed, seed);
	sigaction(SIGUSR1, &sa, NULL);

	rng = seed;
	st.nr_vcpus = 2 + next_rand(&rng) % (MAX_VCPUS - 1);
	st.vm = vm_create_with_vcpus(st.nr_vcpus, guest_code, vcpus);
	vm_userspace_mem_region_add(st.vm, VM_MEM_SRC_ANONYMOUS, DATA_GPA,
				    DATA_SLOT, NR_PAGES, 0);
	virt_map(st.vm, DATA_GPA, DATA_GPA, NR_PAGES);
	st.data = addr_gpa2hva(st.vm, DATA_GPA);
	for (i = 0; i < NR_PAGES; i++)
		fill(i);
	pthread_mutex_init(&st.lock, NULL);
	st.eventfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	TEST_ASSERT(st.eventfd >= 0, "eventfd() failed");

	pthread_create(&st.resolver, NULL, resolver_main, NULL);
	for (i = 0; i < st.nr_vcpus; i++) {
		st.vcpus[i].vcpu = vcpus[i];
		vcpu_args_set(vcpus[i], 2, i, seed + i);
		pthread_create(&st.vcpus[i].thread, NULL, vcpu_main, &st.vcpus[i]);
	}

	run_ops(&rng, nr_ops, limit);
	stop_all();

	for (i = 0; i < st.nr_vcpus; i++) {
		verified += st.vcpus[i].verified;
		bad += st.vcpus[i].bad;
		stale += st.vcpus[i].stale;
		exits += st.vcpus[i].exits;
		eintr += st.vcpus[i].eintr;
	}
	print_ops();
	printf("# %d vCPUs: %lu pages verified (%lu broken, %lu went back); %lu userfault exits, %lu KVM waits resolved, %lu KVM_RUN EINTR\n",
	       st.nr_vcpus, verified, bad, stale, exits, st.waits, eintr);
	if (ops_done < nr_ops)
		fail("only %lu of %lu operations within %lu s", ops_done, nr_ops, limit);
	if (!verified)
		fail("the guest verified no page");
	ksft_test_result(!st.failures, "seed %lu: %lu operations, %lu pages verified, %lu failures\n",
			 seed, ops_done, verified, st.failures);
	kvm_vm_free(st.vm);
	ksft_finished();
}
