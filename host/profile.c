/* profile.c - the run profiles, as a table (see profile.h). */
#include "profile.h"
#include "settings.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* full undoes each default of launcher/settings.h: pc instead of microvm,
 * the CPU with its PMU, no tune words (early PCI scans, TSC-deadline,
 * tickless and high-resolution timers all back); the quotes keep an empty
 * tune a value on the kernel command line. */
static const struct run_profile profiles[] = {
	/* A tickless level 1 under TCG once halted for good in its idle loop,
	 * interrupts on, every level below waiting on it (a wake-up lost with
	 * a one-shot timer); a periodic tick wakes it within 10 ms, and cost
	 * nothing measurable (L2-L4 0.93-1.01x, docs/measurements.md). */
	{ "deep", "", "", "", TUNE_PERIODIC_TICK, 0, 0,
	  "the defaults: microvm, no guest PMU, LAPIC timer without TSC-deadline, periodic tick" },
	/* Under a TCG level 1, a 2-CPU level 2 on the TSC-deadline timer lost
	 * its timer interrupts in 2 of 5 boots (an RCU stall, never up), as
	 * the deep defaults' single CPU did in 3 of 8 (settings.h): there the
	 * levels below keep the LAPIC timer, and say so (exercised.timer). */
	{ "full",
	  "supernested.machine=pc supernested.cpu=host supernested.machine_opts= supernested.tune=\"\"",
	  "supernested.tune=" TUNE_NO_TSC_DEADLINE,
	  "a level 2 on the TSC-deadline timer under a TCG level 1 lost its timer in 2 of 5 boots",
	  "", 2, 2, "pc with PCI and virtio-pci, guest PMU, TSC-deadline timer, tickless, 2 vCPUs, 2 children per level" },
};

const struct run_profile *run_profile_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(name, profiles[i].name))
			return &profiles[i];
	return NULL;
}

const char *run_profile_names(void)
{
	static char names[64];
	size_t n = sizeof(profiles) / sizeof(profiles[0]), at = 0;

	for (size_t i = 0; i < n && at < sizeof(names); i++) {
		int w = snprintf(names + at, sizeof(names) - at, "%s%s", i == 0 ? "" :
				 i + 1 == n ? " or " : ", ", profiles[i].name);

		if (w < 0)
			break;
		at += (size_t)w;
	}
	return names;
}

const char *run_profile_of(const char *recorded)
{
	return recorded && *recorded ? recorded : PROFILE_DEFAULT;
}
