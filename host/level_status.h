/* level_status.h - one verdict per level for CI formats (JUnit, TAP, KCIDB):
 * did level N come up, fail, hit an infrastructure error, or was it never
 * attempted?  Pure logic over the run model. */
#ifndef SUPERNESTED_LEVEL_STATUS_H
#define SUPERNESTED_LEVEL_STATUS_H

#include "events.h"

enum level_status { LEVEL_PASS, LEVEL_FAIL, LEVEL_ERROR, LEVEL_SKIP };

struct level_verdict {
	enum level_status status;
	enum outcome outcome;		/* why it failed or why the chain ended */
	const char *detail;		/* "" when none */
	int blame;			/* level whose record holds the evidence; 0 none */
	char message[300];		/* one line for people */
};

/* KCIDB spelling: PASS, FAIL, ERROR, SKIP. */
const char *level_status_name(enum level_status s);

/* Levels to report: @max_depth when known (> 0), else every level seen. */
int verdict_levels(const struct run_model *m, int max_depth);

void level_verdict(const struct run_model *m, int n, struct level_verdict *v);

/* Seconds from qemu start to up: the parent's measure, or for level 1 the
 * host clock at its up line (the host starts qemu at 0).  <0 unknown. */
double level_boot_time(const struct run_model *m, int n);

#endif
