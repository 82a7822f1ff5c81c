/* test_verdict.c - the verdict rules (verdict.h) on recorded sequences: a
 * panic after up, a failure beyond the expected depth, max depth, a
 * timeout, a level that stopped by itself, an unfinished log, a launcher
 * error; the per-level CI verdicts that follow them; real recorded logs. */
#include "tap.h"
#include "seal.h"
#include "level_status.h"
#include "verdict.h"

static struct run_model m;

static void feed(const char *const *lines)
{
	events_init(&m);
	for (int i = 0; lines[i]; i++)
		events_line(&m, sealed(lines[i]), -1);
	events_finish(&m);
}

static void feed_file(const char *name)
{
	char path[512], line[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/logs/%s", SRCDIR, name);
	events_init(&m);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		events_line(&m, line, -1);
	}
	if (f)
		fclose(f);
	events_finish(&m);
}

static struct run_verdict judge(int expect_depth)
{
	struct run_verdict v;

	verdict_run(&m, expect_depth, &v);
	return v;
}

static const char *describe(int expect_depth)
{
	static char buf[200];
	struct run_verdict v = judge(expect_depth);

	verdict_describe(&m, &v, buf, sizeof(buf));
	return buf;
}

static const char *level_status_of(int n)
{
	struct level_verdict lv;

	level_verdict(&m, n, &lv);
	return level_status_name(lv.status);
}

