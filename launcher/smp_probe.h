/* smp_probe.h - a level with several CPUs: prove they work together (IPIs
 * and TLB shootdowns counted around a small workload), and keep each of
 * its child's vCPU threads on one CPU of its own. */
#ifndef SUPERNESTED_SMP_PROBE_H
#define SUPERNESTED_SMP_PROBE_H

#include <sys/types.h>

#include "smp_facts.h"

/* Run threads on each of this level's @ncpus CPUs that share one address
 * space while the first unmaps pages and asks for memory barriers: the
 * kernel must send TLB shootdowns and function-call IPIs to the others.
 * *@delta: what /proc/interrupts counted meanwhile.  Bounded to about a
 * second.  Returns 0 or -errno. */
int smp_probe_ipis(int ncpus, struct ipi_counts *delta);

/* A child qemu's vCPU threads, each pinned to its home CPU (smp_facts.h):
 * its vCPUs provably run on several CPUs here and none moves; on a level
 * booted with isolated CPUs, only there (the child's time stays off the
 * CPU that keeps time and ticks). */
struct vcpu_pins {
	int nvcpus, ncpus;
	unsigned long long isolated;	/* this level's isolated CPUs (smp_facts.h) */
	pid_t tid[SMP_VCPUS_MAX];	/* 0: not found yet */
	int npinned;
};

void vcpu_pins_init(struct vcpu_pins *v, int nvcpus, int ncpus);

/* Room for a list of SMP_VCPUS_MAX values, within a report value. */
#define VCPU_LIST_MAX 400

/* Find the vCPU threads of @qemu not seen before and pin them.  Returns
 * how many are pinned in all, or -errno when /proc/@qemu is unreadable. */
int vcpu_pins_update(struct vcpu_pins *v, pid_t qemu);

/* Where each vCPU last ran ("0,1") and its guest time in ms ("810,90"),
 * "-" for one not found. */
void vcpu_pins_where(const struct vcpu_pins *v, pid_t qemu, char *cpus, size_t cpus_len,
		     char *run_ms, size_t run_len);

#endif
