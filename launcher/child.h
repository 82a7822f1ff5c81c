/* child.h - run the next level's qemu and watch it: relay its lines up
 * (reports that pass the chain's rules verbatim, everything else wrapped),
 * time its boot, enforce its budgets, and classify how it ended. */
#ifndef SUPERNESTED_CHILD_H
#define SUPERNESTED_CHILD_H

#include "budget.h"
#include "classify.h"
#include "node.h"
#include "settings.h"
#include "smp_probe.h"
#include "tree.h"

/* How one branch below a child ended, from that child's summaries (one per
 * branch of its subtree in a tree, tree.h): its parent says it again. */
struct child_branch {
	struct node path;	/* where the branch ended */
	int deepest;		/* deepest level up on it */
	enum outcome result;
	struct node failed;	/* where the chain of that branch stopped */
};

struct child_result {
	int came_up;		/* child reported up */
	double boot_s;		/* qemu start -> child up, this level's monotonic clock */
	int deepest;		/* deepest level seen up below this one (0 = none) */
	int summary_seen;	/* child sent its own summary (in a tree: all of them) */
	enum outcome result;	/* child's summary result, or its verdict */
	int failed_level;	/* level where the chain stopped */
	struct verdict verdict;	/* how the child itself ended, when it failed */
	/* in a tree: its subtree's branches, from its summaries (none when it
	 * failed: the branch then ends at the child) */
	struct child_branch branch[TREE_LEAVES_MAX];
	int nbranches;
	long long nbranches_said;	/* how many its summaries say it sends (0: one) */
};

/* One child of this level, as it is started. */
struct child_spec {
	struct node node;		/* its name (node.h) */
	char *const *argv;		/* its qemu, whose fd 3 is the report console */
	const struct vcpu_pins *pins;	/* where its vCPU threads run here */
	const struct budget *budget;
	const char *monitor;		/* its qemu's monitor socket */
};

/* Start the @n children of @c (at most SUPERVISOR_MANY_MAX, NODE_WIDTH_MAX)
 * at once and watch them in one loop to their ends, each within its
 * budget; @res[i] is child i's. */
void children_run(const struct settings *s, const struct child_spec *c, int n,
		  struct child_result *res);

/* Start @argv (qemu, whose fd 3 is the report console) and supervise it
 * to the end, within @b.  With several CPUs here, its vCPU threads are
 * pinned as @pins says (smp_probe.h). */
void child_run(const struct settings *s, char *const argv[], const struct vcpu_pins *pins,
	       const struct budget *b, struct child_result *res);

#endif
