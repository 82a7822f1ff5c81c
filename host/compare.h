/* compare.h - a run against a reference: depth, per-level outcome and
 * per-level boot time.
 *
 * The rule (pure, unit-tested; docs/verdict.md): the new run regresses when
 *  - it reached fewer levels than the reference, or
 *  - a level's outcome got worse: ok or max-depth in the reference and a
 *    failure now, or a failure class the reference never showed there, or
 *  - a level up in both booted slower than
 *        reference mean + max(20 % of the reference mean, 3 x sd)
 *    where sd is the larger sample sd of the reference and the new run
 *    (boot time: the parent's qemu start -> up; level 1: host start -> up;
 *    mean and sample sd over every pass of every run in the reference; sd
 *    unknown, so +20 %, with fewer than two samples on both sides).
 * A reference is made of good runs only (completed, expected depth met,
 * nothing failed within it: verdict.h; and not flagged by the nightly, which
 * records its status as "nightly": {"exit_status": N} in its history copy):
 * one report, or several pooled (the
 * nightly's window of earlier good runs).  A pinned reference, the oldest
 * good run of the window or one named, is compared with too, so that drift
 * too slow for night-to-night comparisons is still flagged; its sd is the
 * pool's where larger.
 * Reports are report.json files (one run or a --passes run), read with json-c. */
#ifndef SUPERNESTED_COMPARE_H
#define SUPERNESTED_COMPARE_H

#include <stdio.h>

#include "events.h"

#define COMPARE_REL_LIMIT 0.20
#define COMPARE_SD_LIMIT 3.0
#define COMPARE_WINDOW 14		/* good runs a pooled reference keeps */
#define FIGURES_SAMPLES_MAX 256		/* boot times kept per level; more are left out */

struct level_figures {
	int up;			/* up in at least one pass */
	int n;			/* boot times */
	double mean, sd;	/* over them; sd < 0 unknown (fewer than two) */
	double sample[FIGURES_SAMPLES_MAX];
	unsigned failures;	/* failure outcomes seen at this level: bit (1 << enum outcome) */
	int ended;		/* some pass ended here with max-depth */
};

struct report_figures {
	char path[600];
	char started[32], kernel[64];
	char profile[16];	/* the run's --profile; "deep" for a report from before profiles */
	int width;		/* children per level (run --width): 1 for a chain, a report
				 * from before trees too; a tree's deepest is the depth
				 * every branch reached */
	int completed, deepest, max_level, passes;
	int exit_status;	/* as recorded; -1 unknown */
	int expect_depth, max_depth;	/* settings; 0 unknown */
	int good;		/* may be a reference (see above) */
	char not_good[200];	/* why not, for people */
	int runs;		/* runs in these figures: 1, or how many were pooled */
	struct level_figures level[RUN_MAX_LEVELS + 1];
};

/* Read @path (a report.json, or a run directory holding one).
 * 0, or -errno / -EINVAL with a one-line reason in @err. */
int report_figures_load(const char *path, struct report_figures *f, char *err, size_t errlen);

/* Add one run's boot times and outcomes to a pooled reference @pool (zeroed
 * before the first); the pool's depth is the least of its runs'. */
void figures_pool(struct report_figures *pool, const struct report_figures *run);

/* The first failure outcome of a bit set, OUTCOME_NONE for none. */
enum outcome figures_first_failure(unsigned failures);

struct level_check {
	int level;
	double base, base_sd, now, limit;	/* now < 0: no boot time in the new run */
	double noise_sd;	/* the larger sample sd of reference and new run; < 0 unknown */
	int timed;		/* base has a boot time: the time rule applies */
	int regressed;		/* slower than the limit */
	enum outcome base_outcome, now_outcome;	/* first failure, OUTCOME_NONE: fine */
	int outcome_known;	/* the level shows in the new run (up or failed) */
	int outcome_regressed;	/* a failure the reference did not show here */
};

struct comparison {
	int depth_base, depth_new, depth_dropped;
	int nchecks, regressions, outcome_regressions;
	struct level_check check[RUN_MAX_LEVELS];
};

/* Slowest acceptable boot time for a reference level. */
double compare_limit(double base_mean, double base_sd);
void compare_figures(const struct report_figures *base, const struct report_figures *now,
		     struct comparison *c);
/* Anything in @c that is a regression. */
int comparison_regressed(const struct comparison *c);
/* Side-by-side table and a verdict line. */
void print_comparison(FILE *out, const struct report_figures *base,
		      const struct report_figures *now, const struct comparison *c);

struct junit;
/* JUnit: a testsuite @suite with one testcase for depth, and per level one
 * for its outcome and one for its boot time. */
void compare_junit_suite(struct junit *j, const char *suite, const struct report_figures *base,
			 const struct report_figures *now, const struct comparison *c);
/* The same alone in a file. 0 or -errno. */
int write_compare_junit(const char *path, const struct report_figures *base,
			const struct report_figures *now, const struct comparison *c);

/* What compare is asked: references (report.json files, run directories,
 * or history directories of runs), a pin, and the run to judge. */
struct compare_request {
	const char *const *bases;
	int nbases;
	int window;		/* good runs pooled, the newest; 0: COMPARE_WINDOW */
	const char *pin;	/* NULL: the oldest good run of the window when it has two */
	const char *new_path;
	const char *junit;	/* or NULL */
};

enum compare_result {
	COMPARE_OK = 0,			/* no regression */
	COMPARE_REGRESSION = 1,		/* against the pool or the pin */
	COMPARE_NO_REFERENCE = 4,	/* no good run among the references */
	COMPARE_ERROR = 5,		/* unreadable report, unwritable JUnit: @err */
};

/* Judge @q->new_path against the good runs of the references, pooled, and
 * against the pin; not-good runs are named and left out (a failed run is
 * never a reference).  Tables to @out. */
int compare_references(const struct compare_request *q, FILE *out, char *err, size_t errlen);

#endif
