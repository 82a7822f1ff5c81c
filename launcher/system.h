/* system.h - the launcher's contact with the running kernel: mounts, files,
 * memory, the hypervisor signature, the kernel log, power off. */
#ifndef SUPERNESTED_SYSTEM_H
#define SUPERNESTED_SYSTEM_H

#include <stddef.h>

struct mount_entry {
	const char *source, *target, *fstype;
	unsigned long flags;
	const char *data;
};

/* Mount each entry under @prefix (mkdir as needed). Returns the number of
 * failures; @err names the first. */
int mount_table(const struct mount_entry *table, size_t n, const char *prefix,
		char *err, size_t errlen);

/* Read a small file into @buf (NUL terminated, trailing newline kept).
 * Returns bytes read or -errno. */
long read_text(const char *path, char *buf, size_t len);

/* MemTotal and MemAvailable in MiB. */
int mem_info(long *total_mb, long *available_mb);

/* 12-byte CPUID 0x40000000 signature ("" when not under a hypervisor). */
void hypervisor_signature(char sig[13]);

/* Seconds since this kernel booted (CLOCK_BOOTTIME). */
double uptime_s(void);

/* UNIX seconds (CLOCK_REALTIME): set from the level above's clock (RTC,
 * KVM's wall clock), so every level of a run roughly agrees. */
double wall_clock_s(void);

/* Whether the kernel's random pool is initialised: 1 yes, 0 not yet (a
 * blocking getrandom(), as qemu makes at start, would wait), -errno. */
int crng_ready(void);

/* The newest @len bytes of the kernel log. */
void kernel_log_tail(char *buf, size_t len);

/* How long power_off() waits for the consoles to send what they hold:
 * at 115200 baud 5 s carry 57 KB, far more than a level's closing lines. */
#define POWER_OFF_DRAIN_MS 5000

/* Drain the consoles (bounded, console_drain()), sync and power off;
 * never returns. */
void power_off(void) __attribute__((noreturn));

#endif
