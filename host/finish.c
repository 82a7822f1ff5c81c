/* finish.c - results of a chain that ran: tables, files, verdict (finish.h). */
#include "finish.h"
#include "cmd_compare.h"
#include "junit.h"
#include "kcidb.h"
#include "plot.h"
#include "profile.h"
#include "tap_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The rules are verdict.c's alone: docs/verdict.md. */
int verdict_exit(const struct run_model *m, int expect_depth)
{
	struct run_verdict v;

	verdict_run(m, expect_depth, &v);
	return (int)v.status;
}

/* A failure proven on the kernel outweighs a pass that had no verdict. */
static int worse(int a, int b)
{
	return verdict_status_rank(a) > verdict_status_rank(b) ? a : b;
}

/* Everything after the chain ran: tables, report.json, CI formats,
 * baseline.  Results are written before any verdict can stop us. */
int finish(struct run_results *r, const struct output_options *oo, const char *json,
		  int expect_depth)
{
	FILE *out = oo->tap ? stderr : stdout;	/* stdout is the TAP stream */
	int rc = EXIT_DONE;

	for (int p = 0; p < r->npasses; p++) {
		int v = pass_verdict_exit(&r->pass[p], expect_depth);

		r->pass[p].info.exit_status = v;
		rc = worse(rc, v);
	}
	for (int p = 0; p < r->npasses; p++) {
		if (r->npasses > 1)
			fprintf(out, "pass %d:\n", p + 1);
		if (r->pass[p].info.profile) {	/* which machines the rows below ran on */
			const struct run_profile *pf = run_profile_find(r->pass[p].info.profile);

			fprintf(out, "profile %s%s%s%s\n", r->pass[p].info.profile, pf ? " (" : "",
				pf ? pf->what : "", pf ? ")" : "");
		}
		if (r->pass[p].tree)	/* a tree: a row per node */
			print_tree_table(out, r->pass[p].tree);
		else
			print_table(out, r->pass[p].m);
		if (oo->timeline)
			print_timeline(out, &r->pass[p]);
		if (oo->exits)
			print_exit_profile(out, r->pass[p].m);
		if (r->pass[p].tree)
			print_tree_verdict(out, &r->pass[p], r->pass[p].info.expect_depth);
		else
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
