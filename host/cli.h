/* cli.h - what every subcommand of the host tool shares: its exit
 * statuses, the options that say what to make of results, and the one-line
 * usage error. */
#ifndef SUPERNESTED_CLI_H
#define SUPERNESTED_CLI_H

#include "verdict.h"

enum exit_status {	/* a run's: verdict.h */
	EXIT_DONE = VERDICT_PASS,	/* completed, expected depth met, nothing within it failed */
	EXIT_TOO_SHALLOW = VERDICT_FAIL,	/* a level failed, too shallow, or a regression */
	EXIT_USAGE = VERDICT_USAGE,	/* bad command line */
	EXIT_INFRA = VERDICT_INFRA,	/* could not run or finish: image, qemu, time limit */
};

/* What to make of the results, whichever command produced them. */
struct output_options {
	const char *json, *junit, *kcidb, *baseline, *svg;
	int tap, timeline, exits, passes, max_depth_given;
};

/* "supernested: WHAT (try: supernested --help)" on stderr; returns EXIT_USAGE. */
int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* @text as an integer in [@min, @max] into *@out: 0, or -1 (nothing stored). */
int parse_num(const char *text, long min, long max, int *out);

#endif
