/* clocks.h - which clock each figure of report.json is on, and how fast
 * level 1's own clock ran against the host's: under Bochs the guest's
 * clock runs tens of times slower than the wall, so its boot_s and
 * uptime_s say nothing in host seconds. */
#ifndef SUPERNESTED_CLOCKS_H
#define SUPERNESTED_CLOCKS_H

#include "events.h"

#include <json-c/json.h>

/* Level 1's clock against the host's, measured on one interval both saw:
 * level 2's boot, from level 1's child-start line to its child-up line,
 * on level 1's clock (boot_s) and on the host's (the lines' arrival). */
struct clock_rate {
	double rate;		/* level 1's seconds per host second (1: the same) */
	double guest_s, host_s;	/* the interval on each clock */
};

/* Returns 0, or -1 when the run has no such interval (no level 2 came
 * up, or an interval too short to measure). */
int level1_clock_rate(const struct run_model *m, struct clock_rate *r);

/* Whether a rate lets level 1's figures stand for host seconds: within
 * 10 % of the host's. */
int clock_rate_comparable(double rate);

/* report.json's "clock" object: each figure's clock, and the measured rate. */
json_object *clocks_json(const struct run_model *m);

#endif
