/* bochs.c - bochsrc, geometry, models and boot line for Bochs (see bochs.h). */
#include "bochs.h"

#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Bochs 2.7's 64-bit models (the 32-bit ones cannot run the image's
 * kernel), with what their CPUID shows: the vendor and vmx/svm. */
static const struct bochs_model models[] = {
	{ "p4_prescott_celeron_336", "GenuineIntel", "" },
	{ "athlon64_clawhammer", "AuthenticAMD", "" },
	{ "athlon64_venice", "AuthenticAMD", "" },
	{ "turion64_tyler", "AuthenticAMD", "svm" },
	{ "phenom_8650_toliman", "AuthenticAMD", "svm" },
	{ "core2_penryn_t9600", "GenuineIntel", "vmx" },
	{ "corei5_lynnfield_750", "GenuineIntel", "vmx" },
	{ "corei5_arrandale_m520", "GenuineIntel", "vmx" },
	{ "corei7_sandy_bridge_2600k", "GenuineIntel", "vmx" },
	{ "zambezi", "AuthenticAMD", "svm" },
	{ "trinity_apu", "AuthenticAMD", "svm" },
	{ "ryzen", "AuthenticAMD", "svm" },
	{ "corei7_ivy_bridge_3770k", "GenuineIntel", "vmx" },
	{ "corei7_haswell_4770", "GenuineIntel", "vmx" },
	{ "broadwell_ult", "GenuineIntel", "vmx" },
	{ "corei7_skylake_x", "GenuineIntel", "vmx" },
	{ "corei3_cnl", "GenuineIntel", "vmx" },
	{ "corei7_icelake_u", "GenuineIntel", "vmx" },
	{ "tigerlake", "GenuineIntel", "vmx" },
};

#define NMODELS (sizeof(models) / sizeof(models[0]))

const struct bochs_model *bochs_model_find(const char *name)
{
	for (size_t i = 0; name && i < NMODELS; i++)
		if (!strcmp(models[i].name, name))
			return &models[i];
	return NULL;
}

void bochs_model_list(char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < NMODELS; i++) {
		int k = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", models[i].name);

		if (k < 0 || (size_t)k >= len - n)
			return;	/* cut, still terminated */
		n += (size_t)k;
	}
}

/* 16 heads of 63 sectors: the largest ATA CHS geometry per cylinder, so
 * the fewest cylinders, and what the BIOS translates without surprises. */
#define GEOM_HEADS 16u
#define GEOM_SPT 63u
#define GEOM_MAX_CYL 65535u

int bochs_geometry(uint64_t bytes, struct bochs_geometry *g, uint64_t *padded)
{
	const uint64_t cyl_bytes = (uint64_t)GEOM_HEADS * GEOM_SPT * 512;
	uint64_t cyl;

	if (!bytes)
		return -EINVAL;
	cyl = bytes / cyl_bytes + (bytes % cyl_bytes != 0);
	if (cyl > GEOM_MAX_CYL)
		return -EINVAL;
	*g = (struct bochs_geometry){ (unsigned)cyl, GEOM_HEADS, GEOM_SPT };
	*padded = cyl * cyl_bytes;
	return 0;
}

static const char *const sync_names[BOCHS_SYNC__COUNT] = { "none", "realtime", "slowdown" };

const char *bochs_sync_name(enum bochs_sync s)
{
	return (unsigned)s < BOCHS_SYNC__COUNT ? sync_names[s] : "none";
}

