/* cmd_parse.h - `supernested parse LOG`: a run's report from its saved
 * console log, with the verdict the live run gave. */
#ifndef SUPERNESTED_CMD_PARSE_H
#define SUPERNESTED_CMD_PARSE_H

#include "cli.h"

/* @max_depth 0: the log's level 1 says; @profile: the run's --profile as
 * given to parse (a log does not say), NULL for none.  Returns the tool's
 * exit status. */
int cmd_parse(const char *logpath, const struct output_options *oo, int max_depth,
	      int expect_depth, const char *profile, int width);

#endif
