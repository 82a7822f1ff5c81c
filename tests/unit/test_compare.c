/* test_compare.c - the regression rule, per-level verdicts for CI formats,
 * and the KCIDB time stamps. */
#include "tap.h"
#include "seal.h"
#include "compare.h"
#include "kcidb.h"
#include "level_status.h"

#include <math.h>

static struct report_figures base, now;
static struct run_model m;

static void level(struct report_figures *f, int n, double mean, double sd)
{
	f->level[n] = (struct level_figures){ .up = 1, .n = 1, .mean = mean, .sd = sd };
	if (n > f->max_level)
		f->max_level = n;
	if (n > f->deepest)
		f->deepest = n;
}

static void feed(const char *const *lines)
{
	events_init(&m);
	for (int i = 0; lines[i]; i++)
		events_line(&m, sealed(lines[i]), -1);
	events_finish(&m);
}

int main(void)
{
	struct comparison c;
	struct level_verdict v;
	char buf[64];
	char err[200];

	ok(fabs(compare_limit(10, 0.1) - 12) < 1e-9, "small sd: limit is +20 %%");
	ok(fabs(compare_limit(10, 1.0) - 13) < 1e-9, "noisy baseline: limit is +3 sd");
	ok(fabs(compare_limit(10, -1) - 12) < 1e-9, "one-pass baseline (sd unknown): +20 %%");

	level(&base, 1, 4.5, 0.2);
	level(&base, 2, 12.0, 0.5);
	level(&now, 1, 4.6, -1);
	level(&now, 2, 14.3, -1);
	compare_figures(&base, &now, &c);
	ok(!c.depth_dropped && c.regressions == 0, "12.0 -> 14.3 s is within +20 %% (14.4 s)");
	now.level[2].mean = 14.5;
	compare_figures(&base, &now, &c);
	is_int(c.regressions, 1, "12.0 -> 14.5 s is beyond +20 %%: a regression");
	is_int(c.check[1].level, 2, "the slower level is L2");
	now.level[2] = (struct level_figures){ 0 };
	now.deepest = 1;
	compare_figures(&base, &now, &c);
	ok(c.depth_dropped && c.regressions == 0, "depth 2 -> 1 is a depth drop, not a slow level");
	ok(c.check[1].now < 0, "L2 shown as not up");
	now.level[1].mean = 1.0;
	compare_figures(&base, &now, &c);
	ok(c.check[0].regressed == 0, "faster is never a regression");

	is_int(report_figures_load("/nonexistent/report.json", &now, err, sizeof(err)) < 0, 1,
	       "missing report: error");
	ok(strstr(err, "/nonexistent/report.json") != NULL, "error names the file: %s", err);

	/* verdicts: the recorded OOM at level 2, to max depth 3 */
	{
		static const char *const lines[] = {
			"[+4.255s] supernested: L1 up uptime_s=3.921 accel=tcg kernel=6.1.0-56-amd64",
			"[+4.275s] supernested: L1 child-start level=2 mem_mb=72",
			"[+17.964s] supernested: L1 child-fail level=2 reason=oom detail=\"Kernel panic\"",
			"[+17.964s] supernested: L1 evidence level=2 text=\"ret_from_fork\"",
			"[+17.978s] supernested: L1 summary deepest=1 result=oom failed_level=2 text=x",
			NULL,
		};

		feed(lines);
		is_int(verdict_levels(&m, 3), 3, "three levels reported to max depth 3");
		level_verdict(&m, 1, &v);
		is_str(level_status_name(v.status), "PASS", "L1 PASS");
		level_verdict(&m, 2, &v);
		is_str(level_status_name(v.status), "FAIL", "L2 FAIL");
		ok(v.outcome == OUTCOME_OOM && v.blame == 2, "L2 failed by oom, its own evidence");
		level_verdict(&m, 3, &v);
		is_str(level_status_name(v.status), "SKIP", "L3 SKIP: never attempted");
		ok(fabs(level_boot_time(&m, 1) - 4.255) < 1e-9, "L1 boot time: host clock at up");
	}
	{	/* level 1 refuses to start level 2: level 2 fails with L1's reason */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg",
			"[+4.1s] supernested: L1 stop reason=no-memory detail=\"L1 has 300 MiB\"",
			"[+4.2s] supernested: L1 summary deepest=1 result=no-memory failed_level=1 text=x",
			NULL,
		};

		feed(lines);
		level_verdict(&m, 2, &v);
		ok(v.status == LEVEL_FAIL && v.outcome == OUTCOME_NO_MEM && v.blame == 1,
		   "L2 FAIL: no-memory, blamed on L1's record");
	}
	{	/* a log that stops mid-run: infrastructure, not the kernel */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg",
			"[+4.1s] supernested: L1 child-start level=2 mem_mb=256",
			NULL,
		};

		feed(lines);
		level_verdict(&m, 2, &v);
		is_str(level_status_name(v.status), "ERROR", "unfinished log: L2 ERROR");
	}

	ok(kcidb_time("2026-11-23T09:28:00Z", 12.5, buf, sizeof(buf)) == 0 &&
	   !strcmp(buf, "2026-11-23T09:28:12.500000+00:00"), "start time + 12.5 s: %s", buf);
	ok(kcidb_time("2026-11-23T23:59:59Z", 1.25, buf, sizeof(buf)) == 0 &&
	   !strcmp(buf, "2026-11-24T00:00:00.250000+00:00"), "across midnight: %s", buf);
	ok(kcidb_time("yesterday", 1, buf, sizeof(buf)) < 0, "a bad start time is refused");
	return tap_done();
}
