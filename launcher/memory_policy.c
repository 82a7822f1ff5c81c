/* memory_policy.c - the child memory policy described in memory_policy.h. */
#include "memory_policy.h"

#include <stdio.h>
#include <string.h>

static long reserve_mb(long total_mb, long overlay_mb)
{
	return RESERVE_BASE_MB + overlay_mb + total_mb / 32;
}

long level_need_mb(int levels_below, long overlay_mb)
{
	long need = LEVEL_MIN_MB;

	/* need = boot + reserve(need) + need_below, solved for need; 1/32 of
	 * the reserve and another 1/32 for the kernel's struct pages */
	for (int r = 1; r <= levels_below && r < 64; r++)
		need = ((LEVEL_BOOT_MB + RESERVE_BASE_MB + overlay_mb + need) * 32 + 29) / 30;
	return need;
}

int memory_plan(long total_mb, long available_mb, long requested_mb, long overlay_mb,
		int child_levels_below, struct mem_plan *plan)
{
	long reserve = reserve_mb(total_mb, overlay_mb), room = available_mb - reserve;

	memset(plan, 0, sizeof(*plan));
	plan->reserve_mb = (int)reserve;
	plan->need_mb = (int)level_need_mb(child_levels_below, overlay_mb);

	if (requested_mb > 0) {
		if (requested_mb > room) {
			snprintf(plan->why, sizeof(plan->why),
				 "asked for %ld MiB but only %ld MiB can be given (available %ld, reserve %ld)",
				 requested_mb, room > 0 ? room : 0, available_mb, reserve);
			return -1;
		}
		plan->child_mb = (int)requested_mb;
		return 0;
	}
	if (room < LEVEL_MIN_MB) {
		snprintf(plan->why, sizeof(plan->why),
			 "only %ld MiB available, need %d MiB for the next level plus %ld MiB reserve",
			 available_mb, LEVEL_MIN_MB, reserve);
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
