/* profile.h - named sets of what the levels below level 1 run on: "deep"
 * (the launcher's defaults, tuned to reach deep) and "full" (a pc machine
 * with PCI and virtio-pci, the guest PMU, the TSC-deadline timer, a
 * tickless kernel, 2 vCPUs, 2 children per level).  A profile is kernel words for level 1, which
 * passes them down, and a CPU count; each level then reports what it
 * really exercised (its up line's exercised field). */
#ifndef SUPERNESTED_PROFILE_H
#define SUPERNESTED_PROFILE_H

#define PROFILE_DEFAULT "deep"

struct run_profile {
	const char *name;
	const char *kernel_words;	/* for level 1's command line, before --kernel-args */
	const char *tcg_words;		/* after them when level 1 runs under TCG; "" none */
	const char *tcg_why;		/* ... and why, said in one line */
	const char *tcg_level1_words;	/* level 1's own kernel words under TCG; "" none */
	int smp;			/* CPUs of every level unless --smp says; 0: the default */
	int width;			/* children of every level unless --width says; 0: one */
	const char *what;		/* for people */
};

/* The profile called @name, or NULL. */
const struct run_profile *run_profile_find(const char *name);

/* "deep or full", for a usage error. */
const char *run_profile_names(void);

/* The profile a report.json names; one from before profiles names none,
 * and ran the defaults: "deep". */
const char *run_profile_of(const char *recorded);

#endif