int main(void)
{
	struct run_verdict v;
	enum outcome o;

	{	/* level 2 came up, then its kernel panicked (inject=panic@2) */
		static const char *const lines[] = {
			"[+5.0s] supernested: L1 up uptime_s=4 accel=tcg maxdepth=2",
			"[+5.1s] supernested: L1 child-start level=2 mem_mb=300 budget_s=120",
			"[+12.0s] supernested: L2 up uptime_s=6 accel=kvm maxdepth=2",
			"[+12.0s] supernested: L1 child-up level=2 boot_s=6.9",
			"[+12.1s] supernested: L2 warning detail=\"fault injection panic@2: crashing this kernel\"",
			"[+14.0s] supernested: L1 child-fail level=2 reason=panic detail=\"Kernel panic - not syncing: sysrq triggered crash\"",
			"[+14.0s] supernested: L1 summary deepest=2 result=panic failed_level=2 text=x",
			NULL,
		};

		feed(lines);
		is_int(m.deepest, 2, "panic after up: depth 2 (it did come up)");
		ok(verdict_level_failed(&m, 2, &o) && o == OUTCOME_PANIC, "panic after up: level 2 failed, panic");
		ok(!verdict_level_failed(&m, 1, &o), "panic after up: level 1 did not fail");
		v = judge(2);
		ok(v.status == VERDICT_FAIL && v.why == VERDICT_WHY_LEVEL_FAILED && v.level == 2,
		   "--expect-depth 2: exit 1, level 2 failed (status %d)", v.status);
		is_str(describe(2), "expected depth 2: FAILED (level 2 came up and then failed: panic)",
		       "--expect-depth 2: the verdict line says so");
		v = judge(0);
		ok(v.status == VERDICT_FAIL && v.expected == 2, "no --expect-depth: the run's max depth 2 is expected: exit 1");
		v = judge(1);
		ok(v.status == VERDICT_PASS && v.explored == 2 && v.explored_outcome == OUTCOME_PANIC,
		   "--expect-depth 1: level 2 is exploration: exit 0, the failure reported");
		is_str(describe(1), "expected depth 1: met (level 2 beyond it failed: panic, exploration)",
		       "--expect-depth 1: the line names the explored failure");
		is_str(level_status_of(2), "FAIL", "CI formats: level 2 FAIL although it came up");
		is_str(level_status_of(1), "PASS", "CI formats: level 1 PASS");
	}
	{	/* level 2 never came up: OOM, max depth 3 */
		static const char *const lines[] = {
			"[+4.2s] supernested: L1 up uptime_s=3.9 accel=tcg maxdepth=3",
			"[+4.3s] supernested: L1 child-start level=2 mem_mb=72",
			"[+17.9s] supernested: L1 child-fail level=2 reason=oom detail=\"Kernel panic\"",
			"[+17.9s] supernested: L1 summary deepest=1 result=oom failed_level=2 text=x",
			NULL,
		};

		feed(lines);
		v = judge(3);
		ok(v.status == VERDICT_FAIL && v.level == 2 && v.outcome == OUTCOME_OOM,
		   "oom at 2, --expect-depth 3: exit 1, level 2 failed");
		v = judge(1);
		ok(v.status == VERDICT_PASS && v.explored == 2, "oom at 2, --expect-depth 1: beyond it: exit 0");
		is_str(level_status_of(3), "SKIP", "level 3 never attempted: SKIP");
	}
	{	/* max depth reached */
		static const char *const lines[] = {
			"[+5.0s] supernested: L1 up uptime_s=4 accel=tcg maxdepth=2",
			"[+5.1s] supernested: L1 child-start level=2 mem_mb=300",
			"[+12.0s] supernested: L2 up uptime_s=6 accel=kvm maxdepth=2",
			"[+12.0s] supernested: L1 child-up level=2 boot_s=6.9",
			"[+12.1s] supernested: L2 stop reason=max-depth detail=\"level 2 is supernested.maxdepth\"",
			"[+12.2s] supernested: L2 summary deepest=2 result=max-depth failed_level=2 text=x",
			"[+12.4s] supernested: L1 summary deepest=2 result=max-depth failed_level=2 text=x",
			NULL,
		};

		feed(lines);
		v = judge(0);
		ok(v.status == VERDICT_PASS && v.why == VERDICT_WHY_MET && !v.explored, "max depth: exit 0");
		ok(judge(2).status == VERDICT_PASS, "max depth, --expect-depth 2: exit 0");
		is_str(describe(2), "expected depth 2: met", "max depth: 'met'");
		v = judge(3);
		ok(v.status == VERDICT_FAIL && v.why == VERDICT_WHY_SHALLOW, "--expect-depth 3 of a depth-2 run: exit 1, too shallow");
		is_str(describe(3), "expected depth 3: NOT MET (depth 2)", "too shallow: 'NOT MET (depth 2)'");
		is_str(level_status_of(2), "PASS", "max depth is no failure of level 2");
	}
	{	/* level 3 timed out under level 2's budget */
		static const char *const lines[] = {
			"[+5.0s] supernested: L1 up uptime_s=4 accel=tcg maxdepth=3",
			"[+5.1s] supernested: L1 child-start level=2 mem_mb=600",
			"[+12.0s] supernested: L2 up uptime_s=6 accel=kvm maxdepth=3",
			"[+12.0s] supernested: L1 child-up level=2 boot_s=6.9",
			"[+12.1s] supernested: L2 child-start level=3 mem_mb=256 budget_s=120",
			"[+132.2s] supernested: L2 child-fail level=3 reason=timeout detail=\"silent for 120 s\"",
			"[+132.4s] supernested: L2 summary deepest=2 result=timeout failed_level=3 text=x",
			"[+132.6s] supernested: L1 summary deepest=2 result=timeout failed_level=3 text=x",
			NULL,
		};

		feed(lines);
		v = judge(0);
		ok(v.status == VERDICT_FAIL && v.level == 3 && v.outcome == OUTCOME_TIMEOUT,
		   "timeout at 3, max depth 3: exit 1");
		ok(judge(2).status == VERDICT_PASS && judge(2).explored == 3, "timeout at 3, --expect-depth 2: exit 0 (exploration)");
		is_str(level_status_of(3), "FAIL", "a level's timeout under a finished run: FAIL, not ERROR");
	}
	{	/* level 1 came up and could not start level 2: a stop, not a death */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg maxdepth=3",
			"[+4.1s] supernested: L1 stop reason=no-memory detail=\"L1 has 300 MiB\"",
			"[+4.2s] supernested: L1 summary deepest=1 result=no-memory failed_level=1 text=x",
			NULL,
		};

		feed(lines);
		ok(!verdict_level_failed(&m, 1, &o), "stop: level 1 itself did not fail");
		ok(judge(1).status == VERDICT_PASS, "stop at 1, --expect-depth 1: exit 0");
		v = judge(0);
		ok(v.status == VERDICT_FAIL && v.why == VERDICT_WHY_SHALLOW, "stop at 1, max depth 3: exit 1, too shallow");
		is_str(level_status_of(1), "PASS", "stop: level 1 PASS");
		is_str(level_status_of(2), "FAIL", "stop: level 2 FAIL (its parent could not start it)");
	}
	{	/* a log that ends while level 2 boots: no verdict */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg maxdepth=3",
			"[+4.1s] supernested: L1 child-start level=2 mem_mb=256",
			NULL,
		};

		feed(lines);
		v = judge(0);
		ok(v.status == VERDICT_INFRA && v.why == VERDICT_WHY_UNFINISHED, "cut log: exit 3, unfinished");
		ok(judge(1).status == VERDICT_INFRA, "cut log, --expect-depth 1 met: still 3 (the run did not finish)");
	}
	{	/* the launcher broke at level 2: not the kernel's failure */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg maxdepth=3",
			"[+4.1s] supernested: L1 child-start level=2 mem_mb=256",
			"[+9.0s] supernested: L1 child-fail level=2 reason=internal-error detail=\"boot disk not found\"",
			"[+9.1s] supernested: L1 summary deepest=1 result=internal-error failed_level=2 text=x",
			NULL,
		};

		feed(lines);
		v = judge(0);
		ok(v.status == VERDICT_INFRA && v.why == VERDICT_WHY_NO_VERDICT && v.level == 2,
		   "internal-error at 2: exit 3, no verdict on the kernel");
		is_str(level_status_of(2), "ERROR", "internal-error: level 2 ERROR");
	}
	{	/* the run's time limit came while level 4 booted: level 3 stopped it */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg maxdepth=4",
			"[+4.1s] supernested: L1 child-start level=2 mem_mb=1024",
			"[+8.0s] supernested: L2 up uptime_s=3.0 accel=kvm maxdepth=4",
			"[+8.1s] supernested: L2 child-start level=3 mem_mb=512",
			"[+15.0s] supernested: L3 up uptime_s=3.0 accel=kvm maxdepth=4",
			"[+15.1s] supernested: L3 child-start level=4 mem_mb=256",
			"[+30.0s] supernested: L3 child-fail level=4 reason=run-limit detail=\"the run's time limit: stopped 14 s after its start\"",
			"[+30.2s] supernested: L3 summary deepest=3 result=run-limit failed_level=4 text=x",
			"[+30.4s] supernested: L2 summary deepest=3 result=run-limit failed_level=4 text=x",
			"[+30.6s] supernested: L1 summary deepest=3 result=run-limit failed_level=4 text=x",
			NULL,
		};

		feed(lines);
		v = judge(0);
		ok(v.status == VERDICT_INFRA && v.why == VERDICT_WHY_NO_VERDICT && v.level == 4,
		   "run-limit at 4, max depth 4: exit 3, no verdict on the kernel");
		is_str(level_status_of(4), "ERROR", "run-limit: level 4 ERROR");
		ok(judge(3).status == VERDICT_PASS, "run-limit beyond --expect-depth 3: exploration, exit 0");
	}
	{	/* too little time left: level 2 itself starts no child */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg maxdepth=3",
			"[+4.1s] supernested: L1 child-start level=2 mem_mb=1024",
			"[+8.0s] supernested: L2 up uptime_s=3.0 accel=kvm maxdepth=3",
			"[+8.1s] supernested: L2 stop reason=run-limit detail=\"the run's time limit: 4 s left at level 2, too little to start level 3\"",
			"[+8.2s] supernested: L2 summary deepest=2 result=run-limit failed_level=2 text=x",
			"[+8.4s] supernested: L1 summary deepest=2 result=run-limit failed_level=2 text=x",
			NULL,
		};

		feed(lines);
		v = judge(0);
		ok(v.status == VERDICT_INFRA && v.why == VERDICT_WHY_NO_VERDICT && v.level == 2 &&
		   v.outcome == OUTCOME_RUN_LIMIT,
		   "level 2 stopped for the run's limit, depth 2 of 3: exit 3, not NOT MET");
		is_str(level_status_of(2), "PASS", "level 2 itself came up: PASS");
		is_str(level_status_of(3), "ERROR", "level 3, never started for the run's sake: ERROR");
		ok(judge(2).status == VERDICT_PASS, "--expect-depth 2: met, exit 0");
	}
	{	/* a level that stops going deeper for the kernel's sake stays NOT MET */
		static const char *const lines[] = {
			"[+4.0s] supernested: L1 up uptime_s=3.9 accel=tcg maxdepth=3",
			"[+4.1s] supernested: L1 child-start level=2 mem_mb=1024",
			"[+8.0s] supernested: L2 up uptime_s=3.0 accel=kvm maxdepth=3",
			"[+8.1s] supernested: L2 stop reason=no-virt detail=x",
			"[+8.2s] supernested: L2 summary deepest=2 result=no-virt failed_level=2 text=x",
			"[+8.4s] supernested: L1 summary deepest=2 result=no-virt failed_level=2 text=x",
			NULL,
		};

		feed(lines);
		v = judge(0);
		ok(v.status == VERDICT_FAIL && v.why == VERDICT_WHY_SHALLOW, "no-virt at level 2, depth 2 of 3: exit 1, NOT MET");
	}

	ok(verdict_status_rank(VERDICT_FAIL) > verdict_status_rank(VERDICT_INFRA) &&
	   verdict_status_rank(VERDICT_INFRA) > verdict_status_rank(VERDICT_PASS),
	   "a failure outweighs no verdict, which outweighs a pass");

	/* real recorded runs */
	feed_file("run-l2-oom-panic.log");
	v = judge(0);
	ok(v.status == VERDICT_FAIL && v.level == 2 && v.outcome == OUTCOME_OOM,
	   "recorded L2 OOM (max depth 2): exit 1, level 2 oom");
	feed_file("run-depth3-max-depth.log");
	ok(judge(0).status == VERDICT_PASS && judge(3).status == VERDICT_PASS, "recorded depth 3: exit 0");
	feed_file("run-depth5-cut-at-l5.log");
	ok(judge(0).status == VERDICT_INFRA, "recorded log cut at L5: exit 3");
	ok(judge(4).status == VERDICT_INFRA, "recorded log cut at L5, --expect-depth 4: still unfinished, 3");
	feed_file("run-depth5-l5-slow.log");
	v = judge(0);
	ok(v.status == VERDICT_FAIL && v.level == 5, "recorded L5 timeout at max depth 5: exit 1");
	ok(judge(4).status == VERDICT_PASS, "recorded L5 timeout, --expect-depth 4: exit 0 (exploration)");
	return tap_done();
}
