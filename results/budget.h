/* budget.h - how long a parent waits for its child: the arithmetic only,
 * pure and unit-tested; the supervisor loop asks it what is left.
 *
 * Deep levels are slow in proportion to the levels above them (every exit
 * is handled by each level below), so a fixed timeout is too short at
 * level 4 and far too long at level 2.  A child's time to come up is
 * derived from how long this level itself took to boot, with a floor and a
 * cap; an explicit supernested.timeout overrides it. */
#ifndef SUPERNESTED_BUDGET_H
#define SUPERNESTED_BUDGET_H

/* A child boots in up to this many times our own boot.  The ratio grows
 * with depth: about 4 for L2 and L3, 9-24 for L4 (boot 32-83 s against
 * L3's own 3.5 s, microvm children, small kernel); 40 leaves L4 room on a
 * noisy host.  The floor grows with depth (budget_floor), as each level's
 * boot costs a multiple of its parent's, and the multiple itself grows:
 * a level 3 that came up in 3.5 s would give level 4 only 140 s, and level
 * 4 has taken 104 s in one make check; level 5 took 826 s, 40 times level
 * 4's boot as level 3 measured it (20.6 s), where the machine is saturated
 * by the ticks of the levels above it. */
#define BUDGET_FACTOR 40
#define BUDGET_FLOOR_S 120
#define BUDGET_CAP_S 3600
#define BUDGET_GRACE_S 60	/* per level below, to report their failures up */
#define BUDGET_EXIT_WAIT_S 30	/* after the child's summary, for qemu to exit */

/* A child still booting when its time runs out, and still working (see
 * child.c: its own MMIO exits or the memory it has mapped changed since
 * the last look), gets half as long again, up to BUDGET_EXTEND_TIMES its
 * first budget and never past the cap: deep levels vary by more than
 * twice from run to run (level 5 came up in 826 s once and was still
 * booting, slowly, after 1920 s another time), so a budget that follows
 * the child's progress answers where a fixed one guesses. */
#define BUDGET_EXTEND_STEP 0.5
#define BUDGET_EXTEND_TIMES 4

struct budget {
	double up_within_s;	/* from start until the child reports up */
	double stop_by_s;	/* the run's time limit: stop it this long after
				 * its start, whatever else (budget_stop_by); 0: none */
	double up_limit_s;	/* what extensions may bring it to (budget_extend_limit) */
	double explicit_s;	/* supernested.timeout, or 0: derived */
	int levels_below;	/* levels that may start under the child */
	int child_level;	/* the child's level (1: level 1, the host's child) */
};

struct budget_clock {
	double start;		/* child started (seconds on one monotonic clock) */
	double up_at;		/* it reported up; < 0 not yet */
	double last_activity;	/* its newest line */
	double summary_at;	/* its summary arrived; < 0 not yet */
	double deeper_budget_s;	/* the longest a level below may wait for its
				 * child: announced (child-start budget_s) or
				 * derived from a reported boot; 0: none yet */
};

/* The floor of a derived budget for a child at @child_level: 120 s for
 * L1 and L2, 240 s for L3, 480 s for L4, 1920 s for L5, the cap below. */
double budget_floor(int child_level);

/* Seconds a child at @child_level may take to come up: @explicit_s when
 * > 0, else BUDGET_FACTOR x @own_boot_s within [budget_floor, BUDGET_CAP_S]. */
double budget_up_within(double own_boot_s, double explicit_s, int child_level);

/* The most a child's time to come up may grow to from @up_within_s:
 * BUDGET_EXTEND_TIMES as much, within the cap (a budget beyond the cap
 * already is its own limit). */
double budget_extend_limit(double up_within_s);

/* The child's new time to come up when it has run out (@progressed: it
 * kept working since the last look), or 0: no progress, or at the limit. */
double budget_extended(const struct budget *b, int progressed);

/* The host tool's default limit for a whole run to @max_depth: room for
 * every level to take its whole budget floor (or @explicit_s each when
 * > 0) plus the grace per level, and never below BUDGET_RUN_DEFAULT_S. */
#define BUDGET_RUN_DEFAULT_S 1800
double budget_run_default(int max_depth, double explicit_s);

/* The run's time limit, passed down the chain as a wall-clock time
 * (supernested.deadline, UNIX seconds: the host gives level 1 its start
 * plus --timeout less the margin).  Wall clock, not a level's uptime: a
 * deep child's kernel starts minutes after its qemu (403 s at level 6),
 * and every level's wall clock is set from the one above (its RTC, KVM's
 * wall clock).  A level stops its child a margin before its own deadline,
 * so that the child's failure, its exit counts and this level's summary
 * are out by then, and gives the child a deadline another margin earlier,
 * for the child's own child: the deepest level stops first, and every
 * level's counts reach the host. */
#define BUDGET_DEADLINE_MARGIN_S 10
/* Less time than this left for a child: do not start it (run-limit). */
#define BUDGET_DEADLINE_MIN_CHILD_S 10

/* Seconds after a child's start, at wall-clock @now_s, when the run's
 * limit stops it: @deadline_s (this level's) less @now_s and the margin;
 * 0: no deadline (@deadline_s <= 0); a negative value when the deadline
 * is too near. */
double budget_stop_by(double deadline_s, double now_s);

/* The deadline the child gets at wall-clock @now_s: two margins before
 * @deadline_s (when this level stops it, less the time its own stop
 * takes), and an eighth of the time left earlier still, at most
 * BUDGET_DEADLINE_LAG_MAX_S, for a child whose clock lags ours (a level 5
 * was 29 s behind its parent, the ticks its kernel lost while it booted,
 * and its parent stopped it before it stopped its child); bounded, as an
 * eighth a level would leave the deepest of a 7-level run half its time;
 * 0: none. */
#define BUDGET_DEADLINE_LAG_MAX_S 60
long long budget_child_deadline(long long deadline_s, double now_s);

/* A deadline a level with wall clock @now_s can use: one its clock is
 * plausibly set for (after 2001, not more than BUDGET_DEADLINE_MAX_AHEAD_S
 * ahead); a level whose clock is unset ignores it rather than stop at once. */
#define BUDGET_DEADLINE_MAX_AHEAD_S (10 * 86400)
int budget_deadline_usable(long long deadline_s, double now_s);

/* @b's times to come up and to extend to, within its stop_by_s. */
void budget_within_stop_by(struct budget *b);

/* The run's limit has come for the child: its stop_by_s has passed. */
int budget_run_limit_reached(const struct budget *b, const struct budget_clock *c, double now);

/* A level below announced @budget_s for its child, or a child of a level
 * below came up after @boot_s, from which it derives its own child's
 * budget (budget_up_within): the silence above must allow the longest. */
void budget_note_announced(struct budget_clock *c, double budget_s);
void budget_note_boot(struct budget_clock *c, double boot_s, double explicit_s, int booted_level);

/* Seconds left before the child must be stopped (<= 0: now).  Before up:
 * what is left of up_within_s.  Once up: silence may last as long as its
 * own child could take to come up (explicit_s, or derived from its measured
 * boot the way it derives it, or what a level below announced for its
 * child when that is more: a deep level's budget is far beyond what its
 * ancestors would derive) plus grace per level below.  After its summary: the exit
 * wait.  And an absolute deadline for the whole subtree, so a child that
 * keeps printing (RCU stall warnings) cannot hold its parent forever;
 * never past the run's limit (stop_by_s). */
double budget_left(const struct budget *b, const struct budget_clock *c, double now);

#endif
