/* memory_policy.c - the child memory policy described in memory_policy.h. */
#include "memory_policy.h"

#include <stdio.h>
#include <string.h>

/* What a level keeps for itself when it starts @width children. */
static long reserve_mb(long total_mb, long overlay_mb, int width)
{
	return RESERVE_BASE_MB + width * overlay_mb + (width - 1) * CHILD_QEMU_MB + total_mb / 32;
}

long level_need_tree_mb(int levels_below, long overlay_mb, int width)
{
	long need = LEVEL_MIN_MB;

	if (width < 1)
		width = 1;
	/* need = boot + reserve(need) + width * need_below, solved for need;
	 * 1/32 of the reserve and another 1/32 for the kernel's struct pages */
	for (int r = 1; r <= levels_below && r < 64 && need < (1L << 30); r++)
		need = ((LEVEL_BOOT_MB + RESERVE_BASE_MB + width * overlay_mb +
			 (width - 1) * CHILD_QEMU_MB + width * need) * 32 + 29) / 30;
	return need;
}

long level_need_mb(int levels_below, long overlay_mb)
{
	return level_need_tree_mb(levels_below, overlay_mb, 1);
}

int memory_plan(long total_mb, long available_mb, long requested_mb, long overlay_mb,
		int child_levels_below, struct mem_plan *plan)
{
	return memory_plan_children(total_mb, available_mb, requested_mb, overlay_mb,
				    child_levels_below, 1, plan);
}

int memory_plan_children(long total_mb, long available_mb, long requested_mb, long overlay_mb,
			 int child_levels_below, int width, struct mem_plan *plan)
{
	long reserve, room;

	if (width < 1)
		width = 1;
	reserve = reserve_mb(total_mb, overlay_mb, width);
	room = (available_mb - reserve) / width;	/* each child's share */
	memset(plan, 0, sizeof(*plan));
	plan->reserve_mb = (int)reserve;
	plan->need_mb = (int)level_need_tree_mb(child_levels_below, overlay_mb, width);

	if (requested_mb > 0) {
		if (requested_mb > room) {
			snprintf(plan->why, sizeof(plan->why),
				 "asked for %ld MiB but only %ld MiB can be given%s (available %ld, reserve %ld)",
				 requested_mb, room > 0 ? room : 0, width > 1 ? " to each child" : "",
				 available_mb, reserve);
			return -1;
		}
		plan->child_mb = (int)requested_mb;
		return 0;
	}
	if (room < LEVEL_MIN_MB) {
		snprintf(plan->why, sizeof(plan->why),
			 "only %ld MiB available, need %d MiB for %s plus %ld MiB reserve",
			 available_mb, LEVEL_MIN_MB, width > 1 ? "each child" : "the next level", reserve);
		return -1;
	}
	plan->child_mb = (int)((plan->need_mb < room ? plan->need_mb : room) & ~1L);
	return 0;
}

const char *thp_mode(const char *sysfs_text)
{
	static const char *const modes[] = { "always", "madvise", "never" };
	char selected[16];

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		snprintf(selected, sizeof(selected), "[%s]", modes[i]);
		if (strstr(sysfs_text, selected))
			return modes[i];
	}
	return "unknown";
}
