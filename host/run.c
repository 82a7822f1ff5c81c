/* run.c - level 1 under the host's qemu: build its command line, stream
 * its serial console into console.log and the run model, show progress,
 * enforce level 1's budget and the run's time limit. */
#include "run.h"
#include "accel.h"
#include "bochs_run.h"
#include "budget.h"
#include "console_log.h"
#include "event_line.h"
#include "disk_image.h"
#include "image_info.h"
#include "level1_end.h"
#include "memory_policy.h"
#include "monitor.h"
#include "overlay.h"
#include "profile.h"
#include "progress.h"
#include "run_tree.h"
#include "qemu_argv.h"
#include "settings.h"
#include "supervisor.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
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

/* Level 1's CPUs: --smp's on KVM; one under TCG, where a level 1 with
 * more hangs its nested guest early in its boot (QEMU 7.2's emulated SVM,
 * with one TCG thread or several; pinning the guest's threads did not
 * help), and under Bochs, whose machine here has one. */
static int level1_cpus(const struct run_options *o, const char *accel)
{
	if (o->smp <= 1)
		return 1;
	return strcmp(accel, "kvm") ? 1 : o->smp;
}

static const char *why_one_cpu(const char *accel)
{
	return !strcmp(accel, "bochs") ? "Bochs's machine here has one"
				       : "QEMU's emulated SVM hangs a nested guest when level 1 has more";
}

/* What a profile leaves out under a TCG level 1, said once. */
static void tcg_profile_note(const struct run_options *o, const char *accel)
{
	const struct run_profile *p = run_profile_find(o->profile);

	if (p && p->tcg_words[0] && !strcmp(accel, "tcg"))
		printf("supernested: profile %s under TCG adds %s (%s)\n", p->name, p->tcg_words,
		       p->tcg_why);
}

/* Level 1 gets what the levels below it need (the launcher's own memory
 * policy), at least 1 GiB, and never more than the host can spare.  With
 * --width, every level starts @width children and divides its memory among
 * them: level 1 needs room for the whole tree (level_need_tree_mb). */
