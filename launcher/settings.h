/* settings.h - a level's settings, read from the kernel command line
 * ("supernested.level=2 supernested.maxdepth=4 ...") and written back out for
 * the next level.  Pure logic: the host tool uses it to configure level 1. */
#ifndef SUPERNESTED_SETTINGS_H
#define SUPERNESTED_SETTINGS_H

#include <stddef.h>

#include "node.h"

enum boot_mode { BOOT_DIRECT, BOOT_BOOTLOADER };

/* qemu machine of the child: pc (i440fx, PCI) or microvm (no PCI, virtio-mmio). */
enum machine_type { MACHINE_PC, MACHINE_MICROVM };

/* Fault injection (supernested.inject=MODE@LEVEL): provoke one real failure
 * at LEVEL so a user, or the tests, can see every failure path report. */
enum inject_mode {
	INJECT_NONE,
	INJECT_PANIC,		/* LEVEL's kernel panics (sysrq crash) after it is up */
	INJECT_HANG_SILENT,	/* LEVEL comes up, then says nothing more */
	INJECT_HANG_EARLY,	/* LEVEL's parent stops its vCPUs early in its boot */
	INJECT_QEMU_CRASH,	/* LEVEL's parent sends its qemu SIGSEGV once it is up */
	INJECT_QEMU_START,	/* LEVEL's parent gives its qemu an unknown option */
	INJECT_QEMU_EXIT,	/* LEVEL powers off right after up, without a summary */
	INJECT_NO_VIRT,		/* LEVEL's parent starts it on a CPU without svm/vmx */
	INJECT_NESTED_OFF,	/* LEVEL loads kvm_amd/kvm_intel with nested=0 */
	INJECT_KVM_MODULE,	/* LEVEL asks for a vendor module that is not there */
	INJECT_NO_KVM_DEV,	/* LEVEL removes /dev/kvm before checking it */
	INJECT_KVM_ERROR,	/* LEVEL's parent boots it on firmware that runs from MMIO */
	INJECT_SLOW_BOOT,	/* LEVEL works on for a while before it says it is up */
	INJECT__COUNT
};

struct inject_setting {
	enum inject_mode mode;
	int level;		/* the level the failure is provoked at */
	struct node node;	/* ... the node of that level, in a tree (node.h) */
};

/* The children's machine by default, each kept for what it measured in
 * interleaved A/B runs (README: what a run exercises).  No vPMU: the
 * guest's perf setup traps on counter MSRs at every level.  No early PCI
 * scans: the AGP aperture search reads every bus and slot through the
 * 0xcf8/0xcfc ports, 33000 exits to qemu per level.  Legacy devices stay:
 * without them (hpet=off,i8042=off,...) one of two passes never brought
 * L3 up.  The LAPIC's one-shot timer, not its TSC-deadline mode: with the
 * small kernel level 2 lost its TSC-deadline interrupts for 20-30 s in 3
 * of 8 boots (0 of 8 with lapic=notscdeadline).  microvm, not pc: no
 * PCI to enumerate and virtio on MMIO halve a small-kernel boot's exits
 * (2611 against 5748 at level 2) and qemu starts fewer devices, 0.77x
 * the time to L2 and L3 (a bootloader boot still gets pc).  A periodic
 * tick and low-resolution timers (nohz=off highres=off): a one-shot tick
 * rewrites the LAPIC timer's initial count at every tick, an exit through
 * every level below; L4's boot exits 3902 against 6498, level 1 handling
 * 201000 against 389000, L4 up 0.74x in interleaved passes. */
#define SETTINGS_DEFAULT_MACHINE MACHINE_MICROVM
#define SETTINGS_DEFAULT_CPU "host,pmu=off"
#define SETTINGS_DEFAULT_MACHINE_OPTS ""
/* The LAPIC's one-shot timer: also level 1's word under TCG (host/run.c). */
#define TUNE_NO_TSC_DEADLINE "lapic=notscdeadline"
#define TUNE_PERIODIC_TICK "nohz=off highres=off"
#define SETTINGS_DEFAULT_TUNE "pci=noearly " TUNE_NO_TSC_DEADLINE " " TUNE_PERIODIC_TICK

/* The deep levels' tick: from level SLOW_TICK_FROM on, one interrupt
 * every SLOW_TICK jiffies (the small kernel's lapic_tick_stride=, image/
 * kernel-patches).  At depth every tick of a parent that runs its child
 * is an exit paid at every level below, and a child's own timer is served
 * from its parent's tick: docs/kernels.md, "The deep levels' tick". */
#define SETTINGS_DEFAULT_SLOW_TICK_FROM 3
#define SETTINGS_DEFAULT_SLOW_TICK 8
#define SLOW_TICK_WORD "lapic_tick_stride"

