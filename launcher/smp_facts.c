/* smp_facts.c - IPI counts, vCPU thread names and /proc task fields (see smp_facts.h). */
#include "smp_facts.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows we count, by their label in /proc/interrupts. */
static const struct {
	const char *label;
	size_t offset;
} ipi_rows[] = {
	{ "TLB:", offsetof(struct ipi_counts, tlb) },
	{ "CAL:", offsetof(struct ipi_counts, call) },
	{ "RES:", offsetof(struct ipi_counts, resched) },
};

static long long *row_field(struct ipi_counts *c, size_t i)
{
	return (long long *)((char *)c + ipi_rows[i].offset);
}

/* Sum the first @ncpus numbers after the label; -1 if fewer are there. */
static long long sum_row(const char *p, int ncpus)
{
	long long sum = 0;

	for (int i = 0; i < ncpus; i++) {
		char *end;
		unsigned long long v;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || v > (unsigned long long)(__LONG_LONG_MAX__ - sum))
			return -1;
		sum += (long long)v;
		p = end;
	}
	return sum;
}

int ipi_counts_parse(const char *text, struct ipi_counts *c)
{
	const char *line = text, *nl;
	int ncpus = 0;

	for (size_t i = 0; i < sizeof(ipi_rows) / sizeof(ipi_rows[0]); i++)
		*row_field(c, i) = -1;
	if (!text)
		return -1;
	/* the header names one column per CPU: "CPU0 CPU1 ..." */
	nl = strchr(line, '\n');
	for (const char *p = strstr(line, "CPU"); p && (!nl || p < nl); p = strstr(p + 3, "CPU")) {
		if (isdigit((unsigned char)p[3]))
			ncpus++;
	}
	if (ncpus == 0)
		return -1;
	for (line = nl ? nl + 1 : NULL; line && *line; line = nl ? nl + 1 : NULL) {
		const char *p = line;

		nl = strchr(line, '\n');
		while (*p == ' ')
			p++;
		for (size_t i = 0; i < sizeof(ipi_rows) / sizeof(ipi_rows[0]); i++) {
			size_t n = strlen(ipi_rows[i].label);

			if (!strncmp(p, ipi_rows[i].label, n))
				*row_field(c, i) = sum_row(p + n, ncpus);
		}
	}
	return ncpus;
}

void ipi_counts_delta(const struct ipi_counts *before, const struct ipi_counts *after,
		      struct ipi_counts *delta)
{
	for (size_t i = 0; i < sizeof(ipi_rows) / sizeof(ipi_rows[0]); i++) {
		long long b = *row_field((struct ipi_counts *)before, i);
		long long a = *row_field((struct ipi_counts *)after, i);

		*row_field(delta, i) = b < 0 || a < b ? -1 : a - b;
	}
}

int vcpu_index_of_comm(const char *comm)
{
	char tail[8];
	int n, used = 0;

	if (!comm || sscanf(comm, "CPU %d/%7[A-Za-z]%n", &n, tail, &used) != 2)
		return -1;
	if (strcmp(tail, "KVM") || n < 0 || n >= SMP_VCPUS_MAX)
		return -1;
	return comm[used] == '\0' || comm[used] == '\n' ? n : -1;
}

int vcpu_home_cpu(int vcpu, int ncpus, unsigned long long isolated)
{
	int n = __builtin_popcountll(isolated), k;

	if (vcpu < 0)
		return 0;
	if (n == 0)
		return ncpus > 0 ? vcpu % ncpus : 0;
	k = vcpu % n;	/* the k-th isolated CPU */
	for (int cpu = 0; cpu < 64; cpu++)
		if ((isolated >> cpu & 1) && k-- == 0)
			return cpu;
	return 0;
}

int cpulist_parse(const char *text, unsigned long long *mask)
{
	const char *p = text;

	*mask = 0;
	if (!text)
		return -EINVAL;
	while (*p && *p != '\n') {
		char *end;
		long lo, hi;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		lo = hi = strtol(p, &end, 10);
		p = end;
		if (*p == '-') {
			if (!isdigit((unsigned char)p[1]))
				return -EINVAL;
			hi = strtol(p + 1, &end, 10);
			p = end;
		}
		if (lo > hi || hi > 63)
			return -EINVAL;
		for (long cpu = lo; cpu <= hi; cpu++)
			*mask |= 1ULL << cpu;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return 0;
}

long long task_stat_field(const char *stat, int field)
{
	/* the command name (field 2) may hold spaces and ')': count from the last ')' */
	const char *p = stat ? strrchr(stat, ')') : NULL;
	long long v;
	char *end;

	if (!p || field < 3)
		return -1;
	p++;
	for (int f = 3; f <= field; f++) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return -1;
		if (f == field) {
			errno = 0;
			v = strtoll(p, &end, 10);
			return errno || end == p || v < 0 ? -1 : v;
		}
		while (*p && *p != ' ')
			p++;
	}
	return -1;
}

int format_int_list(const long long *v, int n, char *out, size_t len)
{
	size_t used = 0, room = len > 5 ? len - 5 : 0;	/* 5: ",...", its NUL */

	if (len < 5)
		return -EINVAL;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = v[i] < 0 ? snprintf(out + used, len - used, "%s-", i ? "," : "")
				 : snprintf(out + used, len - used, "%s%lld", i ? "," : "", v[i]);

		if (w < 0 || used + (size_t)w > room) {
			/* whole items only, then a mark that more were there */
			snprintf(out + used, len - used, "%s...", used ? "," : "");
			return -ENOSPC;
		}
		used += (size_t)w;
	}
	return 0;
}
