/* child.h - run the next level's qemu and watch it: relay its lines up
 * (reports that pass the chain's rules verbatim, everything else wrapped),
 * time its boot, enforce its budgets, and classify how it ended. */
#ifndef SUPERNESTED_CHILD_H
#define SUPERNESTED_CHILD_H

#include "budget.h"
#include "classify.h"
#include "settings.h"
#include "smp_probe.h"

struct child_result {
	int came_up;		/* child reported up */
	double boot_s;		/* qemu start -> child up, this level's monotonic clock */
	int deepest;		/* deepest level seen up below this one (0 = none) */
	int summary_seen;	/* child sent its own summary before ending */
	enum outcome result;	/* child's summary result, or its verdict */
	int failed_level;	/* level where the chain stopped */
	struct verdict verdict;	/* how the child itself ended, when it failed */
};

/* Start @argv (qemu, whose fd 3 is the report console) and supervise it
 * to the end, within @b.  With several CPUs here, its vCPU threads are
 * pinned as @pins says (smp_probe.h). */
void child_run(const struct settings *s, char *const argv[], const struct vcpu_pins *pins,
	       const struct budget *b, struct child_result *res);

#endif
