/* cmd_compare.c - `supernested compare BASELINE... NEW` (cmd_compare.h). */
#include "cmd_compare.h"
#include "cli.h"
#include "compare.h"

#include <string.h>

/* compare, and run/parse --baseline: the good runs of @bases pooled (a
 * failed run is never a reference) and the pin; exit 1 on a regression,
 * 3 when there is nothing good to compare with or a report is unreadable. */
int compare_files(const char *const *bases, int nbases, const char *pin, int window,
			 const char *new_path, const char *junit, FILE *out)
{
	struct compare_request q = { .bases = bases, .nbases = nbases, .pin = pin,
				     .window = window, .new_path = new_path, .junit = junit };
	char err[800];
	int rc = compare_references(&q, out, err, sizeof(err));

	if (err[0])
		fprintf(stderr, "supernested: %s\n", err);
	return rc == COMPARE_OK ? EXIT_DONE : rc == COMPARE_REGRESSION ? EXIT_TOO_SHALLOW : EXIT_INFRA;
}

int cmd_compare(int argc, char **argv)
{
	const char *junit = NULL, *pin = NULL;
	int i = 2, window = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--junit") && i + 1 < argc)
			junit = argv[++i];
		else if (!strcmp(argv[i], "--pin") && i + 1 < argc)
			pin = argv[++i];
		else if (!strcmp(argv[i], "--window") && i + 1 < argc) {
			if (parse_num(argv[++i], 1, 10000, &window) < 0)
				return bad_usage("--window wants a count of good runs, not '%s'", argv[i]);
		} else
			return bad_usage("compare: unknown option '%s' (--junit FILE, --pin REPORT, "
					 "--window N)", argv[i]);
	}
	if (argc - i < 2)
		return bad_usage("compare wants two reports: BASELINE... NEW");
	return compare_files((const char *const *)argv + i, argc - i - 1, pin, window,
			     argv[argc - 1], junit, stdout);
}