#define SETTINGS_MAX_CONSOLES 4
#define SETTINGS_MAX_ERRORS 8

struct settings_error {
	char key[64];
	char value[64];
	char message[120];
};

struct settings {
	int level;		/* this level, 1 = booted by hand or by the host tool */
	int maxdepth;		/* deepest level to start */
	int mem_mb;		/* memory for the child, 0 = memory policy decides */
	int smp;		/* CPUs for the child, 0 = as many as this level has */
	int width;		/* children this level starts at once, each recursing */
	struct node node;	/* this level's name in the tree: settings_node() */
	int timeout_s;		/* budget for a child to report up; 0: derived (budget.h) */
	enum boot_mode boot;	/* how the child boots */
	enum machine_type machine;	/* the child's qemu machine */
	int evidence;		/* console lines kept as evidence of a failure */
	int quiet;		/* children boot with "quiet": every console byte is costly at depth */
	char report_console[32];	/* device for report lines ("" = console= list) */
	char child_args[256];	/* extra kernel words for every level below this one */
	struct inject_setting inject;	/* passed on to every level below */
	/* What the children's virtual machine is made of: each is a setting so
	 * a kernel developer sees what a run does and does not exercise. */
	char child_cpu[64];	/* -cpu of the children ("host,pmu=off") */
	char machine_opts[96];	/* appended to -machine pc (legacy devices off) */
	char tune_args[256];	/* kernel words for speed at depth, every level below */
	int profile;		/* count the child's exits by reason (kvm_exit histogram) */
	int qemu_microvm;	/* microvm children run qemu's microvm-only build (qemu_argv.h) */
	int slow_tick_from;	/* levels this deep and deeper tick every slow_tick jiffies; 0: none */
	int slow_tick;		/* ... their tick's stride (the small kernel's lapic_tick_stride=) */
	long long deadline;	/* the run's time limit, wall clock (UNIX seconds,
				 * budget.h); 0: none */
	long long child_deadline;	/* not a word: the child's, set by the plan and
					 * passed on as its supernested.deadline */

	/* console= arguments, in order: where a level talks by default */
	char consoles[SETTINGS_MAX_CONSOLES][32];
	int nconsoles;

	struct settings_error errors[SETTINGS_MAX_ERRORS];
	int nerrors;
};

void settings_defaults(struct settings *s);

/* Apply every recognised word of @cmdline; malformed values are recorded in
 * s->errors and leave the previous value in place. Unknown supernested.*
 * keys are errors too (a typo must not pass silently). */
void settings_parse(struct settings *s, const char *cmdline);

/* The supernested.* words that configure child @index (1-based; 1 with
 * width 1) of @s, at level s->level+1, space separated.  Returns length or
 * -ENOSPC. */
int settings_format_child(const struct settings *s, int index, char *buf, size_t len);

/* After settings_parse: this level's node (supernested.node=, else the
 * first branch's node at supernested.level); a node whose depth is not the
 * level is an error recorded in s->errors, and the level's first node is
 * used.  A width whose tree would have more than TREE_LEAVES_MAX
 * branches is an error too, and width 1 is used. */
void settings_settle_node(struct settings *s);

const char *boot_mode_name(enum boot_mode m);
const char *machine_name(enum machine_type m);

const char *inject_mode_name(enum inject_mode m);

/* Modes LEVEL's parent acts out (its qemu's arguments, signals, monitor);
 * they need LEVEL 2 or deeper.  The others LEVEL acts out itself. */
int inject_by_parent(enum inject_mode m);

/* The kernel word that slows the tick of a child at @child_level
 * ("lapic_tick_stride=8"), or "" above slow_tick_from.  Returns length or
 * -ENOSPC. */
int settings_tick_words(const struct settings *s, int child_level, char *buf, size_t len);

/* Kernel command line words that act out @in at the node booted with
 * them (@booted), put after LEVEL_BOOT_ARGS (the last word wins):
 * "kvm_amd.nested=0 kvm_intel.nested=0" for nested-off there, else "". */
const char *inject_kernel_words(const struct inject_setting *in, const struct node *booted);

/* 1 when @in provokes its failure at node @n (by its node; by its level
 * when it was set without one). */
int inject_targets(const struct inject_setting *in, const struct node *n);

/* Parse "MODE@LEVEL" ("panic@2") or "MODE@NODE" in a tree ("panic@1.2",
 * node.h). Returns 0, or -EINVAL when the mode is unknown or the level is
 * not 1..64 (2..64 for modes a parent acts out). */
int parse_inject(const char *text, struct inject_setting *out);

/* Parse "512", "512M", "2G" into MiB. -EINVAL when malformed. */
int parse_size_mb(const char *text, long *mb);

#endif
