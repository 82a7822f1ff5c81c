/* main.c - supernested host tool: run the nested chain from the host, or
 * read a serial log captured by hand, and report the depth reached. */
#include "events.h"
#include "output.h"
#include "run.h"
#include "settings.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum exit_status {
	EXIT_DONE = 0,		/* the run completed and met --expect-depth */
	EXIT_TOO_SHALLOW = 1,	/* depth below --expect-depth: a regression */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_INFRA = 3,		/* could not run or finish: image, qemu, time limit */
};

static const char usage[] =
"usage: supernested run   [options]        boot the image and follow the recursion\n"
"       supernested parse [options] LOG    the same report from a saved serial log\n"
"\n"
"How deep can KVM nest on this host and kernel?  'run' boots supernested.img as\n"
"level 1; each level starts the same image one level deeper under nested KVM and\n"
"reports up the chain of serial consoles.  At the end a table shows every level:\n"
"when it came up (host clock), how long its boot took (measured by its parent),\n"
"its memory, and how the chain ended.  Results: results/run-<time>/report.json\n"
"and console.log.\n"
"\n"
"options:\n"
"  --image FILE          disk image (default: supernested.img)\n"
"  --max-depth N         deepest level to start (default 3)\n"
"  --expect-depth N      exit 1 unless at least N levels come up (for CI)\n"
"  --timeout SECONDS     limit for the whole run (default 1800)\n"
"  --level-timeout SECONDS  budget for each level to boot (default 600)\n"
"  --mem MIB             memory of level 1, like 8192 or 8G (default: what the\n"
"                        levels below need by the launcher's policy, >= 1 GiB)\n"
"  --smp N               CPUs of level 1 (default 1)\n"
"  --accel auto|kvm|tcg  how the host runs level 1 (default auto: KVM only when\n"
"                        /dev/kvm works and the CPU shows vmx/svm, else TCG)\n"
"  --boot direct|bootloader  level 1 boots its kernel directly (fast) or through\n"
"                        the image's BIOS and bootloader as a user would\n"
"  --kernel-args WORDS   extra kernel command line words for level 1\n"
"                        (e.g. 'supernested.boot=bootloader')\n"
"  --out DIR             results directory (default results/run-<time>)\n"
"  --json FILE           (parse) also write report.json to FILE\n"
"  -v, --verbose         show every console line, not just the events, and\n"
"                        each level's boot exits by reason (exit profile)\n"
"  -h, --help            this text\n"
"\n"
"exit status: 0 run completed, 1 depth below --expect-depth, 2 usage error,\n"
"3 infrastructure error (image, qemu, time limit)\n";

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

static int verdict_exit(const struct run_model *m, int expect_depth)
{
	/* a run that did not finish says nothing about depth: infrastructure */
	if (!m->summary_seen)
		return EXIT_INFRA;
	return expect_depth > 0 && m->deepest < expect_depth ? EXIT_TOO_SHALLOW : EXIT_DONE;
}

static int cmd_parse(const char *logpath, const char *json, int expect_depth, int verbose)
{
	static struct run_model m;
	struct run_info info = { .source = logpath, .image_unchanged = -1,
				 .expect_depth = expect_depth };
	char line[REPORT_LINE_MAX * 2];
	FILE *f = fopen(logpath, "re");
	int rc;

	if (!f) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", logpath, strerror(errno));
		return EXIT_INFRA;
	}
	events_init(&m);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		events_line(&m, line, -1);
	}
	fclose(f);
	events_finish(&m);
	if (m.lines == 0 || m.max_level == 0) {
		fprintf(stderr, "supernested: %s holds no supernested report lines\n", logpath);
		return EXIT_INFRA;
	}
	print_table(stdout, &m);
	if (verbose)
		print_exit_profile(stdout, &m);
	print_verdict(stdout, &m, &info);
	rc = verdict_exit(&m, expect_depth);
	info.exit_status = rc;
	if (json && write_report_json(json, &m, &info) < 0) {
		fprintf(stderr, "supernested: cannot write %s: %s\n", json, strerror(errno));
		return EXIT_INFRA;
	}
	return rc;
}

static int cmd_run(const struct run_options *o)
{
	static struct run_model m;
	struct run_info info;
	char dir[512], json[600];
	int rc;

	if (run_chain(o, &m, &info, dir, sizeof(dir)) < 0)
		return EXIT_INFRA;
	printf("\n");
	print_table(stdout, &m);
	if (o->verbose)
		print_exit_profile(stdout, &m);
	print_verdict(stdout, &m, &info);
	rc = verdict_exit(&m, o->expect_depth);
	info.exit_status = rc;
	snprintf(json, sizeof(json), "%s/report.json", dir);
	if (write_report_json(json, &m, &info) < 0) {
		fprintf(stderr, "supernested: cannot write %s: %s\n", json, strerror(errno));
		return EXIT_INFRA;
	}
	printf("report: %s\n", json);
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
		{ "boot", required_argument, NULL, 'b' },
		{ "kernel-args", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct run_options o = {
		.image = "supernested.img", .accel = "auto", .boot = "direct",
		.max_depth = 3, .run_timeout_s = 1800, .level_timeout_s = 600,
	};
	const char *cmd, *json = NULL;
	long mb;
	int c;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "run") && strcmp(cmd, "parse"))
		return bad_usage("unknown command '%s': use run or parse", cmd);
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': o.image = optarg; break;
		case 'd':
			if (parse_num(optarg, 1, 64, &o.max_depth) < 0)
				return bad_usage("--max-depth wants a level 1..64, not '%s'", optarg);
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
			if (strcmp(optarg, "auto") && strcmp(optarg, "kvm") && strcmp(optarg, "tcg"))
				return bad_usage("--accel wants auto, kvm or tcg, not '%s'", optarg);
			o.accel = optarg;
			break;
		case 'b':
			if (strcmp(optarg, "direct") && strcmp(optarg, "bootloader"))
				return bad_usage("--boot wants direct or bootloader, not '%s'", optarg);
			o.boot = optarg;
			break;
		case 'k': o.kernel_args = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'j': json = optarg; break;
		case 'v': o.verbose = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_DONE;
		case ':': return bad_usage("option %s needs a value", argv[optind - 1]);
		default: return bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!strcmp(cmd, "parse")) {
		if (optind != argc - 1)
			return bad_usage("parse wants exactly one log file");
		return cmd_parse(argv[optind], json, o.expect_depth, o.verbose);
	}
	if (optind != argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	if (o.expect_depth > o.max_depth)
		return bad_usage("--expect-depth %d is deeper than --max-depth %d", o.expect_depth, o.max_depth);
	return cmd_run(&o);
}
