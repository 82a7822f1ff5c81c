/* run.h - start level 1 and follow the whole chain from the host. */
#ifndef SUPERNESTED_RUN_H
#define SUPERNESTED_RUN_H

#include "events.h"
#include "output.h"
#include "run_tree.h"

struct run_options {
	const char *image;
	const char *out_dir;		/* NULL: results/run-<time> */
	const char *accel;		/* auto, kvm, tcg, bochs */
	const char *cpu_model;		/* Bochs's CPU model; NULL: its default */
	const char *boot;		/* direct, bootloader */
	int mem_mb, smp;		/* level 1; 0 = default */
	int width;			/* children each level starts at once; 0 or 1: a chain */
	int max_depth, expect_depth;
	int level_timeout_s, run_timeout_s;
	int run_timeout_derived;	/* run_timeout_s is budget_run_default's: it
					 * grows with the time levels add (child-extend) */
	int verbose;			/* echo every console line */
	const char *kernel_args;	/* extra words for level 1's command line */
	const char *profile;		/* profile.h's name; NULL: PROFILE_DEFAULT */
};

/* Returns 0 when the run was carried out (whatever it found), -1 on an
 * infrastructure error (message already printed).  Sets up @tree (its
 * chains: one, or one per leaf with --width; run_tree_free) and fills it
 * and @info; writes console.log and report.json into the run directory. */
int run_chain(const struct run_options *o, struct run_tree *tree, struct run_info *info,
	      char *run_dir, size_t run_dir_len);

#endif
