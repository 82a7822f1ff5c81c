/* main.c - supernested host tool: run the nested chain from the host, or
 * read a serial log captured by hand, and report the depth reached. */
#include "budget.h"
#include "cmd_model.h"
#include "compare.h"
#include "console_log.h"
#include "events.h"
#include "history.h"
#include "junit.h"
#include "kcidb.h"
#include "line_reader.h"
#include "kernel_check.h"
#include "level1_end.h"
#include "output.h"
#include "plot.h"
#include "progress.h"
#include "run.h"
#include "settings.h"
#include "tap_out.h"
#include "verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The image an installed tool finds without --image: the one installed
 * beside it (make install, the package), else one in the current directory
 * (a source tree after make image). */
#define LOCAL_IMAGE "supernested.img"
#ifdef SUPERNESTED_DATADIR
#define INSTALLED_IMAGE SUPERNESTED_DATADIR "/supernested.img"
#define DEFAULT_IMAGE_HELP INSTALLED_IMAGE ",\n                        else ./" LOCAL_IMAGE
#else
#define DEFAULT_IMAGE_HELP LOCAL_IMAGE
#endif

static const char *default_image(void)
{
#ifdef SUPERNESTED_DATADIR
	if (access(INSTALLED_IMAGE, R_OK) == 0)
		return INSTALLED_IMAGE;
#endif
	return LOCAL_IMAGE;
}

enum exit_status {	/* a run's: verdict.h */
	EXIT_DONE = VERDICT_PASS,	/* completed, expected depth met, nothing within it failed */
	EXIT_TOO_SHALLOW = VERDICT_FAIL,	/* a level failed, too shallow, or a regression */
	EXIT_USAGE = VERDICT_USAGE,	/* bad command line */
	EXIT_INFRA = VERDICT_INFRA,	/* could not run or finish: image, qemu, time limit */
};