int bochs_sync_parse(const char *name, enum bochs_sync *s)
{
	for (int i = 0; name && i < BOCHS_SYNC__COUNT; i++) {
		if (!strcmp(name, sync_names[i])) {
			*s = (enum bochs_sync)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* A path goes into a bochsrc line as is: no quote, comma or newline
 * (Bochs splits its options at commas) and not empty. */
static int path_ok(const char *p)
{
	return p && *p && !strpbrk(p, "\"\n\r,");
}

int bochsrc_build(const struct bochs_config *c, char *buf, size_t len)
{
	size_t n = 0;
	int rc;

	if (!bochs_model_find(c->model) || c->mem_mb < 64 || c->mem_mb > BOCHS_MAX_MEM_MB ||
	    !c->ips || (unsigned)c->sync >= BOCHS_SYNC__COUNT ||
	    !path_ok(c->disk) || !path_ok(c->com1) || !path_ok(c->log) || !path_ok(c->bios) ||
	    !path_ok(c->vgabios) || !c->geom.cylinders || !c->geom.heads || !c->geom.spt)
		return -EINVAL;
	if (!len)
		return -ENOSPC;
	rc = text_appendf(buf, len, &n,
		"# level 1 of a supernested run under Bochs (written by the tool)\n"
		/* the term display: Debian's Bochs has no nogui; the tool
		 * drains the screen it draws (rfb would listen on the network) */
		"display_library: term\n"
		"romimage: file=\"%s\"\n"
		"vgaromimage: file=\"%s\"\n"
		"cpu: model=%s, count=1, ips=%u, reset_on_triple_fault=0\n"
		"memory: guest=%d, host=%d\n"
		/* the disk is the run directory's copy, padded to the geometry:
		 * the image itself is never opened by Bochs */
		"ata0-master: type=disk, path=\"%s\", mode=flat, cylinders=%u, heads=%u, spt=%u\n"
		"boot: disk\n"
		/* the serial console, at the UART's real pace, to the tool */
		"com1: enabled=1, mode=file, dev=\"%s\"\n"
		"clock: sync=%s, time0=local\n"
		/* no sound card reaches for ALSA (Debian's Bochs aborts on a
		 * host without one), no mouse, no floppy */
		"sound: driver=dummy\n"
		"speaker: enabled=0\n"
		"mouse: enabled=0\n"
		"floppy_bootsig_check: disabled=1\n"
		"log: \"%s\"\n"
		/* KVM reads MSR 0x1d9 (debug control) all the time and Bochs
		 * logs an error for each: megabytes.  Panics still stop Bochs. */
		"panic: action=fatal\n"
		"error: action=ignore\n"
		"info: action=ignore\n"
		"debug: action=ignore\n",
		c->bios, c->vgabios, c->model, c->ips, c->mem_mb, c->mem_mb,
		c->disk, c->geom.cylinders, c->geom.heads, c->geom.spt, c->com1,
		bochs_sync_name(c->sync), c->log);
	return rc < 0 ? rc : (int)n;
}

/* The next line of @p: its length without the newline; *@next after it. */
static size_t line_at(const char *p, const char **next)
{
	size_t n = strcspn(p, "\n");

	*next = p + n + (p[n] == '\n');
	return n;
}

/* @line starts with @kw (case-insensitive, as syslinux reads keywords)
 * followed by a blank: the argument, or NULL. */
static const char *keyword(const char *line, size_t n, const char *kw)
{
	size_t k = strlen(kw);

	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	if (n <= k || strncasecmp(line, kw, k) || (line[k] != ' ' && line[k] != '\t'))
		return NULL;
	line += k;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

int syslinux_cfg_append(const char *cfg, const char *words, char *out, size_t len)
{
	char label[64] = "";
	const char *p, *next, *append_end = NULL;
	int in_label = 0;
	size_t head, n;

	if (strpbrk(words, "\n\r"))
		return -EINVAL;
	/* the DEFAULT label's name */
	for (p = cfg; *p; p = next) {
		size_t ln = line_at(p, &next);
		const char *arg = keyword(p, ln, "DEFAULT");

		if (arg) {
			size_t an = strcspn(arg, " \t\n\r");

			if (an >= sizeof(label))
				return -ENOENT;
			memcpy(label, arg, an);
			label[an] = '\0';
			break;
		}
	}
	if (!label[0])
		return -ENOENT;
	/* its APPEND line: the end of that line is where the words go */
	for (p = cfg; *p && !append_end; p = next) {
		size_t ln = line_at(p, &next);
		const char *arg = keyword(p, ln, "LABEL");

		if (arg) {
			size_t an = strcspn(arg, " \t\n\r");

			in_label = an == strlen(label) && !strncmp(arg, label, an);
		} else if (in_label && keyword(p, ln, "APPEND")) {
			append_end = p + ln;
			while (append_end > p && (append_end[-1] == '\r' || append_end[-1] == ' '))
				append_end--;
		}
	}
	if (!append_end)
		return -ENOENT;
	head = (size_t)(append_end - cfg);
	n = head + 1 + strlen(words) + strlen(append_end);
	if (n + 1 > len)
		return -ENOSPC;
	memcpy(out, cfg, head);
	out[head] = ' ';
	memcpy(out + head + 1, words, strlen(words));
	strcpy(out + head + 1 + strlen(words), append_end);
	return (int)n;
}

long long mbr_active_partition_offset(const unsigned char *mbr)
{
	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		const unsigned char *e = mbr + 446 + 16 * i;
		unsigned long long lba = e[8] | e[9] << 8 | e[10] << 16 | (unsigned long long)e[11] << 24;

		if (e[0] == 0x80 && e[4] != 0 && lba)
			return (long long)(lba * 512);
	}
	return -EINVAL;
}

double bochs_clock_ratio(double host_s, double guest_s)
{
	if (!(host_s > 0) || !(guest_s > 0))
		return 0;
	return host_s / guest_s;
}
