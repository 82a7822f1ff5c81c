/* memory_policy.h - how much memory a level gives its child.
 *
 * The policy, stated once: a level keeps a reserve for itself (kernel, page
 * cache, the qemu process and its page tables, the overlay's tmpfs) and
 * gives the child what is available beyond that.  A child smaller than
 * LEVEL_MIN_MB cannot boot and start a level of its own, so the level
 * refuses and reports "no-memory" instead of starting it.  An explicit
 * request (supernested.mem=) is honoured when it fits, even below the
 * minimum: that is how a user tests a too-small level on purpose. */
#ifndef SUPERNESTED_MEMORY_POLICY_H
#define SUPERNESTED_MEMORY_POLICY_H

#define LEVEL_MIN_MB 256	/* kernel + initrd + launcher + qemu for the next level */
#define RESERVE_BASE_MB 200	/* this level's kernel, page cache and qemu process */

struct mem_plan {
	int child_mb;		/* memory for the child; 0 when refused */
	int reserve_mb;		/* what this level keeps */
	char why[160];		/* refusal reason, "" when the child can start */
};

/* @available_mb: this level's MemAvailable; @total_mb: MemTotal;
 * @requested_mb: supernested.mem, 0 = automatic; @overlay_mb: tmpfs bound. */
int memory_plan(long total_mb, long available_mb, long requested_mb, long overlay_mb,
		struct mem_plan *plan);

#endif