static const char usage[] =
"usage: supernested run   [options]        boot the image and follow the recursion\n"
"       supernested parse [options] LOG    the same report from a saved serial log\n"
"       supernested compare [--junit FILE] [--pin REPORT] [--window N] BASELINE... NEW\n"
"                                          exit 1 when NEW regressed against the good\n"
"                                          runs among BASELINE (report.json files, run\n"
"                                          or history directories) or the pin\n"
"       supernested history [--csv FILE] [--svg FILE] RESULTS_DIR...\n"
"                                          runs over time: table, CSV, plot\n"
"       supernested model [--l1-exit-us US] [--hw] [--hw-exit-us US] [--budget SECONDS]\n"
"                   REPORT|RUN_DIR|LOG     the exit-cost model of a run's boots next to\n"
"                                          what it measured; --hw: depth and boot times\n"
"                                          on a host whose level 1 has hardware KVM\n"
"       supernested kernel-check [--kernel BZIMAGE] [--vmlinux FILE]\n"
"                   [--config .config --fragment image/kernel.config]\n"
"                                          what the image build learns about a kernel\n"
"\n"
"Images around any kernel: make image KERNEL=BUILD_TREE_OR_BZIMAGE\n"
"  MODULES=DIR IMAGE=test.img (DIR: modules_install's INSTALL_MOD_PATH or a\n"
"  /lib/modules/<release>); the build checks the kernel's config first.\n"
"\n"
"How deep can KVM nest on this host and kernel?  'run' boots supernested.img as\n"
"level 1; each level starts the same image one level deeper under nested KVM and\n"
"reports up the chain of serial consoles.  At the end a table shows every level:\n"
"when it came up (host clock), how long its boot took (measured by its parent),\n"
"its memory, and how the chain ended.  Results: results/run-<time>/report.json\n"
"and console.log.\n"
"\n"
"options:\n"
"  --image FILE          disk image (default: " DEFAULT_IMAGE_HELP ")\n"
"  --max-depth N         deepest level to start (default 4)\n"
"  --expect-depth N      exit 1 unless N levels come up and none of them fails\n"
"                        (for CI; default: --max-depth; deeper: exploration)\n"
"  --timeout SECONDS     limit for the whole run (default 1800, or every level's\n"
"                        budget floor added up when more: 3180 at depth 5; the\n"
"                        default grows with the time levels still booting get)\n"
"  --level-timeout SECONDS  budget for each level to come up (default: each level\n"
"                        derives it from its own boot time, 120 s to 1 h; a\n"
"                        level still booting and working gets up to 4 times it;\n"
"                        level 1 gets 120 s, or this when longer, on the\n"
"                        host's clock, and is stopped when silent past the\n"
"                        budgets the levels below announced)\n"
"  --mem MIB             memory of level 1, like 8192 or 8G (default: what the\n"
"                        levels below need by the launcher's policy, >= 1 GiB)\n"
"  --smp N               CPUs of level 1 (default 1)\n"
"  --accel auto|kvm|tcg|bochs  how the host runs level 1 (default auto: KVM only\n"
"                        when /dev/kvm works and the CPU shows vmx/svm, else\n"
"                        TCG; bochs: the Bochs emulator, Intel VMX by default,\n"
"                        booted through the image's bootloader, at most 2 GiB)\n"
"  --cpu-model MODEL     Bochs's CPU model (default corei7_skylake_x; ryzen for\n"
"                        AMD SVM, p4_prescott_celeron_336 for none)\n"
"  --boot direct|bootloader  level 1 boots its kernel directly (fast) or through\n"
"                        the image's BIOS and bootloader as a user would\n"
"  --kernel-args WORDS   extra kernel command line words for level 1\n"
"                        (e.g. 'supernested.boot=bootloader')\n"
"  --out DIR             results directory (default results/run-<time>)\n"
"  --json FILE           (parse) also write report.json to FILE\n"
"  --passes N            run the whole chain N times from a cold start; the\n"
"                        table and report.json get mean \u00b1 sd per level\n"
"  --junit FILE          JUnit XML: a testsuite per pass, a testcase per level\n"
"  --tap                 TAP on stdout, a test per level (the table goes to stderr)\n"
"  --kcidb FILE          KernelCI KCIDB I/O JSON (v5), a test per level\n"
"  --baseline FILE       compare with an earlier report.json (or a history\n"
"                        directory) as 'compare' does; exit 1 on a regression\n"
"  --timeline            show each level's boot phases (also with -v)\n"
"  -v, --verbose         show every console line, not just the events, each\n"
"                        level's boot phases and its boot exits by reason\n"
"  -h, --help            this text\n"
"  --version             the tool's version (an image's version: its level 1\n"
"                        'up' line, report.json, and a warning when they differ)\n"
"\n"
"compare: a regression is a lower depth, a level's outcome worse (ok or\n"
"max-depth before, a failure now, or a new failure class), or its boot time\n"
"above the reference's mean + max(20 %, 3 sd; sd: the larger of both runs');\n"
"the reference is the good runs\n"
"only (completed, depth met, nothing failed), the newest --window (14) pooled\n"
"over all their passes, and the pin (--pin, default the oldest of them)\n"
"\n"
"exit status: 0 the expected depth (--expect-depth, else --max-depth) reached\n"
"and no level within it failed; 1 a level within it failed (also after coming\n"
"up), too few levels came up, or a regression; 2 usage error; 3 no verdict:\n"
"infrastructure (image, qemu, time limit, the run did not finish, a launcher\n"
"error, unreadable report, no good baseline).  The rules: docs/verdict.md\n";

/* What to make of the results, whichever command produced them. */
struct output_options {
	const char *json, *junit, *kcidb, *baseline, *svg;
	int tap, timeline, exits, passes, max_depth_given;
};

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "supernested: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try: supernested --help)\n");
	return EXIT_USAGE;
}

