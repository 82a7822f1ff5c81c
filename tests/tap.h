/* tap.h - a tiny TAP producer for unit tests, in the spirit of kselftest.h.
 * Each test binary prints "ok N - name" / "not ok N - name" and a plan;
 * tap_done() prints the closing "N passed, N failed" line and the exit code. */
#ifndef SUPERNESTED_TAP_H
#define SUPERNESTED_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

#include "slurp.h"

static int tap_n, tap_failed, tap_skipped;

#define ok(cond, ...) tap_ok_((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

static inline __attribute__((format(printf, 4, 5)))
void tap_ok_(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
}

/* String equality with both values shown on failure. */
#define is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int p_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_; \
	tap_ok_(p_, __FILE__, __LINE__, __VA_ARGS__); \
	if (!p_) printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

#define is_int(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	tap_ok_(g_ == w_, __FILE__, __LINE__, __VA_ARGS__); \
	if (g_ != w_) printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
} while (0)

static inline void tap_skip(const char *why)
{
	tap_n++;
	tap_skipped++;
	printf("ok %d # SKIP %s\n", tap_n, why);
}

/* A test input file as a NUL-terminated string (free it), or NULL. */
static inline char *tap_slurp(const char *path)
{
	return slurp(path, 0, NULL);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	printf("# %d passed, %d failed, %d skipped\n",
	       tap_n - tap_failed - tap_skipped, tap_failed, tap_skipped);
	return tap_failed ? 1 : 0;
}

#endif
