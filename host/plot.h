/* plot.h - pictures through gnuplot (Debian gnuplot-nox): the per-run
 * timeline next to report.json and the history plot.  The script goes to
 * gnuplot's stdin with its data inline, so no temporary files. */
#ifndef SUPERNESTED_PLOT_H
#define SUPERNESTED_PLOT_H

#include "output.h"

/* Run gnuplot on @script, waiting at most 60 s.  0; -ENOENT when gnuplot
 * is not installed; -EIO when it failed (its first error line in @err). */
int gnuplot_run(const char *script, char *err, size_t errlen);

/* The gnuplot script of a run's timeline: one bar per level (and pass) from
 * qemu start to up, split into its phases; *@nbars: how many bars it
 * draws.  Returns a malloc'd string. */
char *timeline_script(const struct run_results *r, const char *svg_path, int *nbars);

/* Paths go into the script in single quotes: none may hold one. */
int plot_path_ok(const char *path);

/* Write @svg_path; prints one line and returns <0 when it could not. */
int plot_timeline(const struct run_results *r, const char *svg_path);

#endif