static int parse_num(const char *text, long min, long max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* Settings the tool owns: a word in --kernel-args must not override them
 * behind the report's back. */
static const struct {
	const char *word, *option;
} tool_settings[] = {
	{ "supernested.level=", "level 1 is always level 1" },
	{ "supernested.maxdepth=", "use --max-depth" },
	{ "supernested.timeout=", "use --level-timeout" },
	{ "supernested.console=", "the tool reads level 1's serial console" },
};

static int check_kernel_args(const char *args)
{
	for (const char *p = args; p && *p; p += strcspn(p, " \t")) {
		p += strspn(p, " \t");
		for (size_t i = 0; i < sizeof(tool_settings) / sizeof(tool_settings[0]); i++)
			if (!strncmp(p, tool_settings[i].word, strlen(tool_settings[i].word)))
				return bad_usage("--kernel-args: %.*s is the tool's own setting (%s)",
						 (int)strlen(tool_settings[i].word) - 1, p,
						 tool_settings[i].option);
	}
	return 0;
}

/* A saved console.log: each line as the live run fed it to its model
 * (console_log.h), and what the host saw of level 1's end (level1_end.h),
 * so parse gives the live run's verdict. */
struct log_reading {
	struct run_model *m;
	struct level1_end end;
};

static void log_line(void *ctx, const char *line)
{
	struct log_reading *lr = ctx;

	if (!level1_end_read_line(&lr->end, lr->m, line))
		events_line(lr->m, line, -1);
}

/* The rules are verdict.c's alone: docs/verdict.md. */
static int verdict_exit(const struct run_model *m, int expect_depth)
{
	struct run_verdict v;

	verdict_run(m, expect_depth, &v);
	return (int)v.status;
}

/* compare, and run/parse --baseline: the good runs of @bases pooled (a
 * failed run is never a reference) and the pin; exit 1 on a regression,
 * 3 when there is nothing good to compare with or a report is unreadable. */
static int compare_files(const char *const *bases, int nbases, const char *pin, int window,
			 const char *new_path, const char *junit, FILE *out)
{
	struct compare_request q = { .bases = bases, .nbases = nbases, .pin = pin,
				     .window = window, .new_path = new_path, .junit = junit };
	char err[800];
	int rc = compare_references(&q, out, err, sizeof(err));

	if (err[0])
		fprintf(stderr, "supernested: %s\n", err);
	return rc == COMPARE_OK ? EXIT_DONE : rc == COMPARE_REGRESSION ? EXIT_TOO_SHALLOW : EXIT_INFRA;
}

/* A failure proven on the kernel outweighs a pass that had no verdict. */
static int worse(int a, int b)
{
	return verdict_status_rank(a) > verdict_status_rank(b) ? a : b;
}

/* Everything after the chain ran: tables, report.json, CI formats,
 * baseline.  Results are written before any verdict can stop us. */
static int finish(struct run_results *r, const struct output_options *oo, const char *json,
		  int expect_depth)
{
	FILE *out = oo->tap ? stderr : stdout;	/* stdout is the TAP stream */
	int rc = EXIT_DONE;

	for (int p = 0; p < r->npasses; p++) {
		int v = verdict_exit(r->pass[p].m, expect_depth);

		r->pass[p].info.exit_status = v;
		rc = worse(rc, v);
	}
	for (int p = 0; p < r->npasses; p++) {
		if (r->npasses > 1)
			fprintf(out, "pass %d:\n", p + 1);
		print_table(out, r->pass[p].m);
		if (oo->timeline)
			print_timeline(out, &r->pass[p]);
		if (oo->exits)
			print_exit_profile(out, r->pass[p].m);
		print_verdict(out, r->pass[p].m, r->pass[p].info.expect_depth);
	}
	if (r->npasses > 1)
		print_stats_table(out, r);
	if (json) {
		if (write_report_json(json, r) < 0) {
			fprintf(stderr, "supernested: cannot write %s: %s\n", json, strerror(errno));
			rc = EXIT_INFRA;
		} else {
			fprintf(out, "report: %s\n", json);
		}
	}
	if (oo->svg && plot_timeline(r, oo->svg) == 0)
		fprintf(out, "timeline: %s\n", oo->svg);
	if (oo->junit && write_results_atomic(oo->junit, write_run_junit, r) < 0) {
		fprintf(stderr, "supernested: cannot write JUnit %s: %s\n", oo->junit, strerror(errno));
		rc = EXIT_INFRA;
	}
	if (oo->kcidb && write_results_atomic(oo->kcidb, write_run_kcidb, r) < 0) {
		fprintf(stderr, "supernested: cannot write KCIDB %s: %s\n", oo->kcidb, strerror(errno));
		rc = EXIT_INFRA;
	}
	if (oo->tap) {
		print_run_tap(stdout, r);
		fflush(stdout);
	}
	if (oo->baseline) {
		if (!json) {
			fprintf(stderr, "supernested: --baseline needs a report.json (parse: --json FILE)\n");
			return EXIT_USAGE;
		}
		fprintf(out, "against baseline %s:\n", oo->baseline);
		rc = worse(rc, compare_files(&oo->baseline, 1, NULL, 0, json, NULL, out));
	}
	return rc;
}

static int cmd_parse(const char *logpath, const struct output_options *oo, int max_depth,
		     int expect_depth)
{
	static struct run_model m;
	static struct log_reading reading;
	struct pass_result pass = { .m = &m, .info = { .source = logpath, .image_unchanged = -1,
						       .expect_depth = expect_depth,
						       .duration_s = -1 /* a log does not say */ } };
	struct run_results r = { .pass = &pass, .npasses = 1, .max_depth = max_depth };
	int fd = open(logpath, O_RDONLY | O_CLOEXEC), rc, started;

	if (fd < 0) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", logpath, strerror(errno));
		return EXIT_INFRA;
	}
	events_init(&m);
	/* as run does: a log whose level 1 does not say its maxdepth keeps
	 * its deeper levels when --max-depth says it */
	if (max_depth)
		events_expect_maxdepth(&m, max_depth);
	reading.m = &m;
	level1_end_init(&reading.end);
	if (console_log_read(fd, log_line, &reading) < 0) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", logpath, strerror(errno));
		close(fd);
		return EXIT_INFRA;
	}
	close(fd);
	if (reading.end.seen && !m.summary_seen)
		level1_end_judge(&m, &reading.end);
	events_finish(&m);
	if (m.lines == 0 || m.max_level == 0) {
		fprintf(stderr, "supernested: %s holds no supernested report lines\n", logpath);
		return EXIT_INFRA;
	}
	pass.info.image_version = m.level[1].version[0] ? m.level[1].version : NULL;
	pass.info.image_kernel = m.level[1].kernel[0] ? m.level[1].kernel : NULL;
	/* as run: `parse ... | head` still writes --json and exits with the verdict */
	started = progress_begin() == 0;
	rc = finish(&r, oo, oo->json, expect_depth);
	if (started)
		progress_end();
	return rc;
}

