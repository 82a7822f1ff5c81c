/* cmd_run.h - `supernested run`: boot the image as level 1, follow the
 * chain, once or --passes times, and report. */
#ifndef SUPERNESTED_CMD_RUN_H
#define SUPERNESTED_CMD_RUN_H

#include "cli.h"
#include "run.h"

/* Check what only run takes, derive the run's time limit, run.
 * Returns the tool's exit status. */
int cmd_run(struct run_options *o, const struct output_options *oo);

#endif
