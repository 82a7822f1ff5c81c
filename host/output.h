/* output.h - what a run leaves for people and machines: the depth table on
 * the terminal and report.json (through json-c). */
#ifndef SUPERNESTED_OUTPUT_H
#define SUPERNESTED_OUTPUT_H

#include <stdio.h>

#include "events.h"

/* What the host knew when it started the run: goes into report.json. */
struct run_info {
	const char *image;
	const char *accel, *cpu;	/* level 1's accelerator and CPU model */
	const char *host_cpu, *host_kernel;
	const char *boot;
	int mem_mb, smp, max_depth, expect_depth, level_timeout_s, run_timeout_s;
	double duration_s;
	const char *started;		/* ISO 8601 */
	const char *source;		/* "run" or the parsed log's path */
	int exit_status;
	int image_unchanged;		/* -1 unknown */
};

void print_table(FILE *out, const struct run_model *m);

/* Each level's boot exits by kind and the top reasons and I/O ports, as
 * its parent counted them (child-exits lines); nothing when none came. */
void print_exit_profile(FILE *out, const struct run_model *m);

/* Write report.json to @path. Returns 0 or -errno. */
int write_report_json(const char *path, const struct run_model *m, const struct run_info *info);

/* One line: "depth 3 (max-depth) ..." */
void print_verdict(FILE *out, const struct run_model *m, const struct run_info *info);

#endif
