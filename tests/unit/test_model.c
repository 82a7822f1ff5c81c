/* test_model.c - the exit-cost model fitted on recorded real runs (level 1
 * under TCG, levels 2-5 under nested KVM on AMD SVM): how close it comes to
 * the measured boots, and what it predicts for a host it never ran on. */
#include "saved_log.h"
#include "tap.h"
#include "model.h"
#include "model_json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static struct run_model m;

/* Append @name's levels to @o (at @n); returns the new count, -1 unread. */
static int add_log(const char *name, struct model_obs *o, int n, int max)
{
	char path[512];

	/* read as parse reads a console.log */
	snprintf(path, sizeof(path), "%s/tests/data/logs/%s", SRCDIR, name);
	if (saved_log_read(path, &m, 0) < 0)
		return -1;
	return n + model_obs_from_run(&m, o + n, max - n);
}

static double rel_err(const struct model_fit *f, const struct model_obs *o)
{
	double t = o->boot_s > 0 ? o->boot_s : o->stopped_s;

	return (model_obs_boot_s(f, o) - t) / t;
}

static void test_depth5_up(void)
{
	struct model_obs o[RUN_MAX_LEVELS];
	struct model_fit f;
	double lk = 0, kk = 0;
	int n = add_log("run-depth5-up.log", o, 0, RUN_MAX_LEVELS);

	ok(n == 4, "depth-5 run: levels 2-5 (%d)", n);
	if (n != 4)
		return;
	for (int i = 0; i < n; i++)
		ok(o[i].level == i + 2 && o[i].boot_s > 0 && o[i].exits > 0 && model_obs_l1_exits(&o[i]) > 0,
		   "L%d up with its exits at its parent and at level 1", o[i].level);
	ok(model_obs_l1_exits(&o[0]) == o[0].exits, "level 2's exits are level 1's");
	ok(model_fit(o, n, 0, &f) == 0, "fit");
	ok(f.nk == 3 && f.nt == 4, "k from L3-L5, time from L2-L5 (%d, %d)", f.nk, f.nt);
	/* k: least squares of ln(L1 exits / exits) = (N-2) ln k, by hand */
	for (int i = 1; i < n; i++) {
		double d = o[i].level - 2;

		lk += d * log((double)o[i].exits_l1 / (double)o[i].exits);
		kk += d * d;
	}
	ok(fabs(f.k - exp(lk / kk)) < 1e-9, "k = %.3f, the least-squares one", f.k);
	ok(model_amplification(&f, 5) > 400 && model_amplification(&f, 5) < 1400,
	   "an exit of level 5 costs %.0f level-1 exits (400-1400 measured)", model_amplification(&f, 5));
	ok(f.l1_exit_s > 1.0 / 15000 && f.l1_exit_s < 1.0 / 9000,
	   "level 1 under TCG: %.0f exits/s (about 11 000 measured)", 1 / f.l1_exit_s);
	ok(f.work_s > 0 && f.work_s < o[0].boot_s, "W %.2f s: below level 2's whole boot", f.work_s);
	for (int i = 0; i < n; i++)
		ok(fabs(rel_err(&f, &o[i])) < 0.20, "L%d: model %.1f s against %.1f s measured (%+.0f%%)",
		   o[i].level, model_boot_s(&f, o[i].level, o[i].exits), o[i].boot_s,
		   rel_err(&f, &o[i]) * 100);
	/* the tick share: most of level 5's exits are its parent's interrupts */
	ok(o[3].irq * 10 > o[3].exits * 9, "L5: %lld of %lld exits its parent's interrupts",
	   o[3].irq, o[3].exits);
	ok(f.own_exits > 2000 && f.own_exits < 3000, "own exits per boot %.0f: the same at every level",
	   f.own_exits);

	/* t1 given: W alone, the weighted mean of what the exits leave */
	{
		struct model_fit g;
		double s = 0, st = 0;

		ok(model_fit(o, n, 100e-6, &g) == 0 && g.t1_given && g.l1_exit_s == 100e-6, "fit, t1 given");
		for (int i = 0; i < n; i++) {
			double w = 1 / (o[i].boot_s * o[i].boot_s);

			s += w;
			st += w * (o[i].boot_s - 100e-6 * (double)model_obs_l1_exits(&o[i]));
		}
		ok(fabs(g.work_s - (st / s > 0 ? st / s : 0)) < 1e-9, "W %.3f s given t1", g.work_s);
		ok(model_boot_s(&g, 5, o[3].exits) > model_boot_s(&f, 5, o[3].exits),
		   "a dearer level-1 exit makes level 5 slower");
	}
}

