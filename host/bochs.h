/* bochs.h - level 1 under Bochs, the pure part: Bochs's CPU models and
 * what they offer, the disk geometry it needs, the bochsrc the tool
 * writes, and the bootloader line that carries the run's settings.
 * Starting Bochs is bochs_run.h's job. */
#ifndef SUPERNESTED_BOCHS_H
#define SUPERNESTED_BOCHS_H

#include <stddef.h>
#include <stdint.h>

/* Intel with VMX and EPT: level 2 runs under nested kvm_intel. */
#define BOCHS_DEFAULT_MODEL "corei7_skylake_x"
/* Bochs refuses more host memory than this (memory: host=). */
#define BOCHS_MAX_MEM_MB 2048
/* Instructions per emulated second: the rate Bochs's timers assume. */
#define BOCHS_DEFAULT_IPS 100000000u

struct bochs_model {
	const char *name;	/* cpu: model= */
	const char *vendor;	/* CPUID vendor string level 1 sees */
	const char *virt;	/* "vmx", "svm" or "" (none) */
};

/* The model called @name, or NULL when Bochs 2.7 has none by that name. */
const struct bochs_model *bochs_model_find(const char *name);

/* The models, for --help and error messages: "a, b, c". */
void bochs_model_list(char *buf, size_t len);

/* A CHS geometry for a disk of @bytes: Bochs addresses cylinders *
 * heads * spt sectors and nothing past them, so the disk is padded to
 * *@padded bytes (>= @bytes).  Returns 0, or -EINVAL for an empty disk or
 * one too large for ATA's 65535 cylinders. */
struct bochs_geometry {
	unsigned cylinders, heads, spt;
};
int bochs_geometry(uint64_t bytes, struct bochs_geometry *g, uint64_t *padded);

/* How Bochs's emulated time follows the host's (clock: sync=). */
enum bochs_sync { BOCHS_SYNC_NONE, BOCHS_SYNC_REALTIME, BOCHS_SYNC_SLOWDOWN, BOCHS_SYNC__COUNT };
const char *bochs_sync_name(enum bochs_sync s);
/* Returns 0 and sets *@s, or -EINVAL. */
int bochs_sync_parse(const char *name, enum bochs_sync *s);

struct bochs_config {
	const char *model;	/* a bochs_model_find() name */
	unsigned ips;
	enum bochs_sync sync;
	int mem_mb;		/* guest memory; at most BOCHS_MAX_MEM_MB */
	const char *disk;	/* the disk Bochs boots (a copy: Bochs writes it) */
	struct bochs_geometry geom;
	const char *com1;	/* where the serial console goes (a file or /dev/fd/N) */
	const char *log;	/* Bochs's own log */
	const char *bios, *vgabios;
};

/* The bochsrc for @c into @buf.  Returns its length, or -EINVAL (an
 * unknown model, memory out of range, a path with a quote or newline)
 * or -ENOSPC (@buf too small). */
int bochsrc_build(const struct bochs_config *c, char *buf, size_t len);

/* @cfg (a syslinux.cfg) with @words added to the APPEND line of its
 * DEFAULT label, as a person types them after the label at the boot:
 * prompt.  Everything else stays as it is.  Returns the new length,
 * -ENOENT when the label or its APPEND is missing, -EINVAL for words with
 * a newline, -ENOSPC when @out is too small. */
int syslinux_cfg_append(const char *cfg, const char *words, char *out, size_t len);

/* Byte offset of the active (boot) partition in a 512-byte MBR: where
 * the bootloader and its syslinux.cfg are.  -EINVAL when there is none. */
long long mbr_active_partition_offset(const unsigned char *mbr);

/* The guest clock against the host's: level 1 said it had been up
 * @guest_s (its uptime) when the host had run it @host_s.  Returns the
 * ratio host/guest (1 when the clocks agree; Bochs with sync=none gives
 * 40-80), or 0 when there is nothing to compare. */
double bochs_clock_ratio(double host_s, double guest_s);

#endif
