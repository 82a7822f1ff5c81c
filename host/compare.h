/* compare.h - a run against a baseline: depth and per-level boot time.
 *
 * The rule (pure, unit-tested): the new run regresses when
 *  - it reached fewer levels than the baseline, or
 *  - a level up in both booted slower than
 *        baseline mean + max(20 % of the baseline mean, 3 x baseline sd)
 *    (boot time: the parent's qemu start -> up; level 1: host start -> up;
 *    mean over passes; sd is 0 when the baseline has one pass).
 * Reports are report.json files (one run or a --passes run), read with json-c. */
#ifndef SUPERNESTED_COMPARE_H
#define SUPERNESTED_COMPARE_H

#include <stdio.h>

#include "events.h"

#define COMPARE_REL_LIMIT 0.20
#define COMPARE_SD_LIMIT 3.0

struct level_figures {
	int up;			/* up in at least one pass */
	int n;			/* passes with a boot time */
	double mean, sd;	/* boot time; sd < 0 unknown (one pass) */
};

struct report_figures {
	char path[600];
	char started[32], kernel[64];
	int completed, deepest, max_level, passes;
	struct level_figures level[RUN_MAX_LEVELS + 1];
};

/* Read @path (a report.json, or a run directory holding one).
 * 0, or -errno / -EINVAL with a one-line reason in @err. */
int report_figures_load(const char *path, struct report_figures *f, char *err, size_t errlen);

struct level_check {
	int level;
	double base, base_sd, now, limit;	/* now < 0: not up in the new run */
	int regressed;
};

struct comparison {
	int depth_base, depth_new, depth_dropped;
	int nchecks, regressions;
	struct level_check check[RUN_MAX_LEVELS];
};

/* Slowest acceptable boot time for a baseline level. */
double compare_limit(double base_mean, double base_sd);
void compare_figures(const struct report_figures *base, const struct report_figures *now,
		     struct comparison *c);
/* Side-by-side table and a verdict line. */
void print_comparison(FILE *out, const struct report_figures *base,
		      const struct report_figures *now, const struct comparison *c);
/* JUnit: one testcase for depth, one per level's boot time. 0 or -errno. */
int write_compare_junit(const char *path, const struct report_figures *base,
			const struct report_figures *now, const struct comparison *c);

#endif
