/* test_smp_facts.c - IPI rows of /proc/interrupts, vCPU thread names, /proc task fields, lists. */
#include "tap.h"
#include "smp_facts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOGS SRCDIR "/tests/data/logs/"

static void test_interrupts_recorded(void)
{
	char *text = tap_slurp(LOGS "proc-interrupts-2cpu.txt");
	struct ipi_counts c;

	ok(text != NULL, "read a recorded /proc/interrupts of 2 CPUs");
	is_int(ipi_counts_parse(text, &c), 2, "2 CPU columns");
	is_int(c.resched, 529570LL + 408222LL, "RES summed over both CPUs");
	is_int(c.call, 927359LL + 1005961LL, "CAL summed over both CPUs");
	is_int(c.tlb, 74636LL + 55582LL, "TLB summed over both CPUs");
	free(text);
}

static void test_interrupts_edges(void)
{
	struct ipi_counts c, a, d;

	is_int(ipi_counts_parse("", &c), -1, "no header: -1");
	is_int(c.tlb, -1, "... and the counts unknown");
	is_int(ipi_counts_parse(NULL, &c), -1, "no text: -1");
	is_int(ipi_counts_parse("           CPU0\n  0:  5  IO-APIC timer\n", &c), 1, "one CPU");
	is_int(c.tlb, -1, "a kernel without a TLB row: unknown, not 0");
	is_int(ipi_counts_parse("     CPU0   CPU1\nTLB:   7\n", &c), 2, "a short row");
	is_int(c.tlb, -1, "a row with fewer numbers than CPUs is unknown");
	is_int(ipi_counts_parse("     CPU0   CPU1\nTLB: 99999999999999999999 1\n", &c), 2, "overflow");
	is_int(c.tlb, -1, "a count that overflows is unknown");
	ipi_counts_parse("  CPU0 CPU1\nTLB: 1 2 x\nCAL: 5 5\nRES: 9 0\n", &c);
	ipi_counts_parse("  CPU0 CPU1\nTLB: 4 4 x\nCAL: 5 4\n", &a);
	ipi_counts_delta(&c, &a, &d);
	is_int(d.tlb, 5, "delta of TLB");
	is_int(d.call, -1, "a count that went backwards is unknown");
	is_int(d.resched, -1, "a row gone is unknown");
}

static void test_vcpu_names(void)
{
	is_int(vcpu_index_of_comm("CPU 0/KVM\n"), 0, "CPU 0/KVM with its newline");
	is_int(vcpu_index_of_comm("CPU 13/KVM"), 13, "CPU 13/KVM");
	is_int(vcpu_index_of_comm("CPU 1/TCG"), -1, "a TCG vCPU is not a KVM one");
	is_int(vcpu_index_of_comm("qemu-system-x86"), -1, "the main thread");
	is_int(vcpu_index_of_comm("CPU 1/KVMX"), -1, "a longer name");
	is_int(vcpu_index_of_comm("CPU 64/KVM"), -1, "beyond SMP_VCPUS_MAX");
	is_int(vcpu_index_of_comm(NULL), -1, "no name");
	is_int(vcpu_home_cpu(0, 2, 0), 0, "vCPU 0 on CPU 0");
	is_int(vcpu_home_cpu(1, 2, 0), 1, "vCPU 1 on CPU 1");
	is_int(vcpu_home_cpu(2, 2, 0), 0, "vCPU 2 of 2 CPUs back on CPU 0");
	is_int(vcpu_home_cpu(3, 1, 0), 0, "one CPU: all on it");
	is_int(vcpu_home_cpu(1, 0, 0), 0, "no CPU count: CPU 0");
	is_int(vcpu_home_cpu(0, 2, 0x2), 1, "CPU 1 isolated: vCPU 0 there");
	is_int(vcpu_home_cpu(1, 2, 0x2), 1, "... and vCPU 1 too, off the housekeeping CPU");
	is_int(vcpu_home_cpu(1, 4, 0xa), 3, "CPUs 1 and 3 isolated: vCPU 1 on the second, 3");
	is_int(vcpu_home_cpu(2, 4, 0xa), 1, "... vCPU 2 back on 1");
	is_int(vcpu_home_cpu(-1, 2, 0x2), 0, "no vCPU: CPU 0");
}

