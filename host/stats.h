/* stats.h - summary statistics of repeated measurements (boot times over
 * passes).  Pure; the sd is the SAMPLE standard deviation (n - 1). */
#ifndef SUPERNESTED_STATS_H
#define SUPERNESTED_STATS_H

struct stats {
	int n;
	double mean, sd, min, max;	/* sd < 0 when n < 2 (undefined) */
};

/* Values < 0 mean "unknown" and are left out. */
void stats_compute(const double *v, int count, struct stats *s);

#endif
