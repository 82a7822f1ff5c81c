/* model.h - the exit-cost model of a nested boot: level N's boot time from
 * its own VM exits and what one of them costs at level 1, fitted on a run's
 * exit counts and used to predict a host we cannot run on.  Pure logic:
 * unit-tested on recorded logs (docs/model.md). */
#ifndef SUPERNESTED_MODEL_H
#define SUPERNESTED_MODEL_H

#include "events.h"
#include "settings.h"	/* the deep levels' tick */

/* The model:
 *     boot(N) = W + X(N) * k^(N-2) * t1
 * X(N): level N's boot exits, counted by its parent; k: exits level 1's KVM
 * handles per exit one level deeper (each level's hypervisor turns one exit
 * of its child into k exits of its own: VMRUN, VMLOAD, VMSAVE, MSRs...);
 * t1: the time level 1 takes for one exit; W: the boot's own work, exits
 * aside (its instructions, run by the accelerator under level 1). */

#define MODEL_RUNS_MAX 16	/* runs (passes) one fit takes */

struct model_obs {		/* one level of one run */
	int run;		/* which run: 0..MODEL_RUNS_MAX-1 (each has its own W) */
	int level;		/* >= 2 */
	double boot_s;		/* up: its parent's measure, qemu start -> up; else < 0 */
	double stopped_s;	/* not up: how long it ran before it was stopped; < 0 unknown */
	double up_at_s;		/* host clock at its up line; < 0 not up */
	long long exits;	/* its boot's exits at its parent; < 0 unknown */
	long long irq;		/* of which its parent's interrupts; < 0 unknown */
	long long exits_l1;	/* level 1's exits during its boot (level 2: = exits) */
};

struct model_fit {
	double k;		/* level-1 exits per exit, per level of nesting */
	double l1_exit_s;	/* t1 */
	double work_s;		/* W: the mean of the runs' */
	double run_work_s[MODEL_RUNS_MAX];	/* each run's W (the machine's speed that run) */
	int nruns;		/* runs with a timed level */
	double own_exits;	/* mean exits of a boot that are not its parent's interrupts */
	double irq_per_s;	/* its parent's interrupts per second of a boot */
	int nk;			/* levels behind k */
	int nt;			/* levels behind t1 and W */
	int t1_given;		/* t1 was set, not fitted */
};

/* A run's levels 2.. as observations.  Returns how many (at most @max). */
int model_obs_from_run(const struct run_model *m, struct model_obs *o, int max);

/* Level 1's exits attributable to @o's boot; < 0 unknown. */
long long model_obs_l1_exits(const struct model_obs *o);

/* Fit k, t1 and W on @n observations of one or more runs.  k: least
 * squares of ln(level-1 exits / own exits) = (N-2) ln k over levels >= 3
 * that came up; t1 and each run's W: least squares of the relative error
 * of boot = W(run) + t1 * (level-1 exits), over levels up and levels
 * stopped after a known time (their exits so far cost that time); a
 * shared machine's speed varies from run to run, so each run has its own
 * W and t1 comes from the levels within runs.  @given_l1_exit_s > 0 fixes
 * t1 (W alone fitted).  0, or -ENODATA when the levels do not hold what a
 * fit needs (a level >= 3 with both counts; a run with two timed levels,
 * or one timed level with t1 given). */
int model_fit(const struct model_obs *o, int n, double given_l1_exit_s, struct model_fit *f);

/* k^(level-2): level-1 exits per exit of @level. */
double model_amplification(const struct model_fit *f, int level);

/* The model's boot time of @level with @exits exits of its own (W: the
 * runs' mean). */
double model_boot_s(const struct model_fit *f, int level, long long exits);

/* The model's boot time of @o, with its run's W. */
double model_obs_boot_s(const struct model_fit *f, const struct model_obs *o);

/* The level after the deepest one up in @o, on the fitted host: its boot
 * at the fitted tick rate (boot_s < 0: starved, tick_load >= 1) and with
 * no tick from its parent at all. */
struct model_next {
	int level;
	double boot_s, tick_load, no_tick_boot_s;
};

/* 0, or -ENODATA when the fit has no own exits or tick rate, or no level
 * >= 2 came up (or the next one is past RUN_MAX_LEVELS). */
int model_next_level(const struct model_obs *o, int n, const struct model_fit *f,
		     struct model_next *out);

/* A host we cannot run on.  A parent's periodic tick interrupts its child
 * irq_per_s times per second of the child's boot, each an exit of the
 * child, so that boot = W + (own + irq_per_s * boot) * k^(N-2) * t1, i.e.
 *     boot(N) = (W + own * a) / (1 - irq_per_s * a),   a = k^(N-2) * t1
 * and a level whose parent's ticks alone need all of level 1
 * (irq_per_s * a >= 1) never comes up: starved. */
struct model_host {
	double l1_exit_s, work_s, own_exits, irq_per_s, k;
	int slow_from;		/* levels this deep and deeper tick slower (0: none) ... */
	double slow_irq_per_s;	/* ... this often: a child of one of them gets these */
};

/* Hardware level 1: published exit costs (docs/model.md). */
#define MODEL_HW_EXIT_US 10.0	/* one exit handled by a nested level 1's KVM */
#define MODEL_HW_WORK_S 0.5	/* a small kernel's boot at native speed */
#define MODEL_HW_TICK_HZ 100.0	/* the image's parent tick (periodic, HZ=100) */
/* from level SETTINGS_DEFAULT_SLOW_TICK_FROM on, every SETTINGS_DEFAULT_SLOW_TICK jiffies */
#define MODEL_HW_SLOW_TICK_HZ (MODEL_HW_TICK_HZ / SETTINGS_DEFAULT_SLOW_TICK)
#define MODEL_BUDGET_S 300.0	/* the depth a user gets within 5 minutes */

/* A hardware level 1 at @exit_us per exit, with the boots of @f and the
 * image's ticks (MODEL_HW_*). */
struct model_host model_host_hw(const struct model_fit *f, double exit_us);

/* The interrupts per second @level gets from its parent on @h. */
double model_host_irq_per_s(const struct model_host *h, int level);

/* Boot time of @level on @h; -1 when starved.  @load (may be NULL): the
 * share of level 1 its parent's ticks take. */
double model_host_boot_s(const struct model_host *h, int level, double *load);

/* Levels 2..@max_level on @h: boot[N] and up_at[N] (from level 1 up,
 * < 0 never); returns the deepest level up within @budget_s (1: none). */
int model_host_depth(const struct model_host *h, double budget_s, int max_level,
		     double *boot, double *up_at);

#endif
