/* history.c - runs over time (see history.h). */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_start(const void *a, const void *b)
{
	const struct report_figures *x = a, *y = b;

	return strcmp(x->started, y->started);
}

void history_sort(struct report_figures *runs, int n)
{
	qsort(runs, (size_t)n, sizeof(runs[0]), by_start);
}

int history_levels(const struct report_figures *runs, int n)
{
	int levels = 0;

	for (int r = 0; r < n; r++)
		for (int i = 1; i <= runs[r].max_level; i++)
			if (runs[r].level[i].up && i > levels)
				levels = i;
	return levels;
}

void print_history(FILE *out, const struct report_figures *runs, int n)
{
	int levels = history_levels(runs, n);

	/* the profile: a deep and a full run are two benchmarks, side by side;
	 * so are a chain and a tree (width: children per level; its depth is
	 * the one every branch reached) */
	fprintf(out, "%-20s %-18s %-7s %5s %5s", "date", "kernel", "profile", "width", "depth");
	for (int i = 1; i <= levels; i++)
		fprintf(out, " %10s%-2d", "boot L", i);
	fprintf(out, "  verdict\n");
	for (int r = 0; r < n; r++) {
		fprintf(out, "%-20s %-18.18s %-7.7s %5d %5d", runs[r].started[0] ? runs[r].started : "?",
			runs[r].kernel[0] ? runs[r].kernel : "?",
			runs[r].profile[0] ? runs[r].profile : "deep",
			runs[r].width > 1 ? runs[r].width : 1, runs[r].deepest);
		for (int i = 1; i <= levels; i++) {
			const struct level_figures *l = &runs[r].level[i];

			if (l->up && l->n)
				fprintf(out, " %10.1f s", l->mean);
			else
				fprintf(out, " %12s", "-");
		}
		/* a failed run stays in the history, never becomes a baseline */
		if (runs[r].good)
			fprintf(out, "  good\n");
		else
			fprintf(out, "  FAILED: %s\n", runs[r].not_good);
	}
}

void write_history_csv(FILE *out, const struct report_figures *runs, int n)
{
	int levels = history_levels(runs, n);

	fprintf(out, "date,kernel,depth");
	for (int i = 1; i <= levels; i++)
		fprintf(out, ",L%d_boot_s", i);
	fprintf(out, ",good\n");
	for (int r = 0; r < n; r++) {
		/* dates and kernel releases hold no commas or quotes */
		fprintf(out, "%s,%s,%d", runs[r].started, runs[r].kernel, runs[r].deepest);
		for (int i = 1; i <= levels; i++) {
			const struct level_figures *l = &runs[r].level[i];

			if (l->up && l->n)
				fprintf(out, ",%.3f", l->mean);
			else
				fputc(',', out);
		}
		fprintf(out, ",%d\n", runs[r].good);
	}
}

char *history_script(const char *csv_text, int runs, int levels, int max_depth,
		     const char *svg_path)
{
	char *s = NULL;

	if (asprintf(&s,
		     "set terminal svg size 900,500 dynamic font 'sans,11'\n"
		     "set output '%s'\n"
		     "$runs << EOD\n%sEOD\n"
		     "set datafile separator ','\n"
		     "set datafile missing ''\n"
		     "set title 'supernested: boot time per level and depth across runs'\n"
		     "set xlabel 'run (oldest first)'\nset ylabel 'boot time (s)'\n"
		     "set y2label 'depth reached'\nset y2tics 1\nset ytics nomirror\n"
		     "set y2range [0:%d]\nset yrange [0:*]\nset xrange [0.5:%d.5]\nset xtics 1\n"
		     "set key outside bottom center horizontal\nset grid\n"
		     "plot for [i=1:%d] $runs using ($0+1):(column(3+i)) every ::1 "
		     "with linespoints title sprintf('L%%d boot', i), "
		     "$runs using ($0+1):3 every ::1 axes x1y2 with steps lw 2 dt 2 title 'depth', "
		     "$runs using ($0+1):(column(%d) == 0 ? column(3) : 1/0) every ::1 axes x1y2 "
		     "with points pt 2 ps 2 lw 2 lc rgb 'red' title 'failed run (never a baseline)'\n",
		     svg_path, csv_text, max_depth + 1, runs, levels > 0 ? levels : 1,
		     4 + (levels > 0 ? levels : 1)) < 0)
		return NULL;
	return s;
}
