/* history.h - runs over time: a table and CSV of date, kernel, depth and
 * per-level boot time from many report.json files, and a gnuplot SVG of
 * boot time per level (one line each) and depth across runs. */
#ifndef SUPERNESTED_HISTORY_H
#define SUPERNESTED_HISTORY_H

#include <stdio.h>

#include "compare.h"

/* Sort by start time, oldest first. */
void history_sort(struct report_figures *runs, int n);
/* Deepest level with figures in any run. */
int history_levels(const struct report_figures *runs, int n);
void print_history(FILE *out, const struct report_figures *runs, int n);
/* CSV: date,kernel,depth,L1_boot_s,...; empty cells for unknown. */
void write_history_csv(FILE *out, const struct report_figures *runs, int n);
/* The gnuplot script drawing @csv_text to @svg_path (malloc'd). */
char *history_script(const char *csv_text, int runs, int levels, int max_depth,
		     const char *svg_path);

#endif