static int run_passes(const struct run_options *opts, const struct output_options *oo)
{
	struct run_options o = *opts;
	struct run_results r = { .max_depth = o.max_depth };
	struct output_options out = *oo;
	char top[512], pass_dir[600], dir[600], json[700], svg[700];
	const char *base;
	int rc;

	r.pass = calloc((size_t)oo->passes, sizeof(*r.pass));
	if (!r.pass) {
		fprintf(stderr, "supernested: out of memory\n");
		return EXIT_INFRA;
	}
	if (oo->passes > 1) {	/* one directory, a subdirectory per pass */
		if (o.out_dir) {
			snprintf(top, sizeof(top), "%s", o.out_dir);
		} else {
			time_t t = time(NULL);
			struct tm tm;

			gmtime_r(&t, &tm);
			strftime(top, sizeof(top), "results/run-%Y%m%d-%H%M%S", &tm);
			mkdir("results", 0755);
		}
		if (mkdir(top, 0755) < 0 && errno != EEXIST) {
			fprintf(stderr, "supernested: cannot create %s: %s\n", top, strerror(errno));
			return EXIT_INFRA;
		}
	}
	for (int p = 0; p < oo->passes; p++) {
		struct pass_result *pr = &r.pass[p];

		pr->m = calloc(1, sizeof(*pr->m));
		if (!pr->m) {
			fprintf(stderr, "supernested: out of memory\n");
			return EXIT_INFRA;
		}
		if (oo->passes > 1) {
			if (snprintf(pass_dir, sizeof(pass_dir), "%s/pass-%d", top, p + 1) >=
			    (int)sizeof(pass_dir)) {
				fprintf(stderr, "supernested: --out %s: path too long\n", top);
				return EXIT_INFRA;
			}
			o.out_dir = pass_dir;
			printf("supernested: pass %d of %d\n", p + 1, oo->passes);
		}
		if (run_chain(&o, pr->m, &pr->info, dir, sizeof(dir)) < 0)
			return EXIT_INFRA;
		/* run_chain's strings outlive it except the start time */
		snprintf(pr->started, sizeof(pr->started), "%s", pr->info.started ? pr->info.started : "");
		pr->info.started = pr->started;
		pr->info.kernel_args = o.kernel_args;
		r.npasses = p + 1;
		if (oo->passes > 1) {	/* each pass is a run of its own too */
			struct run_results one = { .pass = pr, .npasses = 1, .max_depth = o.max_depth };

			pr->info.exit_status = verdict_exit(pr->m, o.expect_depth);
			snprintf(json, sizeof(json), "%s/report.json", dir);
			if (write_report_json(json, &one) < 0)
				fprintf(stderr, "supernested: cannot write %s: %s\n", json, strerror(errno));
		}
		if (!pr->m->summary_seen && p + 1 < oo->passes) {
			fprintf(stderr, "supernested: pass %d did not finish: no further passes\n", p + 1);
			break;
		}
	}
	base = oo->passes > 1 ? top : dir;
	printf("\n");
	snprintf(json, sizeof(json), "%s/report.json", base);
	snprintf(svg, sizeof(svg), "%s/timeline.svg", base);
	out.svg = svg;
	rc = finish(&r, &out, json, o.expect_depth);
	for (int p = 0; p < r.npasses; p++)
		free(r.pass[p].m);
	free(r.pass);
	return rc;
}