/* Three depth-5 runs of the same image pooled: the two whose level 5 was
 * stopped count with the time they were given. */
static void test_pooled(void)
{
	static struct model_obs o[RUN_MAX_LEVELS * 4];
	const int max = RUN_MAX_LEVELS * 4;
	struct model_fit f;
	int n = 0, stopped = 0;

	struct model_fit one;
	const char *const logs[] = { "run-depth5-up.log", "run-depth5-l5-slow.log",
				     "run-depth5-l5-starved.log" };
	double worst = 0, worst_one = 0;
	int run_of[RUN_MAX_LEVELS * 4];

	for (int r = 0; r < 3 && n >= 0; r++) {
		int from = n;

		n = add_log(logs[r], o, n, max);
		for (int i = from; i < n; i++)
			o[i].run = r;
	}
	ok(n == 12, "three depth-5 runs: 12 levels (%d)", n);
	if (n != 12)
		return;
	ok(model_fit(o, n, 0, &f) == 0, "pooled fit");
	ok(f.nk == 7 && f.nt == 12 && f.nruns == 3, "k from the 7 levels >= 3 that came up, "
	   "t1 from all 12, a W for each of 3 runs (%d, %d, %d)", f.nk, f.nt, f.nruns);
	ok(f.run_work_s[1] > 2 * f.run_work_s[0], "the machine was slower in the second run: "
	   "W %.2f s against %.2f s", f.run_work_s[1], f.run_work_s[0]);
	ok(fabs(f.work_s - (f.run_work_s[0] + f.run_work_s[1] + f.run_work_s[2]) / 3) < 1e-9,
	   "W: the runs' mean");
	/* the same levels as one run: one W for all */
	for (int i = 0; i < n; i++) {
		run_of[i] = o[i].run;
		o[i].run = 0;
	}
	ok(model_fit(o, n, 0, &one) == 0 && one.nruns == 1, "pooled as one run");
	for (int i = 0; i < n; i++)
		if (o[i].boot_s > 0 && fabs(rel_err(&one, &o[i])) > worst_one)
			worst_one = fabs(rel_err(&one, &o[i]));
	for (int i = 0; i < n; i++)
		o[i].run = run_of[i];
	for (int i = 0; i < n; i++) {
		if (o[i].boot_s > 0) {
			double e = (model_obs_boot_s(&f, &o[i]) - o[i].boot_s) / o[i].boot_s;

			ok(fabs(e) < 0.25, "pooled, run %d, L%d: %+.0f%%", o[i].run + 1, o[i].level, e * 100);
			worst = fabs(e) > worst ? fabs(e) : worst;
			continue;
		}
		stopped++;
		ok(o[i].level == 5 && o[i].stopped_s > 0, "L5 stopped after %.0f s", o[i].stopped_s);
		/* level 1's throughput holds: the level-1 exits it caused in
		 * the time it had cost about that time */
		ok(fabs(f.run_work_s[o[i].run] + f.l1_exit_s * (double)o[i].exits_l1 - o[i].stopped_s) <
		   0.5 * o[i].stopped_s, "L5 stopped: its %lld level-1 exits cost %.0f s of %.0f s",
		   o[i].exits_l1, f.run_work_s[o[i].run] + f.l1_exit_s * (double)o[i].exits_l1,
		   o[i].stopped_s);
		/* an exit stream of its parent's interrupts alone costs more
		 * level-1 exits each than a boot's mix: the model's k is low there */
		if (o[i].irq * 100 > o[i].exits * 99)
			ok(rel_err(&f, &o[i]) < -0.5 && (double)o[i].exits_l1 / (double)o[i].exits >
			   3 * model_amplification(&f, 5), "L5 starved: %.0f level-1 exits per exit, "
			   "model %.0f: the model under-predicts it (%+.0f%%)",
			   (double)o[i].exits_l1 / (double)o[i].exits, model_amplification(&f, 5),
			   rel_err(&f, &o[i]) * 100);
		else
			ok(fabs(rel_err(&f, &o[i])) < 0.5, "L5 slow: its exits cost %.0f s of %.0f s",
			   model_obs_boot_s(&f, &o[i]), o[i].stopped_s);
	}
	ok(stopped == 2, "two levels stopped");
	ok(worst < worst_one, "a W per run: worst error %.0f%%, against %.0f%% with one W", worst * 100,
	   worst_one * 100);
}

