/* smp_facts.h - pure logic of a level's several CPUs: the inter-processor
 * interrupt counts in /proc/interrupts, a child qemu's vCPU threads by name
 * and where they ran (from /proc), and which of this level's CPUs each
 * vCPU is pinned to.  Tested on recorded text; the syscalls are in
 * smp_probe.c. */
#ifndef SUPERNESTED_SMP_FACTS_H
#define SUPERNESTED_SMP_FACTS_H

#include <stddef.h>

#define SMP_VCPUS_MAX 64

/* Inter-processor interrupts, summed over every CPU; -1 when the kernel
 * has no such row. */
struct ipi_counts {
	long long tlb;		/* TLB: TLB shootdowns */
	long long call;		/* CAL: function call interrupts */
	long long resched;	/* RES: rescheduling interrupts */
};

/* Parse /proc/interrupts text.  Returns the number of CPU columns, or -1
 * when the header is missing. */
int ipi_counts_parse(const char *text, struct ipi_counts *c);

/* @after - @before per row; -1 where either is unknown or the count went
 * backwards. */
void ipi_counts_delta(const struct ipi_counts *before, const struct ipi_counts *after,
		      struct ipi_counts *delta);

/* qemu names its vCPU threads "CPU <n>/KVM" (-name ...,debug-threads=on):
 * the vCPU index of a thread's comm text, or -1 for any other thread. */
int vcpu_index_of_comm(const char *comm);

/* The CPU of this level a child's vCPU @vcpu runs on, so that no vCPU
 * thread ever moves: round robin over the CPUs isolated from the
 * scheduler's housekeeping (@isolated, a mask of CPUs; isolcpus=,
 * nohz_full=: a CPU running a single vCPU thread there can stop its tick),
 * else over all @ncpus. */
int vcpu_home_cpu(int vcpu, int ncpus, unsigned long long isolated);

/* A kernel CPU list ("1", "0-2,5", "" or "\n" for none) as a mask of the
 * first 64 CPUs.  Returns 0, or -EINVAL on anything else or a CPU past 63. */
int cpulist_parse(const char *text, unsigned long long *mask);

/* Field @field (from 3, as proc(5) counts) of /proc/PID/task/TID/stat
 * text, e.g. 39 the CPU it last ran on, 43 its guest time in clock ticks;
 * -1 when unreadable. */
long long task_stat_field(const char *stat, int field);

/* "a,b,c" of @n values, -1 written as "-".  Returns 0; -ENOSPC when they
 * do not all fit in @len (@out then holds the whole ones that did and
 * ",..."); -EINVAL for @len < 5. */
int format_int_list(const long long *v, int n, char *out, size_t len);

#endif
