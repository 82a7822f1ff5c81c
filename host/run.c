/* run.c - level 1 under the host's qemu: build its command line, stream
 * its serial console into console.log and the run model, show progress,
 * enforce the run's time limit. */
#include "run.h"
#include "accel.h"
#include "disk_image.h"
#include "image_info.h"
#include "line_reader.h"
#include "memory_policy.h"
#include "overlay.h"
#include "qemu_argv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QEMU_BIN "qemu-system-x86_64"

/* Ctrl-C or a CI job's SIGTERM: stop level 1 but still write the results. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int make_run_dir(const struct run_options *o, char *dir, size_t len, char *stamp,
			size_t stamplen)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(stamp, stamplen, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (o->out_dir) {
		snprintf(dir, len, "%s", o->out_dir);
	} else {
		char base[64];

		strftime(base, sizeof(base), "results/run-%Y%m%d-%H%M%S", &tm);
		snprintf(dir, len, "%s", base);
		for (int i = 2; access(dir, F_OK) == 0 && i < 100; i++)
			snprintf(dir, len, "%s-%d", base, i);
	}
	mkdir("results", 0755);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "supernested: cannot create run directory %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Level 1 gets what the levels below it need (the launcher's own memory
 * policy), at least 1 GiB, and never more than the host can spare. */
static int default_mem_mb(int max_depth)
{
	long need = level_need_mb(max_depth - 1, OVERLAY_MB), avail = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &avail) == 1)
			break;
	if (f)
		fclose(f);
	need = need < 1024 ? 1024 : (need + 255) / 256 * 256;
	avail = avail / 1024 - 1024;	/* leave the host 1 GiB */
	if (avail > 0 && need > avail)
		need = avail;
	return (int)need;
}

/* Progress for people: the events that tell the story, one line each. */
static void show_progress(const char *line, double t, int verbose)
{
	static const char *const shown[] = {
		"up", "child-start", "child-up", "child-fail", "stop", "summary",
		"config-error", "warning",
	};
	struct report r;
	size_t off;

	if (report_parse(line, &r, &off) == 0) {
		for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
			if (!strcmp(r.event, shown[i]) || verbose) {
				printf("[%7.1fs] %s\n", t, line + off + strlen("supernested: "));
				fflush(stdout);
				return;
			}
		}
		return;
	}
	if (verbose) {
		printf("[%7.1fs]   | %s\n", t, line);
		fflush(stdout);
	}
}

/* What the line callbacks need while level 1 runs. */
struct follow {
	struct run_model *m;
	FILE *log;
	double t;		/* host time of the lines being read */
	int verbose;
	char err[16384];	/* qemu's stderr, for classifying level 1's end */
	size_t errlen;
};

static size_t chomp(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		line[--n] = '\0';
	return n;
}

static void on_stderr_line(void *ctx, char *line)
{
	struct follow *f = ctx;
	size_t n = chomp(line);

	if (f->errlen + n + 2 < sizeof(f->err)) {
		memcpy(f->err + f->errlen, line, n);
		f->errlen += n;
		f->err[f->errlen++] = '\n';
		f->err[f->errlen] = '\0';
	}
	fprintf(stderr, "qemu: %s\n", line);
}

static void on_console_line(void *ctx, char *line)
{
	struct follow *f = ctx;

	chomp(line);
	fprintf(f->log, "[+%.3fs] %s\n", f->t, line);
	fflush(f->log);
	events_line(f->m, line, f->t);
	show_progress(line, f->t, f->verbose);
}

