/* stats.c - mean, sample sd, min, max (see stats.h). */
#include "stats.h"

#include <math.h>

void stats_compute(const double *v, int count, struct stats *s)
{
	double sum = 0, sq = 0;

	*s = (struct stats){ .sd = -1, .min = -1, .max = -1, .mean = -1 };
	for (int i = 0; i < count; i++) {
		if (v[i] < 0)
			continue;
		if (s->n == 0 || v[i] < s->min)
			s->min = v[i];
		if (s->n == 0 || v[i] > s->max)
			s->max = v[i];
		sum += v[i];
		s->n++;
	}
	if (s->n == 0)
		return;
	s->mean = sum / s->n;
	/* two passes over the data: no cancellation as with sum of squares */
	for (int i = 0; i < count; i++)
		if (v[i] >= 0)
			sq += (v[i] - s->mean) * (v[i] - s->mean);
	if (s->n >= 2)
		s->sd = sqrt(sq / (s->n - 1));
}
