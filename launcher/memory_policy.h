/* memory_policy.h - how much memory a level gives its child.
 *
 * The policy, stated once:
 *  - A level keeps a reserve for itself: RESERVE_BASE_MB (kernel, page
 *    cache, the qemu process), the overlay's tmpfs bound, and 1/32 of its
 *    memory (page tables and KVM's structures grow with guest size).
 *  - The child gets what the levels below it need, not all there is: a
 *    level with no level to start below it needs LEVEL_MIN_MB; one that
 *    starts r more levels needs what its kernel keeps (LEVEL_BOOT_MB), its
 *    own reserve, and what its child needs.
 *    Every MiB a nested guest touches costs nested page faults, so a child
 *    sized to its task boots faster (measured: L2 at 0.5 GiB is up 3 s
 *    sooner than at 7 GiB under TCG + nested KVM).
 *  - When there is less room than that, the child gets all the room; below
 *    LEVEL_MIN_MB the level refuses and reports "no-memory".
 *  - An explicit request (supernested.mem=) is honoured when it fits, even
 *    below the minimum: that is how a too-small level is tested on purpose. */
#ifndef SUPERNESTED_MEMORY_POLICY_H
#define SUPERNESTED_MEMORY_POLICY_H

#define LEVEL_MIN_MB 256	/* kernel + initrd + launcher + qemu for the next level */
#define RESERVE_BASE_MB 200	/* this level's kernel, page cache and qemu process */
#define LEVEL_BOOT_MB 180	/* given minus MemAvailable at init (measured: 672 MiB given, 516 available) */
#define OVERLAY_MB 64		/* tmpfs bound of the overlay: the child writes next to nothing */
/* Each child after the first: its qemu process besides guest RAM (an
 * estimate, not measured: a microvm qemu's own resident memory). */
#define CHILD_QEMU_MB 48

struct mem_plan {
	int child_mb;		/* memory for the child; 0 when refused */
	int reserve_mb;		/* what this level keeps */
	int need_mb;		/* what the child and the levels below it need */
	char why[160];		/* refusal reason, "" when the child can start */
};

/* Memory a level needs when it will start @levels_below more levels under
 * it, each with an overlay of @overlay_mb. */
long level_need_mb(int levels_below, long overlay_mb);
/* ... when every level starts @width children at once: each level keeps
 * an overlay and (past the first) a qemu process per child, and its
 * children's needs add up. */
long level_need_tree_mb(int levels_below, long overlay_mb, int width);

/* @available_mb: this level's MemAvailable; @total_mb: MemTotal;
 * @requested_mb: supernested.mem, 0 = automatic; @overlay_mb: tmpfs bound;
 * @child_levels_below: levels the child itself will start (0 at max depth).
 * Returns 0, or -1 with plan->why set when the child cannot start. */
int memory_plan(long total_mb, long available_mb, long requested_mb, long overlay_mb,
		int child_levels_below, struct mem_plan *plan);
/* ... for @width children at once, each the same: the room left after
 * this level's reserve (with an overlay and qemu per child) is divided
 * among them; plan->child_mb is each one's. */
int memory_plan_children(long total_mb, long available_mb, long requested_mb, long overlay_mb,
			 int child_levels_below, int width, struct mem_plan *plan);

/* The transparent huge page mode from the text of
 * /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"):
 * "always", "madvise" or "never"; "unknown" when no mode is selected.
 * qemu asks for huge pages on guest RAM (madvise), and a child on 4 KiB
 * pages takes a nested page fault per 4 KiB it touches: level 4 came up
 * 5-6 times later with transparent_hugepage=never at every level. */
const char *thp_mode(const char *sysfs_text);

#endif
