/* exercised.c - a level's machine, PCI, PMU, timer and tick, from the
 * kernel's own text (see exercised.h). */
#include "exercised.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PCI host bridges of qemu's x86 machines: the chipset names the machine. */
static const struct {
	unsigned vendor, device;
	const char *machine;
} host_bridges[] = {
	{ 0x8086, 0x1237, "pc" },	/* i440FX, qemu's pc */
	{ 0x8086, 0x29c0, "q35" },	/* Q35 MCH */
};

void exercised_init(struct exercised *e)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->machine, sizeof(e->machine), "unknown");
	e->pci = -1;
	e->pmu = -1;
}

int exercised_sysfs_hex(const char *text, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!text || strncmp(text, "0x", 2))
		return -1;
	errno = 0;
	v = strtoul(text + 2, &end, 16);
	if (errno || end == text + 2 || (*end && strcmp(end, "\n")) || v > 0xffffffffUL)
		return -1;
	*out = (unsigned)v;
	return 0;
}

void exercised_machine(struct exercised *e, int bridge, unsigned vendor, unsigned device,
		       int pci_devices, int virtio_mmio)
{
	if (bridge) {
		for (size_t i = 0; i < sizeof(host_bridges) / sizeof(host_bridges[0]); i++)
			if (host_bridges[i].vendor == vendor && host_bridges[i].device == device) {
				snprintf(e->machine, sizeof(e->machine), "%s", host_bridges[i].machine);
				return;
			}
		snprintf(e->machine, sizeof(e->machine), "pci-%04x:%04x", vendor & 0xffff,
			 device & 0xffff);
	} else if (pci_devices <= 0 && virtio_mmio > 0) {
		snprintf(e->machine, sizeof(e->machine), "microvm");
	} else {
		snprintf(e->machine, sizeof(e->machine), "unknown");
	}
}

/* A device or mode name as the kernel writes it: goes into a bare report
 * value between ',' and ':' separators, so nothing else is let through. */
static int plain_name(const char *s, size_t n)
{
	if (n == 0 || n >= EXERCISED_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("-_.", s[i])))
			return 0;
	return 1;
}

/* "pci-VVVV:DDDD", the machine of an unknown host bridge */
static int pci_id_name(const char *s, size_t n)
{
	if (n != 13 || strncmp(s, "pci-", 4) || s[8] != ':')
		return 0;
	for (size_t i = 4; i < n; i++)
		if (i != 8 && !strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

int exercised_timer(struct exercised *e, const char *text)
{
	size_t n = text ? strcspn(text, "\n") : 0;

	e->timer[0] = '\0';
	if (!plain_name(text, n) || (text[n] && text[n + 1]))
		return -1;
	memcpy(e->timer, text, n);
	e->timer[n] = '\0';
	return 0;
}

/* The number after "@key" and spaces and ':' within [@from, @to); -1 none. */
static long after_key(const char *from, const char *to, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = from; p && p < to; p = strchr(p + 1, '\n')) {
		const char *l = p + (*p == '\n'), *v;
		char *end;
		long n;

		l += strspn(l, " ");
		if (l + kl > to || strncmp(l, key, kl))
			continue;
		v = l + kl;
		if (*v != ' ' && *v != ':')	/* ".nohz" is not ".nohz_mode" */
			continue;
		v += strspn(v, " ");
		if (*v++ != ':')
			continue;
		n = strtol(v, &end, 10);
		if (end == v || n < 0)
			return -1;
		return n;
	}
	return -1;
}

int exercised_tick(struct exercised *e, const char *tl)
{
	const char *cpu0, *end, *dev;
	long nohz, mode = -1;

	e->tick[0] = '\0';
	if (!tl || !(cpu0 = strstr(tl, "\ncpu: 0\n")))
		return -1;
	/* CPU 0's section ends where the next CPU's or the tick devices begin */
	end = strstr(cpu0 + 1, "\ncpu: ");
	if (!end)
		end = strstr(cpu0, "\nTick Device:");
	if (!end)
		end = cpu0 + strlen(cpu0);
	nohz = after_key(cpu0, end, ".nohz_mode");	/* 6.1: 0 off, 1 low-res, 2 high-res */
	if (nohz < 0)
		nohz = after_key(cpu0, end, ".nohz");	/* later kernels: 0 or 1 */
	/* "Tick Device: mode: N" comes before the "Per CPU device: 0" it is of */
	for (dev = strstr(tl, "\nTick Device:"); dev; dev = strstr(dev + 1, "\nTick Device:")) {
		const char *line2 = strchr(dev + 1, '\n');

		if (line2 && !strncmp(line2, "\nPer CPU device: 0\n", 19)) {
			mode = after_key(dev, line2, "Tick Device: mode");
			break;
		}
	}
	if (mode == 0)
		snprintf(e->tick, sizeof(e->tick), "periodic");
	else if (mode == 1 && nohz > 0)
		snprintf(e->tick, sizeof(e->tick), "tickless");
	else if (mode == 1 && nohz == 0)
		snprintf(e->tick, sizeof(e->tick), "oneshot");
	else
		return -1;
	return 0;
}

int exercised_format(const struct exercised *e, char *buf, size_t len)
{
	char pci[16];
	int n;

	if (e->pci < 0)
		snprintf(pci, sizeof(pci), "-");
	else
		snprintf(pci, sizeof(pci), "%d", e->pci);
	n = snprintf(buf, len, "machine:%s,pci:%s,pmu:%s,timer:%s,tick:%s",
		     e->machine[0] ? e->machine : "-", pci,
		     e->pmu < 0 ? "-" : e->pmu ? "on" : "off",
		     e->timer[0] ? e->timer : "-", e->tick[0] ? e->tick : "-");
	return n < 0 || (size_t)n >= len ? -1 : n;
}

/* One "key:value" of the list into @e; 1 when the key is known. */
static int parse_item(struct exercised *e, const char *key, size_t kl, const char *v, size_t vl)
{
	static const char *const names[] = { "machine", "timer", "tick" };
	char *fields[] = { e->machine, e->timer, e->tick };
	char num[16], *end;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (kl != strlen(names[i]) || strncmp(key, names[i], kl))
			continue;
		fields[i][0] = '\0';
		/* the machine may be pci-VVVV:DDDD: its one ':' belongs to it */
		if (!(vl == 1 && *v == '-') && (plain_name(v, vl) || (i == 0 && pci_id_name(v, vl)))) {
			memcpy(fields[i], v, vl);
			fields[i][vl] = '\0';
		}
		if (i == 0 && !fields[i][0])
			snprintf(e->machine, sizeof(e->machine), "unknown");
		return 1;
	}
	if (kl == 3 && !strncmp(key, "pci", 3)) {
		e->pci = -1;
		if (vl > 0 && vl < sizeof(num)) {
			long n;

			memcpy(num, v, vl);
			num[vl] = '\0';
			n = strtol(num, &end, 10);
			if (*end == '\0' && n >= 0 && n <= 65536)
				e->pci = (int)n;
		}
		return 1;
	}
	if (kl == 3 && !strncmp(key, "pmu", 3)) {
		e->pmu = vl == 2 && !strncmp(v, "on", 2) ? 1 : vl == 3 && !strncmp(v, "off", 3) ? 0 : -1;
		return 1;
	}
	return 0;
}

int exercised_parse(const char *text, struct exercised *e)
{
	int known = 0;

	exercised_init(e);
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, ","), kl = strcspn(p, ":,");

		if (kl < n)
			known += parse_item(e, p, kl, p + kl + 1, n - kl - 1);
		p += n + (p[n] == ',');
	}
	return known;
}
