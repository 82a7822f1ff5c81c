/* cmd_history.h - `supernested history`: runs over time as a table, CSV
 * and a plot. */
#ifndef SUPERNESTED_CMD_HISTORY_H
#define SUPERNESTED_CMD_HISTORY_H

/* argv[1] is "history".  Returns the tool's exit status. */
int cmd_history(int argc, char **argv);

#endif