/* The run's output goes through a writer thread: the drain of level 1's
 * console never waits on our reader, and a reader gone (| head) costs the
 * rest of the output, not the run: its results are written and its exit
 * status is the run's. */
static int cmd_run(const struct run_options *opts, const struct output_options *oo)
{
	int rc, started = progress_begin() == 0;

	rc = run_passes(opts, oo);
	if (started)
		progress_end();
	return rc;
}

static int cmd_compare(int argc, char **argv)
{
	const char *junit = NULL, *pin = NULL;
	int i = 2, window = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--junit") && i + 1 < argc)
			junit = argv[++i];
		else if (!strcmp(argv[i], "--pin") && i + 1 < argc)
			pin = argv[++i];
		else if (!strcmp(argv[i], "--window") && i + 1 < argc) {
			if (parse_num(argv[++i], 1, 10000, &window) < 0)
				return bad_usage("--window wants a count of good runs, not '%s'", argv[i]);
		} else
			return bad_usage("compare: unknown option '%s' (--junit FILE, --pin REPORT, "
					 "--window N)", argv[i]);
	}
	if (argc - i < 2)
		return bad_usage("compare wants two reports: BASELINE... NEW");
	return compare_files((const char *const *)argv + i, argc - i - 1, pin, window,
			     argv[argc - 1], junit, stdout);
}

