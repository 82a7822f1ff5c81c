/* cmd_history.c - `supernested history RESULTS_DIR...` (cmd_history.h). */
#include "cmd_history.h"
#include "cli.h"
#include "history.h"
#include "plot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_history(int argc, char **argv)
{
	const char *csv = NULL, *svg = NULL;
	struct report_figures *runs;
	char err[700];
	int i = 2, n = 0, rc = EXIT_DONE;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--csv") && i + 1 < argc)
			csv = argv[++i];
		else if (!strcmp(argv[i], "--svg") && i + 1 < argc)
			svg = argv[++i];
		else
			return bad_usage("history: unknown option '%s' (--csv FILE, --svg FILE)", argv[i]);
	}
	if (i >= argc)
		return bad_usage("history wants at least one results directory or report.json");
	if (svg && !plot_path_ok(svg))
		return bad_usage("--svg: gnuplot cannot write to a path with a quote or newline");
	runs = calloc((size_t)(argc - i), sizeof(*runs));
	if (!runs)
		return EXIT_INFRA;
	for (; i < argc; i++) {
		/* one unreadable run costs its row, never the others */
		if (report_figures_load(argv[i], &runs[n], err, sizeof(err)) < 0) {
			fprintf(stderr, "supernested: skipped: %s\n", err);
			rc = EXIT_INFRA;
			continue;
		}
		n++;
	}
	if (n == 0) {
		free(runs);
		return EXIT_INFRA;
	}
	history_sort(runs, n);
	print_history(stdout, runs, n);
	if (csv) {
		FILE *f = fopen(csv, "we");

		if (!f) {
			fprintf(stderr, "supernested: cannot write %s: %s\n", csv, strerror(errno));
			rc = EXIT_INFRA;
		} else {
			write_history_csv(f, runs, n);
			if (fclose(f) != 0) {
				fprintf(stderr, "supernested: cannot write %s: %s\n", csv, strerror(errno));
				rc = EXIT_INFRA;
			}
		}
	}
	if (svg) {
		char *text = NULL, *script;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		int deepest = 0;

		if (mem) {
			write_history_csv(mem, runs, n);
			fclose(mem);
		}
		for (int k = 0; k < n; k++)
			deepest = runs[k].deepest > deepest ? runs[k].deepest : deepest;
		script = text ? history_script(text, n, history_levels(runs, n), deepest, svg) : NULL;
		if (!script) {
			rc = EXIT_INFRA;
		} else {
			int g = gnuplot_run(script, err, sizeof(err));

			if (g == -ENOENT)
				printf("no plot: gnuplot is not installed (apt-get install gnuplot-nox)\n");
			else if (g < 0)
				fprintf(stderr, "supernested: plot %s failed: %s\n", svg,
					err[0] ? err : strerror(-g)), rc = EXIT_INFRA;
			else
				printf("plot: %s\n", svg);
		}
		free(script);
		free(text);
	}
	free(runs);
	return rc;
}
