/* phases.h - each level's boot split into phases on the host clock:
 *   qemu start -> kernel start -> launcher (init) start -> up.
 * qemu start is the parent's child-start line (0 for level 1, which the host
 * starts); kernel and launcher start come from the level's own clocks in its
 * up line (uptime_s, launcher_s), counted back from the host time of that
 * line.  Children boot with `quiet`, so their first console line comes
 * late or never: it stands in for the kernel start only when uptime_s is
 * missing.  Everything comes from the run model, so only reports that
 * passed the chain's rules count.  Pure logic. */
#ifndef SUPERNESTED_PHASES_H
#define SUPERNESTED_PHASES_H

#include "events.h"

struct level_phases {
	int known;		/* up, with a start and a kernel start */
	double start_at_s, kernel_at_s, launcher_at_s, up_at_s;	/* host clock; <0 unknown */
	double qemu_s, kernel_s, launcher_s;	/* start->kernel, kernel->launcher, launcher->up */
	const char *kernel_from;	/* "uptime", "console" or "" */
};

void phases_compute(const struct level_record *l, int level, struct level_phases *out);

#endif
