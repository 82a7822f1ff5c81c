/* test_stats.c - mean and SAMPLE standard deviation against known values. */
#include "tap.h"
#include "stats.h"

#include <math.h>

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

int main(void)
{
	/* the textbook set: mean 5, population sd 2, sample sd sqrt(32/7) */
	const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	const double gaps[] = { 10.0, -1, 12.0 };
	const double one[] = { 3.5 }, none[] = { -1, -1 };
	struct stats s;

	stats_compute(v, 8, &s);
	is_int(s.n, 8, "count");
	ok(near(s.mean, 5.0), "mean 5");
	ok(near(s.sd, sqrt(32.0 / 7.0)), "sample sd sqrt(32/7) = %.6f, not the population's 2", s.sd);
	ok(near(s.min, 2) && near(s.max, 9), "min 2, max 9");

	stats_compute(gaps, 3, &s);
	is_int(s.n, 2, "unknown values (<0) left out");
	ok(near(s.mean, 11.0) && near(s.sd, sqrt(2.0)), "mean 11, sd sqrt(2) over 10 and 12");

	stats_compute(one, 1, &s);
	ok(s.n == 1 && near(s.mean, 3.5) && s.sd < 0, "one value: mean, sd undefined");
	stats_compute(none, 2, &s);
	ok(s.n == 0 && s.mean < 0, "nothing known: n 0");
	/* large offset: two-pass sd keeps its precision */
	{
		const double big[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };

		stats_compute(big, 4, &s);
		ok(fabs(s.sd - sqrt(30.0)) < 1e-6, "sd sqrt(30) around 1e9: %.9f", s.sd);
	}
	return tap_done();
}