static int cmd_history(int argc, char **argv)
{
	const char *csv = NULL, *svg = NULL;
	struct report_figures *runs;
	char err[700];
	int i = 2, n = 0, rc = EXIT_DONE;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--csv") && i + 1 < argc)
			csv = argv[++i];
		else if (!strcmp(argv[i], "--svg") && i + 1 < argc)
			svg = argv[++i];
		else
			return bad_usage("history: unknown option '%s' (--csv FILE, --svg FILE)", argv[i]);
	}
	if (i >= argc)
		return bad_usage("history wants at least one results directory or report.json");
	if (svg && !plot_path_ok(svg))
		return bad_usage("--svg: gnuplot cannot write to a path with a quote or newline");
	runs = calloc((size_t)(argc - i), sizeof(*runs));
	if (!runs)
		return EXIT_INFRA;
	for (; i < argc; i++) {
		/* one unreadable run costs its row, never the others */
		if (report_figures_load(argv[i], &runs[n], err, sizeof(err)) < 0) {
			fprintf(stderr, "supernested: skipped: %s\n", err);
			rc = EXIT_INFRA;
			continue;
		}
		n++;
	}
	if (n == 0) {
		free(runs);
		return EXIT_INFRA;
	}
	history_sort(runs, n);
	print_history(stdout, runs, n);
	if (csv) {
		FILE *f = fopen(csv, "we");

		if (!f) {
			fprintf(stderr, "supernested: cannot write %s: %s\n", csv, strerror(errno));
			rc = EXIT_INFRA;
		} else {
			write_history_csv(f, runs, n);
			if (fclose(f) != 0) {
				fprintf(stderr, "supernested: cannot write %s: %s\n", csv, strerror(errno));
				rc = EXIT_INFRA;
			}
		}
	}
	if (svg) {
		char *text = NULL, *script;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		int deepest = 0;

		if (mem) {
			write_history_csv(mem, runs, n);
			fclose(mem);
		}
		for (int k = 0; k < n; k++)
			deepest = runs[k].deepest > deepest ? runs[k].deepest : deepest;
		script = text ? history_script(text, n, history_levels(runs, n), deepest, svg) : NULL;
		if (!script) {
			rc = EXIT_INFRA;
		} else {
			int g = gnuplot_run(script, err, sizeof(err));

			if (g == -ENOENT)
				printf("no plot: gnuplot is not installed (apt-get install gnuplot-nox)\n");
			else if (g < 0)
				fprintf(stderr, "supernested: plot %s failed: %s\n", svg,
					err[0] ? err : strerror(-g)), rc = EXIT_INFRA;
			else
				printf("plot: %s\n", svg);
		}
		free(script);
		free(text);
	}
	free(runs);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "image", required_argument, NULL, 'i' },
		{ "max-depth", required_argument, NULL, 'd' },
		{ "expect-depth", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "level-timeout", required_argument, NULL, 'l' },
		{ "mem", required_argument, NULL, 'm' },
		{ "smp", required_argument, NULL, 's' },
		{ "accel", required_argument, NULL, 'a' },
		{ "cpu-model", required_argument, NULL, 'c' },
		{ "boot", required_argument, NULL, 'b' },
		{ "kernel-args", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "tap", no_argument, NULL, 'T' },
		{ "kcidb", required_argument, NULL, 'K' },
		{ "passes", required_argument, NULL, 'p' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "timeline", no_argument, NULL, 'L' },
		{ "kernel", required_argument, NULL, 'Z' },
		{ "vmlinux", required_argument, NULL, 'V' },
		{ "config", required_argument, NULL, 'C' },
		{ "fragment", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct run_options o = {
		.image = default_image(), .accel = "auto", .boot = "direct",
		.max_depth = 4, .run_timeout_s = 0,	/* 0: budget_run_default */
	};
	struct output_options oo = { .passes = 1 };
	struct kernel_check_options kc = { 0 };
	const char *cmd;
	long mb;
	int c;

	if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
		printf("supernested %s\n", SUPERNESTED_VERSION);
		return EXIT_DONE;
	}
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc, argv);
	if (!strcmp(cmd, "history"))
		return cmd_history(argc, argv);
	if (!strcmp(cmd, "model"))
		return cmd_model(argc, argv);
	if (strcmp(cmd, "run") && strcmp(cmd, "parse") && strcmp(cmd, "kernel-check"))
		return bad_usage("unknown command '%s': use run, parse, compare, history, model or kernel-check", cmd);
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': o.image = optarg; break;
		case 'd':
			if (parse_num(optarg, 1, 64, &o.max_depth) < 0)
				return bad_usage("--max-depth wants a level 1..64, not '%s'", optarg);
			oo.max_depth_given = 1;
			break;
		case 'e':
			if (parse_num(optarg, 1, 64, &o.expect_depth) < 0)
				return bad_usage("--expect-depth wants a level 1..64, not '%s'", optarg);
			break;
		case 't':
			if (parse_num(optarg, 10, 7 * 86400, &o.run_timeout_s) < 0)
				return bad_usage("--timeout wants seconds (10 or more), not '%s'", optarg);
			break;
		case 'l':
			if (parse_num(optarg, 5, 86400, &o.level_timeout_s) < 0)
				return bad_usage("--level-timeout wants seconds (5 or more), not '%s'", optarg);
			break;
		case 'm':
			if (parse_size_mb(optarg, &mb) < 0 || mb < 64 || mb > (1L << 22))
				return bad_usage("--mem wants a size like 4096, 4096M or 4G (64M or more), not '%s'", optarg);
			o.mem_mb = (int)mb;
			break;
		case 's':
			if (parse_num(optarg, 1, 256, &o.smp) < 0)
				return bad_usage("--smp wants a CPU count 1..256, not '%s'", optarg);
			break;
		case 'a':
			if (strcmp(optarg, "auto") && strcmp(optarg, "kvm") && strcmp(optarg, "tcg") &&
			    strcmp(optarg, "bochs"))
				return bad_usage("--accel wants auto, kvm, tcg or bochs, not '%s'", optarg);
			o.accel = optarg;
			break;
		case 'c': o.cpu_model = optarg; break;
		case 'b':
			if (strcmp(optarg, "direct") && strcmp(optarg, "bootloader"))
				return bad_usage("--boot wants direct or bootloader, not '%s'", optarg);
			o.boot = optarg;
			break;
		case 'k': o.kernel_args = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'j': oo.json = optarg; break;
		case 'J': oo.junit = optarg; break;
		case 'T': oo.tap = 1; break;
		case 'K': oo.kcidb = optarg; break;
		case 'B': oo.baseline = optarg; break;
		case 'L': oo.timeline = 1; break;
		case 'p':
			if (parse_num(optarg, 1, 100, &oo.passes) < 0)
				return bad_usage("--passes wants a count 1..100, not '%s'", optarg);
			break;
		case 'Z': kc.bzimage = optarg; break;
		case 'V': kc.vmlinux = optarg; break;
		case 'C': kc.config = optarg; break;
		case 'F': kc.fragment = optarg; break;
		case 'v': o.verbose = 1; oo.timeline = oo.exits = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_DONE;
		case ':': return bad_usage("option %s needs a value", argv[optind - 1]);
		default: return bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!strcmp(cmd, "kernel-check")) {
		if (optind != argc || (!kc.bzimage && !kc.vmlinux && !kc.config))
			return bad_usage("kernel-check wants --kernel, --vmlinux or --config");
		if (!kc.config != !kc.fragment)
			return bad_usage("--config and --fragment go together");
		return kernel_check(&kc);
	}
	if (!strcmp(cmd, "parse")) {
		if (optind != argc - 1)
			return bad_usage("parse wants exactly one log file");
		if (oo.passes != 1)
			return bad_usage("--passes is for run: a log holds one pass");
		return cmd_parse(argv[optind], &oo, oo.max_depth_given ? o.max_depth : 0,
				 o.expect_depth);
	}
	if (optind != argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	if (check_kernel_args(o.kernel_args))
		return EXIT_USAGE;
	if (o.cpu_model && strcmp(o.accel, "bochs"))
		return bad_usage("--cpu-model is Bochs's: use it with --accel bochs");
	if (o.expect_depth > o.max_depth)
		return bad_usage("--expect-depth %d is deeper than --max-depth %d", o.expect_depth, o.max_depth);
	if (!o.run_timeout_s) {
		o.run_timeout_s = (int)budget_run_default(o.max_depth, o.level_timeout_s);
		o.run_timeout_derived = 1;
	}
	if (oo.json)
		return bad_usage("--json is for parse: run writes report.json into its directory");
	return cmd_run(&o, &oo);
}
