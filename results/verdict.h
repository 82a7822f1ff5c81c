/* verdict.h - the verdict rules, stated once: which level failed, and what
 * a run's exit status is.  Used by the host tool's run and parse, its CI
 * formats (JUnit, TAP, KCIDB), compare and the nightly script (through
 * report.json).  Pure logic over the run model; docs/verdict.md says the
 * same in words.
 *
 * - A level failed when its parent (or, for level 1, the host) saw it fail:
 *   it never came up and has a failure outcome, or it came up and then
 *   died (panic, oom, kvm-error, qemu-crash, qemu-exit, timeout).  A level
 *   that came up and stopped going deeper by itself (no-virt, no-memory,
 *   ...) did not fail: the level below it was not reached.
 * - The expected depth is --expect-depth; without it, the run's max depth
 *   (every level the run was to start).  Levels beyond it are exploration.
 * - Exit status, first rule that applies:
 *     1  a level at or above the expected depth failed (a kernel failure);
 *     3  such a level ended with no verdict on the kernel (the tool or the
 *        launcher broke: internal-error, config-error, or the run did not
 *        finish: log cut, run's time limit, run-limit), or the run did not finish;
 *     1  fewer levels came up than expected;
 *     0  otherwise (a failure beyond the expected depth is reported, not
 *        failed on).
 *   2 (usage) is the command line's, never a run's. */
#ifndef SUPERNESTED_VERDICT_H
#define SUPERNESTED_VERDICT_H

#include <stddef.h>

#include "events.h"

enum verdict_status {
	VERDICT_PASS = 0,	/* exit 0 */
	VERDICT_FAIL = 1,	/* exit 1: a failure or too shallow */
	VERDICT_USAGE = 2,	/* exit 2: never from a run */
	VERDICT_INFRA = 3,	/* exit 3: no verdict on the kernel */
};

enum verdict_why {
	VERDICT_WHY_MET,	/* expected depth reached, nothing failed within it */
	VERDICT_WHY_LEVEL_FAILED,	/* a level within the expected depth failed */
	VERDICT_WHY_NO_VERDICT,	/* a level within it ended with no verdict on the kernel */
	VERDICT_WHY_UNFINISHED,	/* the run did not finish */
	VERDICT_WHY_SHALLOW,	/* fewer levels came up than expected */
};

struct run_verdict {
	enum verdict_status status;
	enum verdict_why why;
	int expected;		/* the depth expected (see above) */
	int expected_given;	/* from --expect-depth */
	int level;		/* the level that decided (failed, no verdict); 0 none */
	enum outcome outcome;	/* its outcome */
	int explored;		/* a level beyond the expected depth failed: this one */
	enum outcome explored_outcome;
};

/* Which of two exit statuses says more: 1 (a failure proven) over 3 (no
 * verdict) over 0; usage errors above all. */
int verdict_status_rank(int status);

/* Not a verdict on the kernel: the tool, the launcher or the run broke
 * (no outcome, internal-error, config-error, the run's own time limit,
 * as the host saw it or as a level stopped its child for it: run-limit). */
int verdict_outcome_is_infrastructure(const struct run_model *m, enum outcome o);

/* @o, recorded on a level that came up, says the level itself died (panic,
 * oom, kvm-error, qemu-crash, qemu-exit, timeout), not that it stopped
 * going deeper. */
int verdict_outcome_is_death(enum outcome o);

/* Level @n failed by the rule above; @why gets its outcome (may be an
 * infrastructure one).  0 for a level that is fine or was never started. */
int verdict_level_failed(const struct run_model *m, int n, enum outcome *why);

/* The depth a run is held to: @expect_depth when > 0, else the run's max
 * depth (level 1's maxdepth), else every level seen. */
int verdict_expected_depth(const struct run_model *m, int expect_depth);

void verdict_run(const struct run_model *m, int expect_depth, struct run_verdict *v);

/* One line for people: "expected depth 2: FAILED (level 2 came up and then
 * failed: panic)".  Returns snprintf's count. */
int verdict_describe(const struct run_model *m, const struct run_verdict *v, char *buf, size_t len);

/* The same, a level named @names[level] where that is not NULL (a tree's
 * "L1.2", run_tree_level_names) instead of "level 2"; @names may be NULL,
 * else it has a slot for every level up to REPORT_LEVEL_MAX. */
int verdict_describe_named(const struct run_model *m, const struct run_verdict *v,
			   const char *const *names, char *buf, size_t len);

#endif
