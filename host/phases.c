/* phases.c - boot phases per level (see phases.h). */
#include "phases.h"


void phases_compute(const struct level_record *l, int level, struct level_phases *ph)
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
	} else if (l->first_console_at_s >= 0 && l->first_console_at_s <= l->up_at_s) {
		ph->kernel_at_s = l->first_console_at_s;
		ph->kernel_from = "console";
	}
	if (l->launcher_s >= 0)
		ph->launcher_at_s = l->up_at_s - l->launcher_s;
	if (ph->start_at_s >= 0 && ph->kernel_at_s >= 0)
		ph->qemu_s = ph->kernel_at_s - ph->start_at_s;
	if (ph->kernel_at_s >= 0 && ph->launcher_at_s >= 0)
		ph->kernel_s = ph->launcher_at_s - ph->kernel_at_s;
	if (ph->launcher_at_s >= 0)
		ph->launcher_s = ph->up_at_s - ph->launcher_at_s;
	ph->known = ph->qemu_s >= 0 || ph->kernel_s >= 0 || ph->launcher_s >= 0;
}
