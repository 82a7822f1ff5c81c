/* system.c - syscall wrappers for the launcher (see system.h). */
#include "system.h"
#include "console.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int mount_table(const struct mount_entry *table, size_t n, const char *prefix,
		char *err, size_t errlen)
{
	int failures = 0;

	for (size_t i = 0; i < n; i++) {
		char target[256];

		snprintf(target, sizeof(target), "%s%s", prefix, table[i].target);
		mkdir(target, 0755);
		if (mount(table[i].source, target, table[i].fstype, table[i].flags,
			  table[i].data) < 0 && errno != EBUSY) {
			if (!failures++)
				snprintf(err, errlen, "mount %s on %s: %s", table[i].fstype,
					 target, strerror(errno));
		}
	}
	return failures;
}

long read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t o = 0;

	if (fd < 0) {
		buf[0] = '\0';
		return -errno;
	}
	while (o + 1 < len) {
		ssize_t n = read(fd, buf + o, len - 1 - o);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		o += (size_t)n;
	}
	buf[o] = '\0';
	close(fd);
	return (long)o;
}

static long meminfo_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) / 1024 : -1;
}

int mem_info(long *total_mb, long *available_mb)
{
	char buf[4096];

	if (read_text("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -errno;
	*total_mb = meminfo_field(buf, "MemTotal:");
	*available_mb = meminfo_field(buf, "MemAvailable:");
	return *total_mb < 0 || *available_mb < 0 ? -EINVAL : 0;
}

void hypervisor_signature(char sig[13])
{
	unsigned int a, b, c, d;

	memset(sig, 0, 13);
	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31)))		/* no hypervisor bit: bare metal */
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
}

double uptime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double wall_clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int crng_ready(void)
{
	unsigned char byte;

	if (getrandom(&byte, 1, GRND_NONBLOCK) == 1)
		return 1;
	return errno == EAGAIN ? 0 : -errno;
}

void kernel_log_tail(char *buf, size_t len)
{
	char rec[1024];
	size_t o = 0;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return;
	/* records look like "6,123,456,-;message"; keep the message */
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *msg;
		size_t m;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten record: skip */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		m = strcspn(msg, "\n");
		if (m + 2 > len)
			continue;
		if (o + m + 2 > len) {	/* keep the newest: drop the oldest half */
			size_t keep = o / 2;

			memmove(buf, buf + o - keep, keep);
			o = keep;
		}
		memcpy(buf + o, msg, m);
		o += m;
		buf[o++] = '\n';
		buf[o] = '\0';
	}
	close(fd);
}

void power_off(void)
{
	struct timespec pause = { 60, 0 };

	/* the closing lines are written, not yet sent: a UART at its baud
	 * rate (real hardware, Bochs) still holds them, and powering off
	 * now cut level 1's summary and answer in half */
	console_drain(POWER_OFF_DRAIN_MS);
	sync();
	for (;;) {
		reboot(RB_POWER_OFF);
		/* still here: PID 1 must not exit, try again later */
		nanosleep(&pause, NULL);
	}
}
