/* progress.h - while a run follows level 1, everything the tool prints
 * goes through a writer thread (progress_queue.h): the loop that drains
 * level 1's qemu never waits on a reader of ours (a paused terminal,
 * `| less`, a slow pipe), and a reader that went away (`| head`) costs the
 * rest of the output, never the run nor its results. */
#ifndef SUPERNESTED_PROGRESS_H
#define SUPERNESTED_PROGRESS_H

#include "progress_queue.h"

/* From now on stdout and stderr are queued for the writer thread, and a
 * write to a closed pipe fails with EPIPE instead of killing the tool
 * (SIGPIPE is caught, so the children we start get the default back).
 * Returns 0, or -errno with output left as it was. */
int progress_begin(void);

/* A line of progress (with its newline) for @stream: dropped and counted
 * when the reader is too far behind.  Without progress_begin, printed. */
void progress_line(enum pq_stream stream, const char *line);

/* Say what was not shown, wait until the writer has written the rest (as
 * long as the reader takes: results are written before this), and give
 * stdout and stderr back.  Returns the lines of progress dropped. */
unsigned long long progress_end(void);

#endif
