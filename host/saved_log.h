/* saved_log.h - a saved console.log read back into a run model the way the
 * live run built it: each line as it was fed to the model (console_log.h),
 * and what the host saw of level 1's end (level1_end.h).  parse and model
 * read logs through it, so both see what the live run saw. */
#ifndef SUPERNESTED_SAVED_LOG_H
#define SUPERNESTED_SAVED_LOG_H

#include "events.h"
#include "run_tree.h"

/* Read @path into @m (initialised here; @max_depth 0: the log's level 1
 * says) and settle it (events_finish).  Returns 0, or -errno with @m as far
 * as it was read. */
int saved_log_read(const char *path, struct run_model *m, int max_depth);

/* The same for a run that may be a tree: @width children per level (0:
 * what the log's up lines say, width=, else 1), @max_depth (0: the log's
 * maxdepth=).  Sets up @t (run_tree_init; run_tree_free).  A width-1 log
 * is read exactly as saved_log_read reads it.  Returns 0, -errno, or
 * -ERANGE when a tree's depth is unknown or it has too many branches. */
int saved_log_read_tree(const char *path, struct run_tree *t, int max_depth, int width);

#endif
