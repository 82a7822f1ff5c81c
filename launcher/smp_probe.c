/* smp_probe.c - IPI proof and vCPU pinning for a level with several CPUs (see smp_probe.h). */
#include "smp_probe.h"
#include "system.h"

#include <dirent.h>
#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PROBE_ROUNDS 32
#define PROBE_LIMIT_NS 1000000000LL	/* the whole probe, at most */

struct probe {
	atomic_int stop;
	atomic_int running;
	int cpu;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* A sibling that keeps the address space live on its CPU until told to
 * stop; running: 1 once there, -1 when it could not be moved there. */
static void *spin(void *arg)
{
	struct probe *p = arg;

	atomic_store(&p->running, pin_self(p->cpu) == 0 ? 1 : -1);
	while (!atomic_load(&p->stop))
		sched_yield();
	return NULL;
}

/* A /proc file whole into @buf (its size there reads 0); -EFBIG when it
 * did not fit, since a cut row would give a wrong count. */
static int read_proc(const char *path, char *buf, size_t len)
{
	long n = read_text(path, buf, len);

	if (n < 0)
		return (int)n;
	return (size_t)n + 1 >= len ? -EFBIG : 0;
}

static int read_ipis(struct ipi_counts *c)
{
	static char text[1 << 18];	/* ~14 bytes a CPU a row, ~40 rows */
	int rc = read_proc("/proc/interrupts", text, sizeof(text));

	if (rc < 0)
		return rc;
	return ipi_counts_parse(text, c) < 0 ? -ENODATA : 0;
}

/* Back on every CPU this level had, when the saved mask cannot be set:
 * never leave PID 1 (and every qemu it starts) on CPU 0 alone. */
static void restore_affinity(const cpu_set_t *saved, int ncpus)
{
	cpu_set_t all;

	if (sched_setaffinity(0, sizeof(*saved), saved) == 0)
		return;
	CPU_ZERO(&all);
	for (int i = 0; i < ncpus && i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	sched_setaffinity(0, sizeof(all), &all);
}

/* Unmap touched pages and ask for expedited barriers until @end: each
 * unmap flushes the TLBs of every CPU running this address space, each
 * barrier IPIs them.  Returns the rounds done. */
static int ipi_workload(long long end)
{
	int r;

	syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
	for (r = 0; r < PROBE_ROUNDS && now_ns() < end; r++) {
		char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (page != MAP_FAILED) {
			page[0] = 1;
			munmap(page, 4096);
		}
		syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
	}
	return r;
}

int smp_probe_ipis(int ncpus, struct ipi_counts *delta)
{
	/* static: a sibling left behind (join timed out) never points at a
	 * dead stack; the probe runs once, at come-up */
	static pthread_t th[SMP_VCPUS_MAX];
	static struct probe probe[SMP_VCPUS_MAX];
	struct ipi_counts before, after;
	struct timespec join_by;
	cpu_set_t saved;
	long long end = now_ns() + PROBE_LIMIT_NS;
	int started = 0, there = 0, rounds = 0, rc;

	if (ncpus < 2 || ncpus > SMP_VCPUS_MAX)
		return -ERANGE;
	if (sched_getaffinity(0, sizeof(saved), &saved))
		return -errno;
	rc = read_ipis(&before);
	if (rc < 0)
		return rc;
	if ((rc = pin_self(0)) < 0)
		return rc;
	for (int i = 1; i < ncpus; i++) {
		probe[i] = (struct probe){ .cpu = i };
		if (pthread_create(&th[i], NULL, spin, &probe[i]))
			break;
		started = i;
	}
	/* wait (bounded) until the siblings run on their CPUs */
	for (int i = 1; i <= started; i++) {
		while (!atomic_load(&probe[i].running) && now_ns() < end)
			sched_yield();
		there += atomic_load(&probe[i].running) == 1;
	}
	if (there == ncpus - 1)
		rounds = ipi_workload(end);
	clock_gettime(CLOCK_REALTIME, &join_by);
	join_by.tv_sec += 1;
	for (int i = 1; i <= started; i++) {
		atomic_store(&probe[i].stop, 1);
		if (pthread_timedjoin_np(th[i], NULL, &join_by))
			rc = -ETIMEDOUT;	/* it stops when it runs; not waited for */
	}
	restore_affinity(&saved, ncpus);
	if (rc < 0)
		return rc;
	if (there < ncpus - 1 || rounds == 0)
		return started < ncpus - 1 ? -EAGAIN : -ETIMEDOUT;
	rc = read_ipis(&after);
	if (rc < 0)
		return rc;
	ipi_counts_delta(&before, &after, delta);
	return 0;
}

void vcpu_pins_init(struct vcpu_pins *v, int nvcpus, int ncpus)
{
	char text[256];

	memset(v, 0, sizeof(*v));
	v->nvcpus = nvcpus < SMP_VCPUS_MAX ? nvcpus : SMP_VCPUS_MAX;
	v->ncpus = ncpus;
	if (read_proc("/sys/devices/system/cpu/isolated", text, sizeof(text)) < 0 ||
	    cpulist_parse(text, &v->isolated) < 0)
		v->isolated = 0;
	/* isolated CPUs this level does not have (offline) are no home */
	if (ncpus > 0 && ncpus < 64)
		v->isolated &= (1ULL << ncpus) - 1;
}

/* Read a small /proc file of @qemu's thread @tid into @buf. */
static int read_task_file(pid_t qemu, pid_t tid, const char *name, char *buf, size_t len)
{
	char path[96];

	if (snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", (int)qemu, (int)tid, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return read_proc(path, buf, len);
}

int vcpu_pins_update(struct vcpu_pins *v, pid_t qemu)
{
	char path[64], comm[64];
	struct dirent *d;
	DIR *dir;

	if (v->npinned >= v->nvcpus)
		return v->npinned;
	if (snprintf(path, sizeof(path), "/proc/%d/task", (int)qemu) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		pid_t tid = (pid_t)atoi(d->d_name);
		int vcpu;
		cpu_set_t set;

		if (tid <= 0 || read_task_file(qemu, tid, "comm", comm, sizeof(comm)) < 0)
			continue;
		vcpu = vcpu_index_of_comm(comm);
		if (vcpu < 0 || vcpu >= v->nvcpus || v->tid[vcpu])
			continue;
		CPU_ZERO(&set);
		CPU_SET(vcpu_home_cpu(vcpu, v->ncpus, v->isolated), &set);
		if (sched_setaffinity(tid, sizeof(set), &set) == 0) {
			v->tid[vcpu] = tid;
			v->npinned++;
		}
	}
	closedir(dir);
	return v->npinned;
}

void vcpu_pins_where(const struct vcpu_pins *v, pid_t qemu, char *cpus, size_t cpus_len,
		     char *run_ms, size_t run_len)
{
	long long where[SMP_VCPUS_MAX], ran[SMP_VCPUS_MAX];
	long hz = sysconf(_SC_CLK_TCK);
	char text[1024];

	for (int i = 0; i < v->nvcpus; i++) {
		long long ticks;

		where[i] = ran[i] = -1;
		if (!v->tid[i] || read_task_file(qemu, v->tid[i], "stat", text, sizeof(text)) < 0)
			continue;
		where[i] = task_stat_field(text, 39);
		ticks = task_stat_field(text, 43);	/* guest time */
		if (ticks >= 0 && ticks < (1LL << 40) && hz > 0)
			ran[i] = ticks * 1000 / hz;
	}
	format_int_list(where, v->nvcpus, cpus, cpus_len);
	format_int_list(ran, v->nvcpus, run_ms, run_len);
}
