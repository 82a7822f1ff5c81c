/* cmd_compare.h - `supernested compare`, and the comparison run and parse
 * make with --baseline. */
#ifndef SUPERNESTED_CMD_COMPARE_H
#define SUPERNESTED_CMD_COMPARE_H

#include <stdio.h>

/* The good runs of @bases pooled (a failed run is never a reference) and
 * the pin against @new_path, printed to @out (JUnit to @junit when set).
 * Returns EXIT_DONE, EXIT_TOO_SHALLOW on a regression, EXIT_INFRA when
 * there is nothing good to compare with or a report is unreadable. */
int compare_files(const char *const *bases, int nbases, const char *pin, int window,
		  const char *new_path, const char *junit, FILE *out);

/* argv[1] is "compare".  Returns the tool's exit status. */
int cmd_compare(int argc, char **argv);

#endif
