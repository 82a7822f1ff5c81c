/* cmd_run.c - `supernested run` (cmd_run.h). */
#include "cmd_run.h"
#include "budget.h"
#include "finish.h"
#include "profile.h"
#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Settings the tool owns: a word in --kernel-args must not override them
 * behind the report's back. */
static const struct {
	const char *word, *option;
} tool_settings[] = {
	{ "supernested.level=", "level 1 is always level 1" },
	{ "supernested.maxdepth=", "use --max-depth" },
	{ "supernested.timeout=", "use --level-timeout" },
	{ "supernested.deadline=", "use --timeout" },
	{ "supernested.width=", "use --width" },
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

static int run_passes(const struct run_options *opts, const struct output_options *oo)
{
	struct run_options o = *opts;
	struct run_results r = { .max_depth = o.max_depth };
	struct run_tree *trees;
	struct output_options out = *oo;
	char top[512], pass_dir[600], dir[600], json[700], svg[700];
	const char *base;
	int rc;

	r.pass = calloc((size_t)oo->passes, sizeof(*r.pass));
	trees = calloc((size_t)oo->passes, sizeof(*trees));
	if (!r.pass || !trees) {
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

		if (oo->passes > 1) {
			if (snprintf(pass_dir, sizeof(pass_dir), "%s/pass-%d", top, p + 1) >=
			    (int)sizeof(pass_dir)) {
				fprintf(stderr, "supernested: --out %s: path too long\n", top);
				return EXIT_INFRA;
			}
			o.out_dir = pass_dir;
			printf("supernested: pass %d of %d\n", p + 1, oo->passes);
		}
		if (run_chain(&o, &trees[p], &pr->info, dir, sizeof(dir)) < 0)
			return EXIT_INFRA;
		pr->m = trees[p].chain[0];
		pr->tree = trees[p].width > 1 ? &trees[p] : NULL;
		/* run_chain's strings outlive it except the start time */
		snprintf(pr->started, sizeof(pr->started), "%s", pr->info.started ? pr->info.started : "");
		pr->info.started = pr->started;
		pr->info.kernel_args = o.kernel_args;
		r.npasses = p + 1;
		if (oo->passes > 1) {	/* each pass is a run of its own too */
			struct run_results one = { .pass = pr, .npasses = 1, .max_depth = o.max_depth };

			pr->info.exit_status = pass_verdict_exit(pr, o.expect_depth);
			snprintf(json, sizeof(json), "%s/report.json", dir);
			if (write_report_json(json, &one) < 0)
				fprintf(stderr, "supernested: cannot write %s: %s\n", json, strerror(errno));
		}
		if (!run_tree_summary_seen(&trees[p]) && p + 1 < oo->passes) {
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
		run_tree_free(&trees[p]);
	free(trees);
	free(r.pass);
	return rc;
}

/* The run's output goes through a writer thread: the drain of level 1's
 * console never waits on our reader, and a reader gone (| head) costs the
 * rest of the output, not the run: its results are written and its exit
 * status is the run's. */
int cmd_run(struct run_options *o, const struct output_options *oo)
{
	const struct run_profile *profile;
	int rc, started;

	if (check_kernel_args(o->kernel_args))
		return EXIT_USAGE;
	if (!o->profile)
		o->profile = PROFILE_DEFAULT;
	profile = run_profile_find(o->profile);
	if (!o->smp && profile)	/* --smp given wins */
		o->smp = profile->smp;
	if (!o->width && profile)	/* as does --width */
		o->width = profile->width;
	if (o->cpu_model && strcmp(o->accel, "bochs"))
		return bad_usage("--cpu-model is Bochs's: use it with --accel bochs");
	if (o->width > 1 && tree_leaves(o->width, o->max_depth) < 0)
		return bad_usage("--width %d to --max-depth %d is more than %d branches", o->width,
				 o->max_depth, TREE_LEAVES_MAX);
	if (o->expect_depth > o->max_depth)
		return bad_usage("--expect-depth %d is deeper than --max-depth %d", o->expect_depth,
				 o->max_depth);
	if (oo->json)
		return bad_usage("--json is for parse: run writes report.json into its directory");
	if (!o->run_timeout_s) {
		o->run_timeout_s = (int)budget_run_default(o->max_depth, o->level_timeout_s);
		o->run_timeout_derived = 1;
	}
	started = progress_begin() == 0;
	rc = run_passes(o, oo);
	if (started)
		progress_end();
	return rc;
}
