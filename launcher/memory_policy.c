/* memory_policy.c - the child memory policy described in memory_policy.h. */
#include "memory_policy.h"

#include <stdio.h>
#include <string.h>

int memory_plan(long total_mb, long available_mb, long requested_mb, long overlay_mb,
		struct mem_plan *plan)
{
	long reserve, room;

	memset(plan, 0, sizeof(*plan));
	/* Page tables and KVM's own structures grow with guest size: 1/32. */
	reserve = RESERVE_BASE_MB + overlay_mb + total_mb / 32;
	room = available_mb - reserve;
	plan->reserve_mb = (int)reserve;

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
	plan->child_mb = (int)(room & ~1L);	/* even MiB: friendlier to huge pages */
	return 0;
}