static void test_no_fit(void)
{
	struct model_obs o[RUN_MAX_LEVELS];
	struct model_fit f;
	int n = add_log("run-depth2-max-depth.log", o, 0, RUN_MAX_LEVELS);

	ok(n >= 1, "depth-2 run read");
	ok(model_fit(o, n, 0, &f) == -ENODATA, "no level 3: no k, no fit");
	ok(model_fit(o, 0, 0, &f) == -ENODATA, "nothing: no fit");
}

static void test_host(void)
{
	struct model_host h = { .l1_exit_s = 10e-6, .work_s = 0.5, .own_exits = 2400,
				.irq_per_s = 100, .k = 7.5 };
	double boot[9], up_at[9], load, prev = 0;
	int depth, deeper;

	for (int i = 2; i <= 5; i++) {
		double b = model_host_boot_s(&h, i, &load), a = pow(7.5, i - 2) * 10e-6;

		ok(b > prev, "L%d boots slower than its parent (%.2f s)", i, b);
		/* the fixed point: its boot pays its own exits and the ticks during it */
		ok(fabs(b - (0.5 + (2400 + 100 * b) * a)) < 1e-6 * b, "L%d: boot = W + (own + ticks) x a", i);
		ok(fabs(load - 100 * a) < 1e-12, "L%d: tick load %.0f%%", i, load * 100);
		prev = b;
	}
	prev = model_host_boot_s(&h, 6, &load);
	ok(prev < 0 && load >= 1, "L6 starved: ticks need %.0f%% of level 1", load * 100);
	depth = model_host_depth(&h, 300, 8, boot, up_at);
	ok(depth == 5, "depth within 300 s: %d", depth);
	ok(up_at[5] > up_at[4] && up_at[6] < 0 && up_at[7] < 0, "up times add up; none past a starved level");
	ok(model_host_depth(&h, up_at[4], 8, boot, up_at) == 4, "a budget ending at L4's up time: depth 4");
	h.l1_exit_s = 2e-6;
	deeper = model_host_depth(&h, 300, 8, boot, up_at);
	ok(deeper >= depth, "cheaper exits never reach less deep (%d)", deeper);
	h.l1_exit_s = 10e-6;
	h.slow_from = 4;
	h.slow_irq_per_s = 12.5;
	ok(model_host_irq_per_s(&h, 4) == 100 && model_host_irq_per_s(&h, 5) == 12.5,
	   "slow tick from level 4 (a host of the test): level 4 gets level 3's 100/s, level 5 level 4's 12.5/s");
	model_host_boot_s(&h, 6, &load);
	ok(fabs(load - 12.5 * pow(7.5, 4) * 10e-6) < 1e-12, "L6: its parent's slow tick, load %.0f%%",
	   load * 100);
	ok(model_host_depth(&h, 300, 8, boot, up_at) == 6, "a slow deep tick: depth 6 within 300 s");
	h.irq_per_s = 0;
	h.slow_irq_per_s = 0;
	ok(model_host_boot_s(&h, 8, NULL) > 0, "no tick: never starved, only slow");
}

static json_object *key(json_object *o, const char *k)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

