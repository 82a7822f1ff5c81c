/* kvm_stats.c - KVM statistics of the child VM from debugfs and tracefs
 * (see kvm_stats.h). */
#include "kvm_stats.h"
#include "console.h"
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEBUGFS "/sys/kernel/debug"
#define TRACEFS "/sys/kernel/tracing"
#define HIST_DIR TRACEFS "/events/kvm/kvm_exit"
#define PIO_DIR TRACEFS "/events/kvm/kvm_pio"
#define MSR_DIR TRACEFS "/events/kvm/kvm_msr"

#define VMS_MAX 8	/* children watched at once (SUPERVISOR_MANY_MAX) */

static struct {
	int armed, pio_armed, msr_armed;
	struct {
		pid_t qemu;
		struct exit_profile before;	/* its counters at the previous report */
	} vm[VMS_MAX];
	enum exit_isa isa;
} st;

/* The counters of qemu @pid's VM at its previous report (zero at first). */
static struct exit_profile *before_of(pid_t pid)
{
	int free_slot = -1;

	for (int i = 0; i < VMS_MAX; i++) {
		if (st.vm[i].qemu == pid)
			return &st.vm[i].before;
		if (!st.vm[i].qemu && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		free_slot = (int)((unsigned)pid % VMS_MAX);	/* full: reuse one */
	st.vm[free_slot].qemu = pid;
	exit_profile_init(&st.vm[free_slot].before, st.isa);
	return &st.vm[free_slot].before;
}

static long read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	return (long)got;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int mount_once(const char *fstype, const char *target, const char *probe)
{
	if (access(probe, F_OK) == 0)
		return 0;
	mkdir(target, 0700);
	if (mount(fstype, target, fstype, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno != EBUSY)
		return -errno;
	return 0;
}

int kvm_stats_start(enum exit_isa isa, int trace)
{
	int rc;

	st.isa = isa;
	st.armed = 0;
	memset(st.vm, 0, sizeof(st.vm));
	rc = mount_once("debugfs", DEBUGFS, DEBUGFS "/kvm");
	if (rc < 0 || !trace)
		return rc;
	rc = mount_once("tracefs", TRACEFS, TRACEFS "/events");
	if (rc < 0)
		return rc;
	rc = write_text(HIST_DIR "/trigger", EXIT_HIST_TRIGGER);
	st.armed = rc == 0;
	if (rc == 0) {
		st.pio_armed = write_text(PIO_DIR "/trigger", EXIT_PIO_TRIGGER) == 0;
		st.msr_armed = write_text(MSR_DIR "/trigger", EXIT_MSR_TRIGGER) == 0;
	}
	return rc;
}

/* debugfs names a VM's directory "<pid>-<fd>". */
static int find_vm_dir(pid_t pid, char *path, size_t len)
{
	char prefix[24];
	struct dirent *d;
	DIR *dir = opendir(DEBUGFS "/kvm");
	int rc = -ENOENT;

	if (!dir)
		return -errno;
	snprintf(prefix, sizeof(prefix), "%d-", (int)pid);
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, prefix, strlen(prefix)) == 0) {
			if (snprintf(path, len, DEBUGFS "/kvm/%s", d->d_name) < (int)len)
				rc = 0;
			break;
		}
	}
	closedir(dir);
	return rc;
}

/* One counter file of the VM directory @dir. */
static long read_vm_file(const char *dir, const char *file, char *text, size_t len)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return read_small(path, text, len);
}

long long kvm_stats_child_work(pid_t qemu_pid)
{
	static const char *const files[] = { "mmio_exits", "pages_4k", "pages_2m", "pages_1g" };
	char dir[128], text[64];
	long long sum = 0;
	int rc = find_vm_dir(qemu_pid, dir, sizeof(dir)), found = 0;

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (read_vm_file(dir, files[i], text, sizeof(text)) > 0) {
			sum += strtoll(text, NULL, 10);
			found++;
		}
	}
	return found ? sum : -ENOENT;
}

void kvm_stats_report(const struct node *self, const struct node *booted, pid_t qemu_pid)
{
	struct exit_profile *before = before_of(qemu_pid);
	static char hist[16384];
	char dir[128], text[64];
	struct exit_profile p;
	struct report r;

	exit_profile_init(&p, st.isa);
	if (find_vm_dir(qemu_pid, dir, sizeof(dir)) == 0) {
		for (int c = 0; c < EC_COUNT; c++) {
			if (read_vm_file(dir, exit_counters[c].file, text, sizeof(text)) > 0)
				exit_profile_counter(&p, (enum exit_counter)c, text);
		}
	}
	{
		struct exit_profile now = p;

		exit_profile_subtract(&p, before);
		*before = now;
	}
	/* Each histogram covers one level's boot: read it, then start over. */
	if (st.armed) {
		if (read_small(HIST_DIR "/hist", hist, sizeof(hist)) > 0)
			exit_profile_hist(&p, hist);
		write_text(HIST_DIR "/trigger", "!" EXIT_HIST_TRIGGER);
		st.armed = write_text(HIST_DIR "/trigger", EXIT_HIST_TRIGGER) == 0;
	}
	if (st.pio_armed) {
		if (read_small(PIO_DIR "/hist", hist, sizeof(hist)) > 0)
			exit_profile_pio(&p, hist);
		write_text(PIO_DIR "/trigger", "!" EXIT_PIO_TRIGGER);
		st.pio_armed = write_text(PIO_DIR "/trigger", EXIT_PIO_TRIGGER) == 0;
	}
	if (st.msr_armed) {
		if (read_small(MSR_DIR "/hist", hist, sizeof(hist)) > 0)
			exit_profile_msr(&p, hist);
		write_text(MSR_DIR "/trigger", "!" EXIT_MSR_TRIGGER);
		st.msr_armed = write_text(MSR_DIR "/trigger", EXIT_MSR_TRIGGER) == 0;
	}
	report_init_node(&r, self, "child-exits");
	report_add_node(&r, "level", booted);
	exit_profile_add(&p, &r);
	report_emit(&r);
}