static void test_cpulist(void)
{
	unsigned long long m;

	is_int(cpulist_parse("1\n", &m), 0, "'1' parses");
	is_int(m, 0x2, "... CPU 1");
	is_int(cpulist_parse("0-2,5", &m), 0, "'0-2,5' parses");
	is_int(m, 0x27, "... CPUs 0, 1, 2, 5");
	is_int(cpulist_parse("\n", &m), 0, "an empty list (no CPU isolated)");
	is_int(m, 0, "... no CPU");
	is_int(cpulist_parse("", &m), 0, "an empty string");
	is_int(cpulist_parse("64", &m), -EINVAL, "CPU 64: past the mask");
	is_int(cpulist_parse("3-1", &m), -EINVAL, "a range backwards");
	is_int(cpulist_parse("1-", &m), -EINVAL, "a range without its end");
	is_int(cpulist_parse("a", &m), -EINVAL, "garbage");
	is_int(cpulist_parse("1 2", &m), -EINVAL, "a space");
	is_int(cpulist_parse(NULL, &m), -EINVAL, "nothing");
}

static void test_task_stat(void)
{
	/* a recorded stat line, its name as a vCPU thread's (spaces, a slash),
	 * fields 39-44 set apart (CPU 1, priority 40, policy 41, delay 42,
	 * guest time 43, its children's 44) so a field off by one shows */
	const char *stat = "3405 (CPU 1/KVM) R 3400 3400 14172 0 -1 4194304 98 0 0 0 0 0 0 0 20 0 "
			   "1 0 1285178 3133440 362 18446744073709551615 93999452893184 "
			   "93999452913065 140730613687328 0 0 0 0 0 0 0 0 0 17 1 7 2 5 8123 9 "
			   "93999452929072\n";

	is_int(task_stat_field(stat, 39), 1, "field 39: last CPU");
	is_int(task_stat_field(stat, 43), 8123, "field 43: guest time");
	is_int(task_stat_field(stat, 42), 5, "field 42: I/O delay");
	is_int(task_stat_field(stat, 3), -1, "field 3 is a letter, not a number");
	is_int(task_stat_field(stat, 4), 3400, "field 4: parent");
	is_int(task_stat_field(stat, 8), -1, "a negative field is unknown");
	is_int(task_stat_field(stat, 60), -1, "a field past the end");
	is_int(task_stat_field("1 (a) b) R 1", 4), 1, "a name with ')' counts from the last one");
	is_int(task_stat_field("no parenthesis", 39), -1, "garbage");
	is_int(task_stat_field(NULL, 39), -1, "nothing");
}

static void test_lists(void)
{
	long long v[] = { 0, -1, 12 };
	char out[16], tiny[5], mid[10];

	is_int(format_int_list(v, 3, out, sizeof(out)), 0, "a list fits");
	is_str(out, "0,-,12", "unknown as '-'");
	is_int(format_int_list(v, 0, out, sizeof(out)), 0, "an empty list");
	is_str(out, "", "... is empty");
	is_int(format_int_list(v, 3, tiny, sizeof(tiny)), -ENOSPC, "room for no item: -ENOSPC");
	is_str(tiny, "...", "... and a mark that it was cut");
	is_int(format_int_list(v, 3, mid, sizeof(mid)), -ENOSPC, "a list cut after whole items");
	is_str(mid, "0,-,...", "... ends in ',...'");
	is_int(format_int_list(v, 3, out, 4), -EINVAL, "no room for the mark: -EINVAL");
}

int main(void)
{
	test_interrupts_recorded();
	test_interrupts_edges();
	test_vcpu_names();
	test_cpulist();
	test_task_stat();
	test_lists();
	return tap_done();
}