/* model --json: the same figures the table prints, one object per level */
static void test_json(void)
{
	struct model_obs o[RUN_MAX_LEVELS];
	struct model_hw_ask hw = { .exit_us = 10, .budget_s = 300, .max_level = MODEL_HW_LEVELS };
	struct model_fit f;
	struct model_next nx;
	json_object *j, *levels, *next, *h;
	int n = add_log("run-depth5-up.log", o, 0, RUN_MAX_LEVELS), good = 1, rc;

	if (n != 4 || model_fit(o, n, 0, &f) < 0) {
		ok(0, "depth-5 run fitted for JSON");
		return;
	}
	rc = model_next_level(o, n, &f, &nx);
	ok(rc == 0 && nx.level == 6 && nx.boot_s < 0 && nx.tick_load >= 1 &&
	   nx.no_tick_boot_s > 0, "next level: L%d starved (load %.1f), %.0f s with no tick", nx.level,
	   nx.tick_load, nx.no_tick_boot_s);
	j = model_json(o, n, &f, NULL);
	ok(fabs(json_object_get_double(key(key(j, "fit"), "k")) - f.k) < 1e-12 &&
	   fabs(json_object_get_double(key(key(j, "fit"), "l1_exit_us")) - f.l1_exit_s * 1e6) < 1e-9 &&
	   !json_object_get_boolean(key(key(j, "fit"), "exact")), "fit: k, t1, not exact");
	levels = key(j, "levels");
	ok(json_object_array_length(levels) == 4, "a level each");
	for (int i = 0; i < n; i++) {
		json_object *l = json_object_array_get_idx(levels, (size_t)i);
		double model = model_obs_boot_s(&f, &o[i]);

		good &= json_object_get_int(key(l, "level")) == o[i].level &&
			json_object_get_int(key(l, "pass")) == 1 &&
			json_object_get_int64(key(l, "exits")) == o[i].exits &&
			fabs(json_object_get_double(key(l, "boot_s")) - o[i].boot_s) < 1e-9 &&
			fabs(json_object_get_double(key(l, "model_s")) - model) < 1e-9 &&
			fabs(json_object_get_double(key(l, "error")) - rel_err(&f, &o[i])) < 1e-9 &&
			key(l, "stopped_s") == NULL;
	}
	ok(good, "each level: its exits, boot, model and error as the table has them");
	next = key(j, "next");
	ok(json_object_get_int(key(next, "level")) == 6 && json_object_get_boolean(key(next, "starved")) &&
	   key(next, "boot_s") == NULL, "next: L6 starved, no boot time");
	ok(key(j, "hw") == NULL && !json_object_object_get_ex(j, "hw", NULL), "no hw unless asked");
	json_object_put(j);

	j = model_json(o, n, &f, &hw);
	h = key(j, "hw");
	levels = key(h, "levels");
	ok(json_object_get_int(key(h, "depth")) == 6,
	   "hw: depth 6 within 300 s at 10 us, levels 5 and deeper served a 12.5 Hz tick");
	ok(json_object_array_length(levels) == 6 &&
	   json_object_get_boolean(key(json_object_array_get_idx(levels, 5), "starved")),
	   "hw: L2-L6, then L7 starved and nothing past it");
	ok(json_object_get_double(key(h, "slow_tick_hz")) == 12.5 &&
	   json_object_get_int(key(h, "slow_tick_from")) == 3, "hw: the deep levels' tick, 12.5 Hz from level 3");
	json_object_put(j);

	/* a stopped level: its time is the budget, no boot */
	n = add_log("run-depth5-l5-slow.log", o, 0, RUN_MAX_LEVELS);
	if (n == 4 && model_fit(o, n, 0, &f) == 0) {
		json_object *l;

		j = model_json(o, n, &f, NULL);
		l = json_object_array_get_idx(key(j, "levels"), 3);
		ok(key(l, "boot_s") == NULL && json_object_get_double(key(l, "stopped_s")) > 0 &&
		   key(l, "up_at_s") == NULL && key(l, "error") != NULL, "stopped L5: no boot, its budget, an error");
		json_object_put(j);
	} else {
		ok(0, "slow depth-5 run fitted");
	}
}

int main(void)
{
	test_depth5_up();
	test_pooled();
	test_no_fit();
	test_host();
	test_json();
	return tap_done();
}
