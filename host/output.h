/* output.h - what a run leaves for people and machines: the depth table on
 * the terminal and report.json (through json-c). */
#ifndef SUPERNESTED_OUTPUT_H
#define SUPERNESTED_OUTPUT_H

#include <json-c/json.h>
#include <stdio.h>

#include "events.h"
#include "run_tree.h"
#include "table.h"
#include "verdict.h"

/* What the host knew when it started the run: goes into report.json. */
struct run_info {
	const char *image;
	const char *image_version;	/* from the image's release file (run) or L1's up line */
	const char *image_kernel;	/* the kernel release the image was built around */
	const char *accel, *cpu;	/* level 1's accelerator and CPU model */
	const char *host_cpu, *host_kernel;
	const char *boot;
	int mem_mb, smp, max_depth, expect_depth, level_timeout_s, run_timeout_s;
	double duration_s;
	const char *started;		/* ISO 8601 */
	const char *source;		/* "run" or the parsed log's path */
	int exit_status;
	int image_unchanged;		/* -1 unknown */
	const char *kernel_args;	/* --kernel-args, or NULL */
	const char *profile;		/* --profile (profile.h); NULL: a log parsed without it */
	int width;			/* children per level (--width, or the log's width=); 0, 1: a chain */
};

#include "phases.h"

/* One pass of the chain from a cold start of level 1, and what was seen. */
struct pass_result {
	struct run_model *m;		/* its first branch: the chain a width-1 run is */
	const struct run_tree *tree;	/* all its chains, when it is a tree (width > 1); else NULL */
	struct run_info info;
	char started[32];		/* info.started points here */
};

/* What a run (or a parsed log) produced: one or more passes. */
struct run_results {
	struct pass_result *pass;
	int npasses;
	int max_depth;			/* levels to report; 0: those seen */
};

/* The run's settings as name/value strings (JUnit properties, KCIDB misc). */
void settings_each(const struct run_info *info,
		   void (*fn)(void *ctx, const char *name, const char *value), void *ctx);


/* report.json as a json-c object (the caller puts it). */
json_object *report_json(const struct run_results *r);

/* Write report.json to @path (atomically): the settings, the result and levels of the
 * pass that reached the least depth (the first when equal), every pass,
 * and per-level statistics over the passes. Returns 0 or -errno. */
int write_report_json(const char *path, const struct run_results *r);

/* Write a results file so that @path is always whole, the old file or the
 * new one, never half of one (a reader, a crash, a full disk): @fn writes a
 * temporary file beside it, which is synced and renamed over @path.
 * Returns 0 or -errno (errno set too). */
typedef int (*results_writer)(const char *path, const struct run_results *r);
int write_results_atomic(const char *path, results_writer fn, const struct run_results *r);

/* A pass's verdict (verdict.h): a chain's, or a tree's worst branch's;
 * returns the index of the chain that decided (0 for a chain). */
int pass_verdict(const struct pass_result *p, int expect_depth, struct run_verdict *v);
int pass_verdict_exit(const struct pass_result *p, int expect_depth);

/* A tree pass (width > 1) for people: one row per node, named by its path
 * (L1, L1.1, L1.1.1, ...), then its notes; and each branch's end and the
 * run's verdict, the worst branch's. */
void print_tree_verdict(FILE *out, const struct pass_result *p, int expect_depth);

/* The tests the CI formats (TAP, JUnit, KCIDB) give a pass: a chain's
 * levels (verdict_levels: to @max_depth when known), named by depth; a
 * tree's every node to its depth, depth-first, named by path ("1.2.1"),
 * each judged on the first chain through it (never-started nodes: SKIP).
 * Returns how many were written into @out (room for @max). */
#define PASS_TESTS_MAX RUN_TREE_NODES_MAX
struct pass_test {
	const struct run_model *m;	/* the chain through it */
	int level;			/* its level on that chain */
	char name[NODE_NAME_MAX];	/* "3"; a tree's "1.2.1" */
	char id[NODE_NAME_MAX];		/* the same without dots, for ids and paths: "1-2-1" */
};
int pass_tests(const struct pass_result *p, int max_depth, struct pass_test *out, int max);

/* Index of the pass that reached the least depth (the first when equal). */
int worst_pass(const struct run_results *r);

/* Per level over the passes: mean ± sd (sample), min, max of boot time. */
void print_stats_table(FILE *out, const struct run_results *r);

/* " " then @s right-aligned in @width columns (printf counts bytes; a
 * UTF-8 character such as '±' takes two). */
void put_col(FILE *out, const char *s, int width);

/* Per level: qemu start -> kernel -> launcher -> up, host clock. */
void print_timeline(FILE *out, const struct pass_result *p);

/* Each level's boot exits by kind and the top reasons and I/O ports, as
 * its parent counted them (child-exits lines); nothing when none came. */
void print_exit_profile(FILE *out, const struct run_model *m);


#endif
