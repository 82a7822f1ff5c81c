/* test_compare.c - the regression rule, per-level verdicts for CI formats,
 * and the KCIDB time stamps. */
#include "tap.h"
#include "seal.h"
#include "compare.h"
#include "kcidb.h"
#include "level_status.h"
#include "output.h"
#include "verdict.h"

#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

static struct report_figures base, now;
static struct run_model m;

static void level(struct report_figures *f, int n, double mean, double sd)
{
	f->level[n] = (struct level_figures){ .up = 1, .n = 1, .mean = mean, .sd = sd,
					      .sample = { mean } };
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


/* A depth-2 run as the tool records it: L2's boot @boot s, then L2 either
 * reaches max depth or (@fail) comes up and dies with outcome @fail. */
static void depth2(double boot, const char *fail)
{
	char up[200], cu[200], end[200], sum[200];
	const char *lines[8];
	int k = 0;

	snprintf(up, sizeof(up), "[+%.3fs] supernested: L2 up uptime_s=4 accel=kvm maxdepth=2", 5.1 + boot);
	snprintf(cu, sizeof(cu), "[+%.3fs] supernested: L1 child-up level=2 boot_s=%.3f", 5.1 + boot, boot);
	if (fail) {
		snprintf(end, sizeof(end), "[+%.3fs] supernested: L1 child-fail level=2 reason=%s detail=x", 7 + boot, fail);
		snprintf(sum, sizeof(sum), "[+%.3fs] supernested: L1 summary deepest=2 result=%s failed_level=2 text=x", 7 + boot, fail);
	} else {
		snprintf(end, sizeof(end), "[+%.3fs] supernested: L2 stop reason=max-depth detail=x", 6 + boot);
		snprintf(sum, sizeof(sum), "[+%.3fs] supernested: L1 summary deepest=2 result=max-depth failed_level=2 text=x", 7 + boot);
	}
	lines[k++] = "[+5.0s] supernested: L1 up uptime_s=4 accel=tcg maxdepth=2";
	lines[k++] = "[+5.1s] supernested: L1 child-start level=2 mem_mb=300";
	lines[k++] = up;
	lines[k++] = cu;
	lines[k++] = end;
	lines[k++] = sum;
	lines[k] = NULL;
	feed(lines);
}

static const char *save_profile;	/* the --profile save records; NULL none */

/* Write the model as run DIR/NAME/report.json, started at @started. */
static void save(const char *dir, const char *name, const char *started)
{
	struct pass_result pass = { .m = &m, .info = { .source = "test", .image_unchanged = -1,
						       .started = started, .max_depth = 2,
						       .profile = save_profile } };
	struct run_results r = { .pass = &pass, .npasses = 1 };
	struct run_verdict v;
	char path[600];

	verdict_run(&m, 0, &v);
	pass.info.exit_status = (int)v.status;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/report.json", dir, name);
	write_report_json(path, &r);
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

	/* the noise is the larger sd of the two: a noisy new run's mean */
	memset(&base, 0, sizeof(base));
	memset(&now, 0, sizeof(now));
	base.deepest = now.deepest = base.max_level = now.max_level = 1;
	base.level[1] = (struct level_figures){ .up = 1, .n = 3, .mean = 10, .sd = 0.1 };
	now.level[1] = (struct level_figures){ .up = 1, .n = 3, .mean = 13, .sd = 1.5 };
	compare_figures(&base, &now, &c);
	ok(c.regressions == 0 && fabs(c.check[0].limit - 14.5) < 1e-9,
	   "10.0 +- 0.1 s -> 13.0 +- 1.5 s: limit 10 + 3 x 1.5 = 14.5 s, no regression (%.2f)", c.check[0].limit);
	now.level[1].mean = 14.6;
	compare_figures(&base, &now, &c);
	is_int(c.regressions, 1, "-> 14.6 +- 1.5 s: beyond it, a regression");
	now.level[1] = (struct level_figures){ .up = 1, .n = 1, .mean = 12.1, .sd = -1 };
	compare_figures(&base, &now, &c);
	is_int(c.regressions, 1, "a one-pass new run: the reference's sd alone (12.1 > 12.0)");

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

	/* outcomes per level: same depth, level 2 died after coming up */
	{
		static struct report_figures good, bad;
		char dir[] = "/tmp/supernested-compare-XXXXXX", path[700], out[8192];
		const char *bases[1];
		struct compare_request q = { .bases = bases, .nbases = 1 };
		FILE *o;

		ok(mkdtemp(dir) != NULL, "temporary directory");
		depth2(6.0, NULL);
		save(dir, "a-good", "2026-12-01T02:00:00Z");
		depth2(6.2, "panic");
		save(dir, "b-panic", "2026-12-02T02:00:00Z");
		snprintf(path, sizeof(path), "%s/a-good", dir);
		ok(report_figures_load(path, &good, err, sizeof(err)) == 0 && good.good, "good run: a reference");
		snprintf(path, sizeof(path), "%s/b-panic", dir);
		ok(report_figures_load(path, &bad, err, sizeof(err)) == 0 && !bad.good, "panic@2 run: not a reference (%s)",
		   bad.not_good);
		compare_figures(&good, &bad, &c);
		ok(!c.depth_dropped && c.regressions == 0 && c.outcome_regressions == 1,
		   "panic@2 against a good depth-2 run: same depth, same speed, one worse outcome");
		ok(c.check[1].level == 2 && c.check[1].outcome_regressed &&
		   c.check[1].now_outcome == OUTCOME_PANIC, "the worse outcome is level 2's: panic");
		ok(comparison_regressed(&c), "and that is a regression");
		compare_figures(&bad, &bad, &c);
		ok(!comparison_regressed(&c), "the same failure class again is not a new one");
		bad.level[2].failures = 1u << OUTCOME_OOM;
		good.level[2].failures = 1u << OUTCOME_PANIC;
		compare_figures(&good, &bad, &c);
		ok(c.outcome_regressions == 1, "a different failure class (panic -> oom) is");

		/* the ratchet: a history holding a good run then the failed one;
		 * the next good run is compared with the good one only */
		depth2(6.1, NULL);
		save(dir, "c-new", "2026-12-03T02:00:00Z");
		bases[0] = dir;
		snprintf(path, sizeof(path), "%s/c-new", dir);
		q.new_path = path;
		o = fmemopen(out, sizeof(out), "w");
		is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_OK,
		       "history [good, panic] -> the new good run: no regression");
		fclose(o);
		ok(strstr(out, "not a baseline: ") && strstr(out, "b-panic") &&
		   strstr(out, "against the reference: 1 good run(s)") && strstr(out, "a-good/report.json"),
		   "the failed run is named and left out; the reference is the good run");
		/* the panic run judged against the good history: a regression */
		snprintf(path, sizeof(path), "%s/b-panic", dir);
		q.new_path = path;
		o = fmemopen(out, sizeof(out), "w");
		is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_REGRESSION,
		       "history -> the panic@2 run: a regression");
		fclose(o);
		/* only failed runs: nothing to compare with */
		{
			char panic_dir[700], out2[2048];

			snprintf(panic_dir, sizeof(panic_dir), "%s/b-panic", dir);
			bases[0] = panic_dir;
			snprintf(path, sizeof(path), "%s/c-new", dir);
			q.new_path = path;
			o = fmemopen(out2, sizeof(out2), "w");
			is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_NO_REFERENCE,
			       "a failed run alone is no reference");
			fclose(o);
		}
		/* like with like: a good full-profile run is no reference for a
		 * deep one (a report without a profile is deep), nor the other way */
		{
			char full[700], good_dir[700], out3[4096];

			depth2(9.0, NULL);
			save_profile = "full";
			save(dir, "d-full", "2026-12-04T02:00:00Z");
			save_profile = NULL;
			bases[0] = dir;
			snprintf(path, sizeof(path), "%s/c-new", dir);
			q.new_path = path;
			o = fmemopen(out3, sizeof(out3), "w");
			is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_OK,
			       "history with a full run -> a deep run: compared with the deep good run");
			fclose(o);
			ok(strstr(out3, "d-full: profile full, the new run's is deep") &&
			   strstr(out3, "against the reference: 1 good run(s)"),
			   "... the full run named and left out");
			snprintf(full, sizeof(full), "%s/d-full", dir);
			q.new_path = full;
			o = fmemopen(out3, sizeof(out3), "w");
			is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_NO_REFERENCE,
			       "a full run against deep runs only: no reference");
			fclose(o);
			ok(strstr(err, "no run of profile full to compare with") && !strchr(err, '\n'),
			   "... in one line: %s", err);
			snprintf(good_dir, sizeof(good_dir), "%s/a-good", dir);
			q.pin = good_dir;
			o = fmemopen(out3, sizeof(out3), "w");
			is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_ERROR,
			       "a deep pin for a full run: refused");
			fclose(o);
			ok(strstr(err, "profile deep, the new run full") != NULL, "... and said: %s", err);
			q.pin = NULL;
		}
		/* like with like: a tree (run --width 2) is no reference for a
		 * chain, nor the other way (a report without width= is a chain) */
		{
			char tree[700], good_dir[700], out4[4096];
			json_object *root;

			depth2(9.0, NULL);
			save(dir, "e-tree", "2026-12-04T03:00:00Z");
			snprintf(path, sizeof(path), "%s/e-tree/report.json", dir);
			root = json_object_from_file(path);
			json_object_object_add(root, "width", json_object_new_int(2));
			json_object_to_file(path, root);
			json_object_put(root);
			snprintf(path, sizeof(path), "%s/c-new", dir);
			q.new_path = path;
			o = fmemopen(out4, sizeof(out4), "w");
			is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_OK,
			       "history with a tree -> a chain: compared with the chain's good run");
			fclose(o);
			ok(strstr(out4, "e-tree: width 2, the new run's is 1") != NULL, "... the tree named and left out");
			snprintf(tree, sizeof(tree), "%s/e-tree", dir);
			q.new_path = tree;
			o = fmemopen(out4, sizeof(out4), "w");
			is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_NO_REFERENCE,
			       "a width-2 tree against chains only: no reference");
			fclose(o);
			ok(strstr(err, "no run of profile deep and width 2 to compare with") &&
			   strstr(err, "3 of another width") && !strchr(err, '\n'),
			   "... in one line: %s", err);
			snprintf(good_dir, sizeof(good_dir), "%s/a-good", dir);
			q.pin = good_dir;
			o = fmemopen(out4, sizeof(out4), "w");
			is_int(compare_references(&q, o, err, sizeof(err)), COMPARE_ERROR,
			       "a chain pinned for a tree: refused");
			fclose(o);
			ok(strstr(err, "is width 1, the new run 2") != NULL, "... and said: %s", err);
			q.pin = NULL;
		}
		for (const char *n = "abcde"; *n; n++) {
			static const char *const names[] = { "a-good", "b-panic", "c-new", "d-full", "e-tree" };

			snprintf(path, sizeof(path), "%s/%s/report.json", dir, names[*n - 'a']);
			unlink(path);
			snprintf(path, sizeof(path), "%s/%s", dir, names[*n - 'a']);
			rmdir(path);
		}
		rmdir(dir);
	}

	/* pooling: every sample of every run, mean and sample sd over all */
	{
		static struct report_figures pool, a, b;

		memset(&pool, 0, sizeof(pool));
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		a.runs = b.runs = 1;
		a.deepest = 3;
		b.deepest = 2;
		a.max_level = b.max_level = 2;
		a.level[2] = (struct level_figures){ .up = 1, .n = 3, .sample = { 10, 11, 12 } };
		b.level[2] = (struct level_figures){ .up = 1, .n = 3, .sample = { 13, 14, 15 } };
		figures_pool(&pool, &a);
		figures_pool(&pool, &b);
		ok(pool.runs == 2 && pool.level[2].n == 6, "pool: 2 runs, 6 samples of L2");
		ok(fabs(pool.level[2].mean - 12.5) < 1e-9, "pool: mean 12.5 over all samples");
		ok(fabs(pool.level[2].sd - sqrt(17.5 / 5)) < 1e-9, "pool: sample sd over all samples (%.4f)",
		   pool.level[2].sd);
		is_int(pool.deepest, 2, "pool: its depth is the least of its runs'");
	}

	ok(kcidb_time("2026-11-23T09:28:00Z", 12.5, buf, sizeof(buf)) == 0 &&
	   !strcmp(buf, "2026-11-23T09:28:12.500000+00:00"), "start time + 12.5 s: %s", buf);
	ok(kcidb_time("2026-11-23T23:59:59Z", 1.25, buf, sizeof(buf)) == 0 &&
	   !strcmp(buf, "2026-11-24T00:00:00.250000+00:00"), "across midnight: %s", buf);
	ok(kcidb_time("yesterday", 1, buf, sizeof(buf)) < 0, "a bad start time is refused");
	return tap_done();
}
