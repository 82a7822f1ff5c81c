/* test_budget.c - how long a parent waits: the arithmetic, with numbers
 * from real runs (L1 up at ~4 s under TCG, L2 at ~9 s, L3 at ~30 s). */
#include "tap.h"
#include "budget.h"

#include <math.h>

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

int main(void)
{
	struct budget b = { .up_within_s = 120, .levels_below = 1, .child_level = 2 };
	struct budget_clock c = { .start = 1000, .up_at = -1, .last_activity = 1000, .summary_at = -1 };

	ok(near(budget_up_within(1.8, 0, 2), BUDGET_FLOOR_S), "L1 booted in 1.8 s: L2 gets the floor, 120 s");
	ok(near(budget_up_within(4.5, 0, 2), 180), "L1 booted in 4.5 s: L2 gets 40 x 4.5 = 180 s");
	ok(near(budget_up_within(3.5, 0, 4), 480), "L3 booted in 3.5 s: L4 gets its floor, 480 s, not 140 s");
	ok(near(budget_up_within(31, 0, 4), 1240), "L3 booted in 31 s: L4 gets 1240 s");
	ok(near(budget_up_within(500, 0, 2), BUDGET_CAP_S), "a 500 s boot: capped at 1 h");
	ok(near(budget_up_within(-1, 0, 2), BUDGET_FLOOR_S), "unknown boot: the floor");
	ok(near(budget_up_within(8.8, 45, 4), 45), "an explicit timeout wins, at any depth");
	ok(near(budget_floor(1), 120) && near(budget_floor(2), 120) && near(budget_floor(3), 240) &&
	   near(budget_floor(4), 480), "floors: 120 s for L1 and L2, doubling from L3 to 480 s at L4");
	ok(near(budget_floor(5), 1920), "floor at L5: 1920 s, twice the 826 s level 5 took");
	ok(near(budget_floor(6), BUDGET_CAP_S) && near(budget_floor(64), BUDGET_CAP_S) &&
	   near(budget_floor(0), BUDGET_FLOOR_S), "floors: capped at 1 h from L6 on; nonsense gets the first");

	ok(near(budget_run_default(4, 0), BUDGET_RUN_DEFAULT_S), "run to depth 4: the default 1800 s (floors add to 1200 s)");
	ok(near(budget_run_default(5, 0), 120 + 120 + 240 + 480 + 1920 + 5 * BUDGET_GRACE_S),
	   "run to depth 5: every floor and grace, 3180 s");
	ok(near(budget_run_default(3, 1000), 3 * (1000 + BUDGET_GRACE_S)), "run with an explicit level timeout: that per level");
	ok(near(budget_run_default(0, 0), BUDGET_RUN_DEFAULT_S), "no levels: the default");

	b.up_limit_s = budget_extend_limit(120);
	ok(near(b.up_limit_s, 480), "extension limit: 4 times a 120 s budget");
	ok(near(budget_extend_limit(1920), BUDGET_CAP_S), "extension limit: level 5's 1920 s only to the cap");
	ok(near(budget_extend_limit(5000), 5000), "extension limit: a budget past the cap is its own limit");
	ok(near(budget_extended(&b, 0), 0), "no progress since the last look: no more time");
	ok(near(budget_extended(&b, 1), 180), "progress: half as long again, 180 s");
	b.up_within_s = 405;
	ok(near(budget_extended(&b, 1), 480), "progress near the limit: up to the limit, 480 s");
	b.up_within_s = 480;
	ok(near(budget_extended(&b, 1), 0), "at the limit: no more, progress or not");
	b.up_within_s = 120;

	ok(near(budget_left(&b, &c, 1000), 120), "before up: all of up_within left at start");
	ok(near(budget_left(&b, &c, 1100), 20), "before up: 20 s left after 100 s");
	ok(budget_left(&b, &c, 1121) < 0, "before up: over after 121 s");

	c.up_at = c.last_activity = 1010;	/* child up after 10 s: its child may take 400 s */
	ok(near(budget_left(&b, &c, 1010), 400 + 2 * BUDGET_GRACE_S),
	   "once up: its own child's derived budget plus grace per level");
	ok(near(budget_left(&b, &c, 1110), 300 + 2 * BUDGET_GRACE_S), "silence counts from the last line");
	c.last_activity = 1200;
	ok(near(budget_left(&b, &c, 1200), 400 + 2 * BUDGET_GRACE_S), "a new line resets the silence");

	/* a level below gave its child 1317 s (its own derived budget): our
	 * child's silence may last that long, not the 400 s we would derive */
	c.deeper_budget_s = 1317;
	ok(near(budget_left(&b, &c, 1200), 1317 + 2 * BUDGET_GRACE_S),
	   "once up: a deeper level's announced budget, when longer, bounds the silence");
	c.deeper_budget_s = 100;
	ok(near(budget_left(&b, &c, 1200), 400 + 2 * BUDGET_GRACE_S), "a shorter one changes nothing");
	c.deeper_budget_s = 0;
	budget_note_announced(&c, 500);
	budget_note_announced(&c, 300);
	ok(near(c.deeper_budget_s, 500), "announced budgets: the longest is kept");
	budget_note_boot(&c, 20, 0, 3);	/* level 3 up after 20 s: level 4 may get 800 s */
	ok(near(c.deeper_budget_s, 800), "a deeper level's boot: what it derives for its child");
	budget_note_boot(&c, 1, 0, 4);	/* level 4 up after 1 s: level 5's floor, 1920 s */
	ok(near(c.deeper_budget_s, 1920), "a deeper level's boot: at least its child's floor");
	budget_note_boot(&c, 50, 45, 4);
	ok(near(c.deeper_budget_s, 1920), "an explicit timeout derives nothing longer");
	c.deeper_budget_s = 0;

	/* the absolute deadline: a child that keeps talking cannot hold us forever */
	c.last_activity = 1000 + 120 + BUDGET_CAP_S + 2 * BUDGET_GRACE_S - 1;
	ok(near(budget_left(&b, &c, c.last_activity), 1), "subtree deadline bounds a chatty child");
	ok(budget_left(&b, &c, c.last_activity + 2) < 0, "and ends it");

	c.summary_at = 1300;
	c.last_activity = 1300;
	ok(near(budget_left(&b, &c, 1300), BUDGET_EXIT_WAIT_S), "after its summary: the exit wait");
	ok(budget_left(&b, &c, 1300 + BUDGET_EXIT_WAIT_S + 1) < 0, "exit wait over");

	b = (struct budget){ .up_within_s = 30, .explicit_s = 30, .levels_below = 0 };
	c = (struct budget_clock){ .start = 0, .up_at = 5, .last_activity = 5, .summary_at = -1 };
	ok(near(budget_left(&b, &c, 5), BUDGET_GRACE_S), "last level up: only the grace to say goodbye");
	b.levels_below = 2;
	ok(near(budget_left(&b, &c, 5), 30 + 3 * BUDGET_GRACE_S), "explicit timeout used for silence too");

	/* the run's limit, passed down: level 1 of a 600 s run started at
	 * wall clock T (its deadline T + 590) plans its child at T + 2 */
	const double T = 1796601600;	/* 2026-12-07 */
	ok(near(budget_stop_by(0, T + 2), 0), "no deadline: no stop_by");
	ok(near(budget_stop_by(T + 590, T + 2), 590 - 2 - BUDGET_DEADLINE_MARGIN_S),
	   "stop the child a margin before our deadline");
	ok(budget_stop_by(T + 590, T + 585) < 0, "too near: negative, never 0 (none)");
	ok(budget_child_deadline((long long)T + 590, T + 590) == (long long)T + 590 - 2 * BUDGET_DEADLINE_MARGIN_S,
	   "the child's deadline: two margins earlier (ours to stop it, its own to stop its child)");
	ok(budget_child_deadline((long long)T + 400, T) == (long long)T + 400 - 2 * BUDGET_DEADLINE_MARGIN_S - 50,
	   "and an eighth of the time left earlier, for a child whose clock lags ours");
	ok(budget_child_deadline((long long)T + 1600, T) ==
	   (long long)T + 1600 - 2 * BUDGET_DEADLINE_MARGIN_S - BUDGET_DEADLINE_LAG_MAX_S,
	   "at most BUDGET_DEADLINE_LAG_MAX_S: a deep chain keeps most of its time");
	ok(budget_child_deadline((long long)T + 590, T + 600) == (long long)T + 590 - 2 * BUDGET_DEADLINE_MARGIN_S,
	   "past it: no eighth of nothing");
	ok(budget_child_deadline(0, T) == 0, "no deadline: the child gets none");
	ok(budget_deadline_usable((long long)T + 590, T + 2), "a set clock uses the deadline");
	ok(!budget_deadline_usable((long long)T + 590, 30.5), "a clock never set (1970) ignores it");
	ok(!budget_deadline_usable((long long)T + 590, T - 11 * 86400.0), "a clock 11 days behind ignores it");
	ok(budget_deadline_usable((long long)T + 590, T + 1000), "a clock past it uses it (and stops at once)");
	ok(!budget_deadline_usable(0, T), "no deadline: nothing to use");
	b = (struct budget){ .up_within_s = 1920, .up_limit_s = 3600, .stop_by_s = 500, .levels_below = 1 };
	budget_within_stop_by(&b);
	ok(near(b.up_within_s, 500) && near(b.up_limit_s, 500), "time to come up and its extensions: within stop_by");
	b = (struct budget){ .up_within_s = 120, .up_limit_s = 480, .stop_by_s = 0 };
	budget_within_stop_by(&b);
	ok(near(b.up_within_s, 120) && near(b.up_limit_s, 480), "no stop_by: unchanged");
	b = (struct budget){ .up_within_s = 120, .stop_by_s = 300, .levels_below = 2 };
	c = (struct budget_clock){ .start = 100, .up_at = 110, .last_activity = 380, .summary_at = -1 };
	ok(near(budget_left(&b, &c, 380), 20), "up and talking: still stopped at stop_by");
	ok(!budget_run_limit_reached(&b, &c, 399.9), "not yet");
	ok(budget_run_limit_reached(&b, &c, 400), "the run's limit has come");
	b.stop_by_s = 0;
	ok(!budget_run_limit_reached(&b, &c, 1e6), "no limit never comes");
	return tap_done();
}
