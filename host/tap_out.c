/* tap_out.c - TAP for a run (see tap_out.h). */
#include "tap_out.h"
#include "level_status.h"

#include <string.h>

/* A '#' in a description would start a directive: TAP escapes it. */
static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
}

void print_run_tap(FILE *out, const struct run_results *r)
{
	static struct pass_test tests[PASS_TESTS_MAX];
	int total = 0, t = 0;

	for (int p = 0; p < r->npasses; p++)
		total += pass_tests(&r->pass[p], r->max_depth, tests, PASS_TESTS_MAX);
	fprintf(out, "1..%d\n", total);
	for (int p = 0; p < r->npasses; p++) {
		int n = pass_tests(&r->pass[p], r->max_depth, tests, PASS_TESTS_MAX);

		for (int k = 0; k < n; k++) {	/* a level; a tree's node */
			const struct run_model *m = tests[k].m;
			int i = tests[k].level;
			struct level_verdict v;
			double boot = level_boot_time(m, i);

			level_verdict(m, i, &v);
			fprintf(out, "%s %d - ", v.status == LEVEL_PASS || v.status == LEVEL_SKIP ?
				"ok" : "not ok", ++t);
			if (r->npasses > 1)
				fprintf(out, "pass %d ", p + 1);
			fprintf(out, "level %s", tests[k].name);
			if (v.status == LEVEL_PASS) {
				if (boot >= 0)
					fprintf(out, " up, boot %.1f s", boot);
				else
					fprintf(out, " up");
			} else if (v.status != LEVEL_SKIP) {
				fprintf(out, " %s: ", level_status_name(v.status));
				put_escaped(out, v.message);
			}
			if (v.status == LEVEL_SKIP) {
				fprintf(out, " # SKIP ");
				put_escaped(out, v.message);
			}
			fputc('\n', out);
			if (v.status == LEVEL_FAIL || v.status == LEVEL_ERROR)
				for (int e = 0; e < m->level[v.blame].nevidence; e++)
					fprintf(out, "#   %s\n", m->level[v.blame].evidence[e]);
		}
	}
}
