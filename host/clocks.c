/* clocks.c - each figure's clock and level 1's rate (see clocks.h). */
#include "clocks.h"

#include <math.h>

/* Host lines arrive up to one poll (250 ms) late: below 2 s of host time
 * that error passes 10 %, so no rate is claimed from it. */
#define MIN_HOST_INTERVAL_S 2.0

int level1_clock_rate(const struct run_model *m, struct clock_rate *r)
{
	const struct level_record *l2 = &m->level[2];
	double host;

	if (RUN_MAX_LEVELS < 2 || !l2->up || !(l2->boot_s > 0) || !(l2->started_at_s >= 0) ||
	    !isfinite(l2->boot_s) || !isfinite(l2->up_at_s))
		return -1;
	host = l2->up_at_s - l2->started_at_s;
	if (!(host >= MIN_HOST_INTERVAL_S))
		return -1;
	r->guest_s = l2->boot_s;
	r->host_s = host;
	r->rate = l2->boot_s / host;
	return 0;
}

int clock_rate_comparable(double rate)
{
	return rate >= 0.9 && rate <= 1.1;
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

json_object *clocks_json(const struct run_model *m)
{
	json_object *o = json_object_new_object();
	struct clock_rate r;

	add_str(o, "up_at_s", "host");
	add_str(o, "started_at_s", "host");
	add_str(o, "duration_s", "host");
	add_str(o, "boot_s", "parent");		/* the level above's clock; level 1: its own */
	add_str(o, "uptime_s", "own");
	add_str(o, "launcher_s", "own");
	if (level1_clock_rate(m, &r) == 0) {
		json_object_object_add(o, "level1_guest_per_host", json_object_new_double(r.rate));
		json_object_object_add(o, "level1_interval_guest_s", json_object_new_double(r.guest_s));
		json_object_object_add(o, "level1_interval_host_s", json_object_new_double(r.host_s));
		json_object_object_add(o, "guest_figures_in_host_seconds",
				       json_object_new_boolean(clock_rate_comparable(r.rate)));
	} else {
		json_object_object_add(o, "level1_guest_per_host", NULL);
		json_object_object_add(o, "guest_figures_in_host_seconds", NULL);
	}
	return o;
}
