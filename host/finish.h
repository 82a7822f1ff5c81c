/* finish.h - everything after a chain ran (live or read from a log):
 * tables, report.json, the CI formats, the baseline, and the exit status
 * by the verdict rules (verdict.h). */
#ifndef SUPERNESTED_FINISH_H
#define SUPERNESTED_FINISH_H

#include "cli.h"
#include "events.h"
#include "output.h"

/* A pass's exit status by the verdict rules. */
int verdict_exit(const struct run_model *m, int expect_depth);

/* Print and write every result of @r (report.json to @json when set),
 * then compare with --baseline.  Results are written before any verdict
 * is returned.  Returns the tool's exit status. */
int finish(struct run_results *r, const struct output_options *oo, const char *json,
	   int expect_depth);

#endif
