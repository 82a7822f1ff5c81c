/* history.h - runs over time: a table and CSV of date, kernel, depth and
 * per-level boot time from many report.json files, and a gnuplot SVG of
 * boot time per level (one line each) and depth across runs, failed runs
 * marked (they stay in the history and are never a baseline). */
#ifndef SUPERNESTED_HISTORY_H
#define SUPERNESTED_HISTORY_H

#include <stdio.h>

#include "compare.h"

/* Sort by start time, oldest first. */
void history_sort(struct report_figures *runs, int n);
/* Deepest level with figures in any run. */
int history_levels(const struct report_figures *runs, int n);
void print_history(FILE *out, const struct report_figures *runs, int n);
/* CSV: date,kernel,depth,L1_boot_s,...,good; empty cells for unknown;
 * good is 1 for a run that may be a baseline, 0 for a failed one. */
void write_history_csv(FILE *out, const struct report_figures *runs, int n);
/* The gnuplot script drawing @csv_text to @svg_path (malloc'd). */
char *history_script(const char *csv_text, int runs, int levels, int max_depth,
		     const char *svg_path);

#endif
