/* cmd_model.h - `supernested model`: the exit-cost model of a run, next to
 * what it measured, and its prediction for a hardware level 1. */
#ifndef SUPERNESTED_CMD_MODEL_H
#define SUPERNESTED_CMD_MODEL_H

/* argv[1] is "model".  Returns the tool's exit status. */
int cmd_model(int argc, char **argv);

#endif
