/* qemu_argv.h - build a qemu command line structurally, as an argv array
 * (never a shell string).  Option values are escaped for qemu's key=value
 * syntax (a comma is doubled).  Pure logic, shared by the launcher (next
 * level) and the host tool (level 1). */
#ifndef SUPERNESTED_QEMU_ARGV_H
#define SUPERNESTED_QEMU_ARGV_H

#include <stddef.h>

#include "settings.h"

#define ARGV_MAX 96
#define ARGV_STORAGE 8192

struct argv_builder {
	char *argv[ARGV_MAX + 1];	/* NULL terminated */
	int argc;
	char storage[ARGV_STORAGE];
	size_t used;
	int overflow;			/* set when anything did not fit */
};

void argv_init(struct argv_builder *b);
void argv_add(struct argv_builder *b, const char *arg);
void argv_addf(struct argv_builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Escape @value for use inside a qemu option list ("a,b" -> "a,,b").
 * Returns length or -ENOSPC. */
int qemu_opt_escape(const char *value, char *buf, size_t len);

/* Kernel words every level boots with, from the host tool or its parent:
 * a panic ends qemu at once, one UART to probe, no NMI watchdog (perf
 * counters trap at depth), no crypto self-tests (0.6 s of a TCG level 1),
 * nested on for a KVM built in (=y; modules get nested=1 when loaded),
 * the random pool seeded from rdrand at boot (as Debian's kernels do by
 * default): otherwise the getrandom() every qemu makes at start waits for
 * the kernel's jitter entropy, 1.5-2 s of a TCG level 1's child start. */
#define LEVEL_BOOT_ARGS "panic=-1 8250.nr_uarts=1 nowatchdog cryptomgr.notests " \
	"kvm_amd.nested=1 kvm_intel.nested=1 random.trust_cpu=on"

/* A minimal firmware that boots a direct kernel faster than SeaBIOS. */
#define QBOOT_FIRMWARE "/usr/share/qemu/qboot.rom"

/* What a level needs to know to start the level below it. */
struct qemu_config {
	const char *qemu;		/* binary */
	const char *accel;		/* "kvm" or "tcg" */
	const char *cpu;		/* "host", "max", ... */
	int mem_mb, smp;
	enum boot_mode boot;
	enum machine_type machine;	/* microvm: direct boot only */
	const char *machine_opts;	/* appended to -machine, NULL or "" = none */
	const char *kernel, *initrd;	/* direct boot */
	const char *firmware;		/* -bios for a direct boot on pc, NULL = qemu's */
	const char *append;		/* kernel command line (direct boot) */
	const char *fw_cfg_settings;	/* settings passed by fw_cfg (bootloader boot) */
	const char *disk;		/* the child's boot disk */
	const char *disk_format;	/* "qcow2" or "raw" */
	const char *disk_bus;		/* "virtio" or "ide" */
	int report_fd;			/* fd for the child's report port, -1 = none */
	const char *monitor_path;	/* HMP monitor on this unix socket, NULL = none */
	const char *const *extra;	/* appended as given, NULL terminated (fault injection) */
};

/* Debian's qemu, and its microvm-only build: KVM only, no TCG, 10 shared
 * libraries against 51 and 7.7 MB against 18 MB, which is what a level
 * under TCG pays for at every qemu start (code translated the first time). */
#define QEMU_FULL "/usr/bin/qemu-system-x86_64"
#define QEMU_MICROVM "/usr/bin/qemu-system-x86_64-microvm"

/* Pure: the binary for a child on @machine booted by @boot under @accel:
 * the microvm build when @microvm_build (asked for, and present) can run
 * it (microvm booted directly under KVM), else the full one. */
const char *qemu_binary_for(enum machine_type machine, enum boot_mode boot, const char *accel,
			    int microvm_build);

/* Fill @b with the full command line. Returns 0, or -ENOSPC on overflow. */
int qemu_build_argv(const struct qemu_config *c, struct argv_builder *b);

/* Path of the fw_cfg item carrying the settings, and where a guest finds it. */
#define FW_CFG_SETTINGS_NAME "opt/supernested/settings"
#define FW_CFG_SETTINGS_SYSFS "/sys/firmware/qemu_fw_cfg/by_name/opt/supernested/settings/raw"

/* The virtio-serial port a child's report lines come up on (its
 * supernested.console).  A generic port, not a virtconsole: the guest's
 * hvc console waits for its host to take every write with interrupts off,
 * spinning, and at depth 5 a level sat in that spin (virtio_console's
 * __send_to_port) for over half an hour; a generic port's write returns
 * as soon as the buffer is queued. */
#define REPORT_PORT_NAME "supernested.report"

#endif
