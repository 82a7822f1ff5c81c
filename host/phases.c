/* phases.c - boot phases per level (see phases.h). */
#include "phases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void phase_log_init(struct phase_log *p)
{
	for (int i = 0; i <= RUN_MAX_LEVELS; i++)
		p->level[i] = (struct phase_stamps){ .first_console_at_s = -1, .launcher_s = -1 };
	p->last_s = 0;
}

static void first_console(struct phase_log *p, long n)
{
	if (n >= 1 && n <= RUN_MAX_LEVELS && p->level[n].first_console_at_s < 0)
		p->level[n].first_console_at_s = p->last_s;
}

void phase_log_line(struct phase_log *p, const char *line)
{
	struct report r;
	double t;
	size_t off;
	int len = 0;

	if (sscanf(line, "[+%lfs]%n", &t, &len) == 1 && len > 0) {
		p->last_s = t;
		line += len;
		line += *line == ' ';
	}
	if (report_parse(line, &r, &off) != 0) {
		if (*line)	/* level 1's own kernel talking */
			first_console(p, 1);
		return;
	}
	if (r.level < 1 || r.level > RUN_MAX_LEVELS)
		return;
	if (!strcmp(r.event, "console"))
		first_console(p, r.level);
	else if (!strcmp(r.event, "up") && report_get(&r, "launcher_s"))
		p->level[r.level].launcher_s = strtod(report_get(&r, "launcher_s"), NULL);
}

void phases_compute(const struct level_record *l, int level, const struct phase_stamps *st,
		    struct level_phases *ph)
{
	*ph = (struct level_phases){ .start_at_s = -1, .kernel_at_s = -1, .launcher_at_s = -1,
				     .up_at_s = -1, .qemu_s = -1, .kernel_s = -1,
				     .launcher_s = -1, .kernel_from = "" };
	ph->start_at_s = level == 1 ? 0 : l->started_at_s;
	if (!l->up)
		return;
	ph->up_at_s = l->up_at_s;
	if (l->uptime_s >= 0) {
		ph->kernel_at_s = l->up_at_s - l->uptime_s;
		ph->kernel_from = "uptime";
	} else if (st && st->first_console_at_s >= 0 && st->first_console_at_s <= l->up_at_s) {
		ph->kernel_at_s = st->first_console_at_s;
		ph->kernel_from = "console";
	}
	if (st && st->launcher_s >= 0)
		ph->launcher_at_s = l->up_at_s - st->launcher_s;
	if (ph->start_at_s >= 0 && ph->kernel_at_s >= 0)
		ph->qemu_s = ph->kernel_at_s - ph->start_at_s;
	if (ph->kernel_at_s >= 0 && ph->launcher_at_s >= 0)
		ph->kernel_s = ph->launcher_at_s - ph->kernel_at_s;
	if (ph->launcher_at_s >= 0)
		ph->launcher_s = ph->up_at_s - ph->launcher_at_s;
	ph->known = ph->qemu_s >= 0 || ph->kernel_s >= 0 || ph->launcher_s >= 0;
}