int run_chain(const struct run_options *o, struct run_model *m, struct run_info *info,
	      char *run_dir, size_t run_dir_len)
{
	static struct follow follow;
	static char started[32];
	char err[300], path_overlay[PATH_MAX], path_kernel[PATH_MAX], path_initrd[PATH_MAX];
	char path_log[PATH_MAX], append[2048], fwcfg[1024], image_abs[PATH_MAX];
	static struct host_accel acc;
	static struct utsname uts;
	static struct image_info img;
	char path_info[PATH_MAX];
	struct argv_builder argv;
	struct qemu_config qc;
	static struct line_reader st[2];
	void (*const on_line[2])(void *, char *) = { on_console_line, on_stderr_line };
	long long offset;
	int pout[2], perr[2], status = 0, timed_out = 0, exited = 0, open_streams = 2;
	double t0, deadline;
	FILE *log;
	pid_t pid;

	events_init(m);
	if (image_open_check(o->image, &offset, err, sizeof(err)) < 0) {
		fprintf(stderr, "supernested: %s\n", err);
		return -1;
	}
	if (pick_accel(o->accel, &acc) < 0) {
		fprintf(stderr, "supernested: %s\n", acc.why);
		return -1;
	}
	if (make_run_dir(o, run_dir, run_dir_len, started, sizeof(started)) < 0)
		return -1;
	snprintf(path_overlay, sizeof(path_overlay), "%s/level1-overlay.qcow2", run_dir);
	snprintf(path_kernel, sizeof(path_kernel), "%s/vmlinux", run_dir);
	snprintf(path_initrd, sizeof(path_initrd), "%s/initrd.img", run_dir);
	snprintf(path_log, sizeof(path_log), "%s/console.log", run_dir);

	/* level 1's disk: a qcow2 overlay over the image, never the image itself */
	if (!realpath(o->image, image_abs)) {
		fprintf(stderr, "supernested: image %s: %s\n", o->image, strerror(errno));
		return -1;
	}
	if (overlay_write(path_overlay, image_abs, err, sizeof(err)) < 0) {
		fprintf(stderr, "supernested: cannot create the overlay: %s\n", err);
		return -1;
	}
	/* the image's version (a mismatch is worth a warning) and the kernel its levels boot */
	snprintf(path_info, sizeof(path_info), "%s/image-release", run_dir);
	if (image_read_info(o->image, offset, path_info, &img, err, sizeof(err)) < 0) {
		fprintf(stderr, "supernested: %s\n", err);
		return -1;
	}
	if (strcmp(img.version, SUPERNESTED_VERSION))
		fprintf(stderr, "supernested: warning: image %s is version %s, this tool %s (rebuild both: make all image)\n",
			o->image, img.version, SUPERNESTED_VERSION);
	if (!strcmp(o->boot, "direct") &&
	    (image_extract(o->image, offset, img.child_kernel, path_kernel, err, sizeof(err)) < 0 ||
	     image_extract(o->image, offset, "/boot/initrd.img", path_initrd, err, sizeof(err)) < 0)) {
		fprintf(stderr, "supernested: %s\n", err);
		return -1;
	}

	uname(&uts);
	*info = (struct run_info){
		.image = o->image, .image_version = img.version, .image_kernel = img.kernel_release,
		.accel = acc.accel, .cpu = acc.cpu,
		.host_cpu = acc.host.model, .host_kernel = uts.release, .boot = o->boot,
		.mem_mb = o->mem_mb ? o->mem_mb : default_mem_mb(o->max_depth),
		.smp = o->smp ? o->smp : 1,
		.max_depth = o->max_depth, .expect_depth = o->expect_depth,
		.level_timeout_s = o->level_timeout_s, .run_timeout_s = o->run_timeout_s,
		.started = started, .source = "run", .image_unchanged = -1,
	};

	if (snprintf(fwcfg, sizeof(fwcfg),
		     "supernested.level=1 supernested.maxdepth=%d supernested.timeout=%d%s%s",
		     o->max_depth, o->level_timeout_s, o->kernel_args ? " " : "",
		     o->kernel_args ? o->kernel_args : "") >= (int)sizeof(fwcfg) ||
	    snprintf(append, sizeof(append), "console=ttyS0 quiet " LEVEL_BOOT_ARGS " %s",
		     fwcfg) >= (int)sizeof(append)) {
		fprintf(stderr, "supernested: --kernel-args too long (at most about 900 characters)\n");
		return -1;
	}
	qc = (struct qemu_config){
		.qemu = QEMU_BIN, .accel = acc.accel, .cpu = acc.cpu,
		.mem_mb = info->mem_mb, .smp = info->smp,
		.boot = strcmp(o->boot, "bootloader") ? BOOT_DIRECT : BOOT_BOOTLOADER,
		.firmware = access(QBOOT_FIRMWARE, R_OK) == 0 ? QBOOT_FIRMWARE : NULL,
		.kernel = path_kernel, .initrd = path_initrd, .append = append,
		.disk = path_overlay, .disk_format = "qcow2", .disk_bus = "virtio",
		.report_fd = -1,
	};
	/* through the bootloader the command line is the image's: settings by fw_cfg */
	if (qc.boot == BOOT_BOOTLOADER)
		qc.fw_cfg_settings = fwcfg;
	if (qemu_build_argv(&qc, &argv) < 0) {
		fprintf(stderr, "supernested: qemu command line too long (--kernel-args?)\n");
		return -1;
	}

	log = fopen(path_log, "we");
	if (!log) {
		fprintf(stderr, "supernested: %s: %s\n", path_log, strerror(errno));
		return -1;
	}
	printf("supernested: level 1 on %s (%s), %d MiB, %d CPU, max depth %d; results in %s\n",
	       acc.accel, acc.why, info->mem_mb, info->smp, o->max_depth, run_dir);
	fflush(stdout);

	if (pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0) {
		fprintf(stderr, "supernested: pipe: %s\n", strerror(errno));
		fclose(log);
		return -1;
	}
	{	/* before the fork: a Ctrl-C from now on stops qemu and keeps results */
		struct sigaction sa = { .sa_handler = on_stop_signal };

		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	t0 = now_s();
	deadline = t0 + o->run_timeout_s;
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "supernested: fork: %s\n", strerror(errno));
		fclose(log);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		setpgid(0, 0);	/* the terminal's Ctrl-C is ours to handle */
		dup2(devnull, 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		execvp(argv.argv[0], argv.argv);
		dprintf(2, "cannot execute %s: %s (install qemu-system-x86)\n", argv.argv[0],
			strerror(errno));
		_exit(127);
	}
	close(pout[1]);
	close(perr[1]);
	follow = (struct follow){ .m = m, .log = log, .verbose = o->verbose };
	line_reader_init(&st[0], pout[0], LINE_READER_MAX);
	line_reader_init(&st[1], perr[0], LINE_READER_MAX);
	fcntl(st[0].fd, F_SETFL, O_NONBLOCK);
	fcntl(st[1].fd, F_SETFL, O_NONBLOCK);

	while (open_streams > 0 || !exited) {
		struct pollfd pfd[2] = { { st[0].fd, POLLIN, 0 }, { st[1].fd, POLLIN, 0 } };
		double t = now_s();

		if (!exited && (t > deadline || stop_signal)) {
			timed_out = 1;
			if (stop_signal)
				fprintf(stderr, "supernested: %s: stopping level 1, keeping the results\n",
					strsignal(stop_signal));
			else
				fprintf(stderr, "supernested: run time limit of %d s reached: stopping level 1\n",
					o->run_timeout_s);
			kill(pid, SIGTERM);
			for (int i = 0; i < 50 && waitpid(pid, &status, WNOHANG) == 0; i++)
				usleep(100000);
			if (waitpid(pid, &status, WNOHANG) == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
			}
			exited = 1;
		}
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		if (poll(pfd, 2, 250) <= 0 && exited)
			break;
		for (int i = 0; i < 2; i++) {
			if (st[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			follow.t = now_s() - t0;
			if (line_reader_read(&st[i], on_line[i], &follow) == 0) {
				close(st[i].fd);
				st[i].fd = -1;
				open_streams--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (st[i].fd >= 0)
			close(st[i].fd);
	fclose(log);
	info->duration_s = now_s() - t0;

	if (!m->summary_seen) {
		struct child_end end = { .came_up = m->level[1].up, .qemu_stderr = follow.err };

		child_end_set_status(&end, status, timed_out);

		events_abnormal_end(m, &end);
		if (timed_out) {	/* say why we stopped it rather than guess */
			struct level_record *l = &m->level[m->failed_level];

			if (stop_signal) {
				l->outcome = m->result = OUTCOME_NONE;
				snprintf(l->detail, sizeof(l->detail), "run interrupted (%s) while this level ran",
					 strsignal(stop_signal));
			} else {
				l->outcome = m->result = OUTCOME_TIMEOUT;
				snprintf(l->detail, sizeof(l->detail),
					 "run time limit of %d s reached while this level ran", o->run_timeout_s);
			}
		}
		if (!m->level[1].up && !timed_out) {
			fprintf(stderr, "supernested: level 1 did not come up: %s\n",
				m->level[1].detail);
		}
	}
	events_finish(m);
	return 0;
}