static int default_mem_mb(int max_depth, int width)
{
	long need = level_need_tree_mb(max_depth - 1, OVERLAY_MB, width > 1 ? width : 1), avail = 0;
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

/* Progress for people: the events that tell the story, one sentence each
 * (event_line.h); -v shows every line, reports as the protocol has them.
 * Through the writer thread (progress.h): a reader that does not keep up
 * loses progress lines, never the drain of level 1's console. */
static void show_progress(const char *line, double t, int verbose)
{
	char text[CONSOLE_LOG_LINE_MAX + 32];
	struct report r;
	size_t off, n;

	/* lines are clean already (on_console_line): reports are printable ASCII */
	if (report_parse(line, &r, &off) == 0) {
		if (verbose) {
			/* the checksum is for machines: people see the rest */
			snprintf(text, sizeof(text), "[%7.1fs] %.*s\n", t,
				 (int)(strlen(line + off) - strlen("supernested: ") - REPORT_CRC_LEN),
				 line + off + strlen("supernested: "));
			progress_line(PQ_STDOUT, text);
		} else if ((n = event_line_format(text, sizeof(text) - 1, &r, t)) > 0) {
			text[n] = '\n';
			text[n + 1] = '\0';
			progress_line(PQ_STDOUT, text);
		}
		return;
	}
	if (verbose) {
		snprintf(text, sizeof(text), "[%7.1fs]   | %s\n", t, line);
		progress_line(PQ_STDOUT, text);
	}
}

/* What the line callbacks need while level 1 runs. */
struct follow {
	struct run_tree *tree;	/* the run's chains (one, unless --width) */
	struct run_model *m;	/* the first of them */
	FILE *log;
	double t0;		/* the run's start, on now_s's clock */
	double t;		/* host time of the lines being read */
	int verbose;
	struct level1_end end;	/* how level 1's qemu ended: stderr, status, why */
};

/* A fact of level 1's end for console.log, so parse judges it as we do. */
static void log_host_line(struct follow *f, const char *line)
{
	fprintf(f->log, "%s\n", line);
	fflush(f->log);
}

static void on_stderr_line(void *ctx, char *line)
{
	struct follow *f = ctx;
	char logged[LINE_READER_MAX * 4 + 32];
	size_t n;

	/* kept as console.log keeps it: parse reads the same stderr back */
	level1_end_stderr_line(logged, sizeof(logged), line);
	log_host_line(f, logged);
	level1_end_add_stderr(&f->end, logged + strlen(LEVEL1_END_PREFIX "qemu-stderr "));
	{
		char shown[LINE_READER_MAX * 4 + 8];

		memcpy(shown, "qemu: ", 6);
		n = 6 + text_printable_str(shown + 6, sizeof(shown) - 7, line);
		shown[n++] = '\n';
		shown[n] = '\0';
		progress_line(PQ_STDERR, shown);
	}
}

/* A line of level 1's console.  Escape sequences and broken bytes from a
 * guest never reach the terminal or console.log: the line is made
 * printable first (a report is printable ASCII already, so it survives).
 * The model gets exactly the line console.log gets, stamp and all, so
 * `supernested parse console.log` reads what this run read. */
static void on_console_line(void *ctx, char *raw)
{
	static char line[CONSOLE_LOG_LINE_MAX + 1];
	struct follow *f = ctx;
	size_t stamp, n;

	f->t = now_s() - f->t0;	/* when it was read, not when the poll began */
	n = console_log_format(line, sizeof(line) - 1, raw, f->t, &stamp);

	line[n] = '\n';
	fwrite(line, 1, n + 1, f->log);
	fflush(f->log);
	line[n] = '\0';
	run_tree_line(f->tree, line, -1);
	show_progress(line + stamp, f->t, f->verbose);
}

/* SHA-256 of the image, to prove the run never wrote it.  0 or -errno. */
static int image_digest(const char *path, unsigned char *md, unsigned int *mdlen)
{
	static unsigned char buf[1 << 20];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "re");
	size_t n;
	int rc = 0;

	if (!f || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		rc = -(errno ? errno : EIO);
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	if (ferror(f) || !EVP_DigestFinal_ex(ctx, md, mdlen))
		rc = -EIO;
out:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* The files level 1 boots from, in the run directory while it runs. */
struct level1_files {
	char overlay[PATH_MAX], kernel[PATH_MAX], initrd[PATH_MAX], log[PATH_MAX];
	char monitor[108];	/* a unix socket's path; empty = none */
};

/* Level 1's disk is a qcow2 overlay over the image, never the image itself;
 * a direct boot also needs the kernel and initrd copied out of it. */
static int prepare_level1(const struct run_options *o, long long offset, const char *run_dir,
			  struct image_info *img, struct level1_files *p)
{
	char err[300], image_abs[PATH_MAX], path_info[PATH_MAX];

	snprintf(p->overlay, sizeof(p->overlay), "%s/level1-overlay.qcow2", run_dir);
	snprintf(p->kernel, sizeof(p->kernel), "%s/vmlinux", run_dir);
	snprintf(p->initrd, sizeof(p->initrd), "%s/initrd.img", run_dir);
	snprintf(p->log, sizeof(p->log), "%s/console.log", run_dir);
	/* a socket path has to fit sockaddr_un: no monitor in a deep directory */
	if (snprintf(p->monitor, sizeof(p->monitor), "%s/level1-monitor.sock", run_dir) >=
	    (int)sizeof(p->monitor))
		p->monitor[0] = '\0';
	if (!realpath(o->image, image_abs)) {
		fprintf(stderr, "supernested: image %s: %s\n", o->image, strerror(errno));
		return -1;
	}
	if (overlay_write(p->overlay, image_abs, err, sizeof(err)) < 0) {
		fprintf(stderr, "supernested: cannot create the overlay: %s\n", err);
		return -1;
	}
	/* the image's version (a mismatch is worth a warning) and the kernel its levels boot */
	snprintf(path_info, sizeof(path_info), "%s/image-release", run_dir);
	if (image_read_info(o->image, offset, path_info, img, err, sizeof(err)) < 0) {
		fprintf(stderr, "supernested: %s\n", err);
		return -1;
	}
	unlink(path_info);
	if (strcmp(img->version, SUPERNESTED_VERSION))
		fprintf(stderr, "supernested: warning: image %s is version %s, this tool %s (rebuild both: make all image)\n",
			o->image, img->version, SUPERNESTED_VERSION);
	if (!strcmp(o->boot, "direct") &&
	    (image_extract(o->image, offset, img->child_kernel, p->kernel, err, sizeof(err)) < 0 ||
	     image_extract(o->image, offset, "/boot/initrd.img", p->initrd, err, sizeof(err)) < 0)) {
		fprintf(stderr, "supernested: %s\n", err);
		return -1;
	}
	return 0;
}

/* What level 1 was booted from is not a result: only console.log and the
 * reports stay in the run directory. */
static void remove_level1_files(const struct level1_files *p)
{
	unlink(p->overlay);
	unlink(p->kernel);
	unlink(p->initrd);
	if (p->monitor[0])
		unlink(p->monitor);
}

/* Level 1's qemu command line.  Returns 0, or -1 with the message printed. */
static int level1_argv(const struct run_options *o, const struct host_accel *acc,
		       const struct run_info *info, const struct level1_files *p,
		       struct argv_builder *argv)
{
	static char append[2048], fwcfg[1024];
	static struct settings asked;	/* what --kernel-args say to level 1 */
	const struct run_profile *profile = run_profile_find(o->profile);
	const int tcg = !strcmp(acc->accel, "tcg");
	const char *inject_words, *tcg_words = profile && tcg ? profile->tcg_level1_words : "";
	struct qemu_config qc;
	struct node level1;

	size_t n = 0;

	settings_defaults(&asked);
	if (o->kernel_args)
		settings_parse(&asked, o->kernel_args);
	node_first(&level1, 1);
	inject_words = inject_kernel_words(&asked.inject, &level1);

	/* an explicit budget, or none: each level derives its own (budget.h) */
	if (text_appendf(fwcfg, sizeof(fwcfg), &n, "supernested.level=1 supernested.maxdepth=%d",
		    o->max_depth) < 0 ||
	    (o->level_timeout_s &&
	     text_appendf(fwcfg, sizeof(fwcfg), &n, " supernested.timeout=%d", o->level_timeout_s) < 0) ||
	    /* an explicit --timeout is the run's limit: passed down the chain,
	     * so the deepest level stops first and every level's failure and
	     * exit counts reach us before we would stop level 1 (a derived
	     * limit grows with the levels' extensions instead) */
	    (!o->run_timeout_derived && o->run_timeout_s > BUDGET_DEADLINE_MARGIN_S &&
	     text_appendf(fwcfg, sizeof(fwcfg), &n, " supernested.deadline=%lld",
			  (long long)time(NULL) + o->run_timeout_s - BUDGET_DEADLINE_MARGIN_S) < 0) ||
	    /* every level below gets --smp's CPUs, also when level 1 has fewer */
	    (o->smp > 1 && text_appendf(fwcfg, sizeof(fwcfg), &n, " supernested.smp=%d", o->smp) < 0) ||
	    /* with --width, every level starts that many children at once */
	    (o->width > 1 && text_appendf(fwcfg, sizeof(fwcfg), &n, " supernested.width=%d", o->width) < 0) ||
	    /* the profile's words first: --kernel-args may still override one */
	    (profile && profile->kernel_words[0] &&
	     text_appendf(fwcfg, sizeof(fwcfg), &n, " %s", profile->kernel_words) < 0) ||
	    (profile && profile->tcg_words[0] && tcg &&
	     text_appendf(fwcfg, sizeof(fwcfg), &n, " %s", profile->tcg_words) < 0) ||
	    (o->kernel_args && text_appendf(fwcfg, sizeof(fwcfg), &n, " %s", o->kernel_args) < 0) ||
	    /* no_timer_check: under TCG on a busy host the kernel's IO-APIC
	     * timer check fails spuriously and panics level 1 (seen here).
	     * TUNE_NO_TSC_DEADLINE under TCG, as for the levels below
	     * (settings.h): a level 1 here once went silent for good right
	     * after it was up; KVM hosts keep their TSC-deadline exercised.
	     * Then the profile's words for a TCG level 1 (profile.c). */
	    snprintf(append, sizeof(append), "console=ttyS0 quiet no_timer_check%s%s%s " LEVEL_BOOT_ARGS "%s%s %s",
		     tcg ? " " TUNE_NO_TSC_DEADLINE : "", tcg_words[0] ? " " : "", tcg_words,
		     inject_words[0] ? " " : "", inject_words, fwcfg) >= (int)sizeof(append)) {
		fprintf(stderr, "supernested: --kernel-args too long (at most about 900 characters)\n");
		return -1;
	}
	qc = (struct qemu_config){
		.qemu = QEMU_BIN, .accel = acc->accel, .cpu = acc->cpu,
		.mem_mb = info->mem_mb, .smp = info->smp,
		.boot = strcmp(o->boot, "bootloader") ? BOOT_DIRECT : BOOT_BOOTLOADER,
		.firmware = access(QBOOT_FIRMWARE, R_OK) == 0 ? QBOOT_FIRMWARE : NULL,
		.kernel = p->kernel, .initrd = p->initrd, .append = append,
		.disk = p->overlay, .disk_format = "qcow2", .disk_bus = "virtio",
		.report_fd = -1, .monitor_path = p->monitor[0] ? p->monitor : NULL,
	};
	/* through the bootloader the command line is the image's: settings by fw_cfg */
	if (qc.boot == BOOT_BOOTLOADER)
		qc.fw_cfg_settings = fwcfg;
	if (qemu_build_argv(&qc, argv) < 0) {
		fprintf(stderr, "supernested: qemu command line too long (--kernel-args?)\n");
		return -1;
	}
	return 0;
}

/* Where level 1's CPU was, into the evidence and console.log alike. */
static void keep_monitor_line(void *ctx, const char *line)
{
	struct follow *f = ctx;
	char tagged[200], logged[300];

	snprintf(tagged, sizeof(tagged), "level 1 %s", line);
	level1_end_evidence_line(logged, sizeof(logged), tagged);
	log_host_line(f, logged);
	run_tree_level1_evidence(f->tree, logged + strlen(LEVEL1_END_PREFIX "evidence "));
}

/* Level 1's time to come up: the floor, or --level-timeout when that is
 * longer (level 1 under TCG is slower than any level under KVM). */
static int level1_up_within(const struct run_options *o)
{
	return o->level_timeout_s > budget_floor(1) ? o->level_timeout_s : (int)budget_floor(1);
}

/* Level 1 is the host's child: it gets the budgets every launcher gives its
 * own child (budget.h), on the host's clock, which never lags the way a
 * deep level's does. */
static double level1_budget_left(const struct run_options *o, const struct run_tree *tree, double t)
{
	struct budget b = {
		.up_within_s = level1_up_within(o),
		.explicit_s = o->level_timeout_s,
		.levels_below = o->max_depth - 1,
		.child_level = 1,
	};
	struct budget_clock c;

	run_tree_level1_clock(tree, o->level_timeout_s, &c);	/* any branch's activity is level 1's */
	return budget_left(&b, &c, t);
}

/* The run's time limit: --timeout, or the derived default with whatever
 * time the levels gave children still booting and working. */
static int run_limit_s(const struct run_options *o, const struct run_tree *t)
{
	double extended = 0;	/* branches run side by side: the longest any was given */

	for (int i = 0; i < t->nleaves; i++)
		if (t->chain[i]->budget_extended_s > extended)
			extended = t->chain[i]->budget_extended_s;
	return o->run_timeout_s + (o->run_timeout_derived ? (int)extended : 0);
}

/* What ran out when level 1's budget did, in words for the report. */
static const char *level1_silence(const struct follow *f, const struct run_options *o)
{
	static char why[200];
	const struct run_model *m = f->m;
	double last = m->last_s;

	for (int i = 1; i < f->tree->nleaves; i++)
		if (f->tree->chain[i]->last_s > last)
			last = f->tree->chain[i]->last_s;
	if (run_tree_summary_seen(f->tree))
		snprintf(why, sizeof(why), "level 1's qemu still running %.0f s after its summary",
			 f->t - last);
	else if (!m->level[1].up)
		snprintf(why, sizeof(why), "level 1 not up %.0f s after it started (budget %d s, host clock)",
			 f->t, level1_up_within(o));
	else
		snprintf(why, sizeof(why),
			 "nothing from level 1 for %.0f s, more than the budgets of the levels below allow (host clock)",
			 f->t - last);
	return why;
}

/* Follow level 1 until it ends, its budget or the run's time limit runs
 * out, or a stop signal.  When the host stops it, where level 1's CPU is
 * goes into the evidence first: a level 1 that stopped answering at all
 * (its vCPU stuck in a nested guest) looks like that and like nothing else. */
static enum level1_stop follow_level1(const struct run_options *o, struct supervisor *sv,
				      double t0, struct follow *f, const char *monitor)
{
	enum level1_stop why = L1_RAN_OUT;

	while (supervisor_poll(sv, 250)) {
		f->t = now_s() - t0;
		if (sv->exited)
			continue;
		if (stop_signal) {
			why = L1_STOP_SIGNAL;
			fprintf(stderr, "supernested: %s: stopping level 1, keeping the results\n",
				strsignal(stop_signal));
		} else if (f->t > run_limit_s(o, f->tree)) {
			why = L1_RUN_LIMIT;
			fprintf(stderr, "supernested: run time limit of %d s reached: stopping level 1\n",
				run_limit_s(o, f->tree));
		} else if (level1_budget_left(o, f->tree, f->t) <= 0) {
			why = L1_BUDGET;
			fprintf(stderr, "supernested: %s: stopping level 1\n", level1_silence(f, o));
		} else {
			continue;
		}
		if (why != L1_STOP_SIGNAL && monitor[0])
			monitor_evidence(monitor, keep_monitor_line, f);
		if (why != L1_STOP_SIGNAL)
			bochs_interrupt(sv->pid);	/* under Bochs: where its CPU is */
		supervisor_stop(sv);
	}
	f->t = now_s() - t0;
	supervisor_finish(sv);
	return why;
}

/* How level 1 ended, in console.log (parse judges from it as we do here),
 * and judged when it ended without its summary. */
static void judge_level1(const struct run_options *o, struct run_tree *tree, struct follow *f,
			 int status, enum level1_stop why)
{
	struct level1_end *e = &f->end;
	char line[sizeof(e->detail) + 128];

	e->status = status;
	e->why = why;
	if (why == L1_STOP_SIGNAL)
		snprintf(e->detail, sizeof(e->detail), "run interrupted (%s) while this level ran",
			 strsignal(stop_signal));
	else if (why == L1_RUN_LIMIT)
		snprintf(e->detail, sizeof(e->detail),
			 "run time limit of %d s reached while this level ran", run_limit_s(o, tree));
	else if (why == L1_BUDGET)
		snprintf(e->detail, sizeof(e->detail), "%s", level1_silence(f, o));
	e->seen = 1;
	level1_end_end_line(line, sizeof(line), e);
	log_host_line(f, line);
	/* level 1's end is every branch's end that had not ended yet */
	for (int i = 0; i < tree->nleaves; i++)
		if (!tree->chain[i]->summary_seen)
			level1_end_judge(tree->chain[i], e);
	if (!run_tree_summary_seen(tree) && why == L1_RAN_OUT && !tree->chain[0]->level[1].up)
		fprintf(stderr, "supernested: level 1 did not come up: %s\n", tree->chain[0]->level[1].detail);
}

int run_chain(const struct run_options *o, struct run_tree *tree, struct run_info *info,
	      char *run_dir, size_t run_dir_len)
{
	static struct follow follow;
	static char started[32];
	static struct host_accel acc;
	static struct utsname uts;
	static const struct supervisor_stream streams[] = {
		{ 1, on_console_line }, { 2, on_stderr_line },
	};
	static const struct supervisor_stream bochs_streams[] = {	/* com1 on fd 3 */
		{ 1, bochs_output_line }, { 2, bochs_output_line }, { BOCHS_COM1_FD, on_console_line },
	};
	static struct bochs_level1 bochs;
	int is_bochs;
	static struct image_info img;
	unsigned char md_before[EVP_MAX_MD_SIZE], md_after[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, mdlen2 = 0;
	char err[300];
	struct level1_files files;
	struct argv_builder argv;
	struct supervisor sv;
	long long offset;
	enum level1_stop why;
	double t0;
	int rc;

	struct run_model *m;

	if (run_tree_init(tree, o->width > 1 ? o->width : 1, o->max_depth) < 0) {
		fprintf(stderr, "supernested: --width %d to depth %d: too many branches, or out of memory\n",
			o->width, o->max_depth);
		return -1;
	}
	m = tree->chain[0];
	if (image_open_check(o->image, &offset, err, sizeof(err)) < 0) {
		fprintf(stderr, "supernested: %s\n", err);
		return -1;
	}
	if (pick_accel(o->accel, o->cpu_model, &acc) < 0) {
		fprintf(stderr, "supernested: %s\n", acc.why);
		return -1;
	}
	if (acc.warning[0])
		fprintf(stderr, "supernested: warning: %s\n", acc.warning);
	if (make_run_dir(o, run_dir, run_dir_len, started, sizeof(started)) < 0)
		return -1;
	if (image_digest(o->image, md_before, &mdlen) < 0)
		mdlen = 0;
	if (prepare_level1(o, offset, run_dir, &img, &files) < 0)
		goto err_files;

	uname(&uts);
	*info = (struct run_info){
		.image = o->image, .image_version = img.version, .image_kernel = img.kernel_release,
		.accel = acc.accel, .cpu = acc.cpu,
		.host_cpu = acc.host.model, .host_kernel = uts.release, .boot = o->boot,
		.mem_mb = o->mem_mb ? o->mem_mb : default_mem_mb(o->max_depth, o->width),
		.smp = level1_cpus(o, acc.accel),
		.max_depth = o->max_depth, .expect_depth = o->expect_depth,
		.level_timeout_s = o->level_timeout_s, .run_timeout_s = o->run_timeout_s,
		.started = started, .source = "run", .image_unchanged = -1,
		.profile = o->profile, .width = o->width > 1 ? o->width : 1,
	};
	is_bochs = !strcmp(acc.accel, "bochs");
	if (is_bochs)
		files.monitor[0] = '\0';	/* no qemu monitor: Bochs's debugger answers */
	if (is_bochs ? bochs_level1_prepare(o, run_dir, &info->mem_mb, &bochs) < 0
		     : level1_argv(o, &acc, info, &files, &argv) < 0)
		goto err_files;

	follow = (struct follow){ .tree = tree, .m = m, .verbose = o->verbose };
	follow.log = fopen(files.log, "we");
	if (!follow.log) {
		fprintf(stderr, "supernested: %s: %s\n", files.log, strerror(errno));
		goto err_files;
	}
	printf("supernested: level 1 on %s (%s), %d MiB, %d CPU, max depth %d, profile %s; results in %s\n",
	       acc.accel, acc.why, info->mem_mb, info->smp, o->max_depth, o->profile, run_dir);
	if (info->smp < o->smp)
		printf("supernested: level 1 runs 1 CPU under %s (%s); levels 2 and deeper get %d\n",
		       is_bochs ? "Bochs" : "TCG", why_one_cpu(acc.accel), o->smp);
	tcg_profile_note(o, acc.accel);
	fflush(stdout);
	{	/* before the fork: a Ctrl-C from now on stops qemu and keeps results */
		struct sigaction sa = { .sa_handler = on_stop_signal };

		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	t0 = follow.t0 = now_s();
	rc = is_bochs ? supervisor_start(&sv, bochs.argv, bochs_streams, 3, &follow)
		      : supervisor_start(&sv, argv.argv, streams, 2, &follow);
	if (rc < 0) {
		fprintf(stderr, "supernested: starting %s: %s\n", is_bochs ? BOCHS_BIN : argv.argv[0],
			strerror(-rc));
		fclose(follow.log);
		goto err_files;
	}
	why = follow_level1(o, &sv, t0, &follow, files.monitor);
	info->duration_s = now_s() - t0;
	remove_level1_files(&files);
	if (is_bochs && (why != L1_RAN_OUT || !run_tree_summary_seen(tree)))
		bochs_evidence(keep_monitor_line, &follow);	/* where it stopped, or why Bochs quit */
	bochs_level1_cleanup(&bochs);

	judge_level1(o, tree, &follow, sv.status, why);
	fclose(follow.log);
	run_tree_finish(tree);
	if (mdlen && image_digest(o->image, md_after, &mdlen2) == 0)
		info->image_unchanged = mdlen == mdlen2 && !memcmp(md_before, md_after, mdlen);
	return 0;

err_files:
	remove_level1_files(&files);
	bochs_level1_cleanup(&bochs);
	return -1;
}
