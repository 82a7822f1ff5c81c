/* phases.h - each level's boot split into phases on the host clock:
 *   qemu start -> kernel start -> launcher (init) start -> up.
 * qemu start is the parent's child-start line (0 for level 1, which the host
 * starts); kernel and launcher start come from the level's own clocks in its
 * up line (uptime_s, launcher_s), counted back from the host time of that
 * line.  Children boot with `quiet`, so their first console line comes
 * late or never: it stands in for the kernel start only when uptime_s is
 * missing.  Pure logic. */
#ifndef SUPERNESTED_PHASES_H
#define SUPERNESTED_PHASES_H

#include "events.h"

/* What the run model does not keep, gathered from the same lines. */
struct phase_stamps {
	double first_console_at_s;	/* host clock of its first kernel line; <0 none */
	double launcher_s;		/* up's launcher_s; <0 unknown */
};

struct phase_log {
	struct phase_stamps level[RUN_MAX_LEVELS + 1];
	double last_s;
};

void phase_log_init(struct phase_log *p);
/* A console.log line ("[+12.345s] ..." stamp first), as events_line takes it. */
void phase_log_line(struct phase_log *p, const char *line);

struct level_phases {
	int known;		/* up, with a start and a kernel start */
	double start_at_s, kernel_at_s, launcher_at_s, up_at_s;	/* host clock; <0 unknown */
	double qemu_s, kernel_s, launcher_s;	/* start->kernel, kernel->launcher, launcher->up */
	const char *kernel_from;	/* "uptime", "console" or "" */
};

void phases_compute(const struct level_record *l, int level, const struct phase_stamps *st,
		    struct level_phases *out);

#endif
