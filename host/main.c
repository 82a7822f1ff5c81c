/* main.c - supernested host tool: the command line, and which subcommand
 * (cmd_*.c, one file each) it asks for. */
#include "cli.h"
#include "cmd_compare.h"
#include "cmd_history.h"
#include "cmd_model.h"
#include "cmd_parse.h"
#include "cmd_run.h"
#include "kernel_check.h"
#include "profile.h"
#include "settings.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
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
"                   [--json] REPORT|RUN_DIR|LOG...\n"
"                                          the exit-cost model of runs' boots (each\n"
"                                          pass its own W) next to what they measured;\n"
"                                          --hw: depth and boot times on a host whose\n"
"                                          level 1 has hardware KVM; --json: as JSON\n"
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
"  --smp N               CPUs of every level (default 1); under TCG level 1\n"
"                        keeps 1 (a nested guest of a TCG level 1 with more\n"
"                        hangs) and levels 2 and deeper get N\n"
"  --width W             children each level starts at once, each recursing\n"
"                        (1..4, default 1): the chain becomes a tree of\n"
"                        W^(depth-1) branches (at most 64), a row per node;\n"
"                        parse: the log's up lines say (width=)\n"
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
"  --profile deep|full   what the levels below level 1 run on: deep (default),\n"
"                        the launcher's defaults, microvm, no guest PMU, the\n"
"                        LAPIC's one-shot timer, a periodic tick; full: pc\n"
"                        with PCI and virtio-pci, the guest PMU, TSC-deadline\n"
"                        timer, tickless, 2 CPUs (unless --smp); each level\n"
"                        reports what it exercised.  parse: the run's profile,\n"
"                        for report.json and compare (a log does not say)\n"
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

/* The options run, parse and kernel-check share, into @o, @oo and @kc.
 * Returns -1 when all were good, else the exit status to leave with. */
static int read_options(int argc, char **argv, struct run_options *o, struct output_options *oo,
			struct kernel_check_options *kc)
{
	static const struct option opts[] = {
		{ "image", required_argument, NULL, 'i' },
		{ "max-depth", required_argument, NULL, 'd' },
		{ "expect-depth", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "level-timeout", required_argument, NULL, 'l' },
		{ "mem", required_argument, NULL, 'm' },
		{ "smp", required_argument, NULL, 's' },
		{ "width", required_argument, NULL, 'W' },
		{ "accel", required_argument, NULL, 'a' },
		{ "cpu-model", required_argument, NULL, 'c' },
		{ "boot", required_argument, NULL, 'b' },
		{ "kernel-args", required_argument, NULL, 'k' },
		{ "profile", required_argument, NULL, 'P' },
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
	long mb;
	int c;

	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': o->image = optarg; break;
		case 'd':
			if (parse_num(optarg, 1, 64, &o->max_depth) < 0)
				return bad_usage("--max-depth wants a level 1..64, not '%s'", optarg);
			oo->max_depth_given = 1;
			break;
		case 'e':
			if (parse_num(optarg, 1, 64, &o->expect_depth) < 0)
				return bad_usage("--expect-depth wants a level 1..64, not '%s'", optarg);
			break;
		case 't':
			if (parse_num(optarg, 10, 7 * 86400, &o->run_timeout_s) < 0)
				return bad_usage("--timeout wants seconds (10 or more), not '%s'", optarg);
			break;
		case 'l':
			if (parse_num(optarg, 5, 86400, &o->level_timeout_s) < 0)
				return bad_usage("--level-timeout wants seconds (5 or more), not '%s'", optarg);
			break;
		case 'm':
			if (parse_size_mb(optarg, &mb) < 0 || mb < 64 || mb > (1L << 22))
				return bad_usage("--mem wants a size like 4096, 4096M or 4G (64M or more), not '%s'", optarg);
			o->mem_mb = (int)mb;
			break;
		case 's':
			if (parse_num(optarg, 1, 256, &o->smp) < 0)
				return bad_usage("--smp wants a CPU count 1..256, not '%s'", optarg);
			break;
		case 'W':
			if (parse_num(optarg, 1, NODE_WIDTH_MAX, &o->width) < 0)
				return bad_usage("--width wants a count of children 1..%d, not '%s'",
						 NODE_WIDTH_MAX, optarg);
			break;
		case 'a':
			if (strcmp(optarg, "auto") && strcmp(optarg, "kvm") && strcmp(optarg, "tcg") &&
			    strcmp(optarg, "bochs"))
				return bad_usage("--accel wants auto, kvm, tcg or bochs, not '%s'", optarg);
			o->accel = optarg;
			break;
		case 'c': o->cpu_model = optarg; break;
		case 'b':
			if (strcmp(optarg, "direct") && strcmp(optarg, "bootloader"))
				return bad_usage("--boot wants direct or bootloader, not '%s'", optarg);
			o->boot = optarg;
			break;
		case 'k': o->kernel_args = optarg; break;
		case 'P':
			if (!run_profile_find(optarg))
				return bad_usage("--profile wants %s, not '%s'", run_profile_names(), optarg);
			o->profile = optarg;
			break;
		case 'o': o->out_dir = optarg; break;
		case 'j': oo->json = optarg; break;
		case 'J': oo->junit = optarg; break;
		case 'T': oo->tap = 1; break;
		case 'K': oo->kcidb = optarg; break;
		case 'B': oo->baseline = optarg; break;
		case 'L': oo->timeline = 1; break;
		case 'p':
			if (parse_num(optarg, 1, 100, &oo->passes) < 0)
				return bad_usage("--passes wants a count 1..100, not '%s'", optarg);
			break;
		case 'Z': kc->bzimage = optarg; break;
		case 'V': kc->vmlinux = optarg; break;
		case 'C': kc->config = optarg; break;
		case 'F': kc->fragment = optarg; break;
		case 'v': o->verbose = 1; oo->timeline = oo->exits = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_DONE;
		case ':': return bad_usage("option %s needs a value", argv[optind - 1]);
		default: return bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	return -1;
}

static int cmd_kernel_check(int argc, const struct kernel_check_options *kc)
{
	if (optind != argc || (!kc->bzimage && !kc->vmlinux && !kc->config))
		return bad_usage("kernel-check wants --kernel, --vmlinux or --config");
	if (!kc->config != !kc->fragment)
		return bad_usage("--config and --fragment go together");
	return kernel_check(kc);
}

/* Subcommands that read their own arguments. */
static const struct {
	const char *name;
	int (*cmd)(int argc, char **argv);
} own_argv_commands[] = {
	{ "compare", cmd_compare },
	{ "history", cmd_history },
	{ "model", cmd_model },
};

int main(int argc, char **argv)
{
	struct run_options o = {
		.image = default_image(), .accel = "auto", .boot = "direct",
		.max_depth = 4, .run_timeout_s = 0,	/* 0: budget_run_default */
	};
	struct output_options oo = { .passes = 1 };
	struct kernel_check_options kc = { 0 };
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc;

	if (argc == 2 && (!strcmp(cmd, "--version") || !strcmp(cmd, "version"))) {
		printf("supernested %s\n", SUPERNESTED_VERSION);
		return EXIT_DONE;
	}
	if (argc < 2 || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	for (size_t i = 0; i < sizeof(own_argv_commands) / sizeof(own_argv_commands[0]); i++)
		if (!strcmp(cmd, own_argv_commands[i].name))
			return own_argv_commands[i].cmd(argc, argv);
	if (strcmp(cmd, "run") && strcmp(cmd, "parse") && strcmp(cmd, "kernel-check"))
		return bad_usage("unknown command '%s': use run, parse, compare, history, model or kernel-check", cmd);
	rc = read_options(argc, argv, &o, &oo, &kc);
	if (rc >= 0)
		return rc;
	if (!strcmp(cmd, "kernel-check"))
		return cmd_kernel_check(argc, &kc);
	if (!strcmp(cmd, "parse")) {
		if (optind != argc - 1)
			return bad_usage("parse wants exactly one log file");
		if (oo.passes != 1)
			return bad_usage("--passes is for run: a log holds one pass");
		if (o.width > 1 && oo.max_depth_given && tree_leaves(o.width, o.max_depth) < 0)
			return bad_usage("--width %d to --max-depth %d is more than %d branches", o.width,
					 o.max_depth, TREE_LEAVES_MAX);
		return cmd_parse(argv[optind], &oo, oo.max_depth_given ? o.max_depth : 0,
				 o.expect_depth, o.profile, o.width);
	}
	if (optind != argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	return cmd_run(&o, &oo);
}
