/* console.log: every line of level 1's console as a live run read it,
 * stamped with the host clock and made printable.  The live run feeds its
 * event model exactly the line it writes, and parse reads those lines back
 * whole and feeds the same, so a saved console.log gives the live verdict. */
#ifndef SUPERNESTED_CONSOLE_LOG_H
#define SUPERNESTED_CONSOLE_LOG_H

#include <stddef.h>

#include "line_reader.h"

/* A line of the host's own (level1_end.h), never a guest's: those are all
 * stamped. */
#define CONSOLE_LOG_HOST_PREFIX "[host] "

/* "[+1234567.890s] ": the stamp, at most this long (times are clamped). */
#define CONSOLE_LOG_STAMP_MAX 20
/* A stamped line: a console line of up to LINE_READER_MAX - 1 bytes, each
 * of which may become a 4-byte escape, behind its stamp, and a NUL. */
#define CONSOLE_LOG_LINE_MAX (CONSOLE_LOG_STAMP_MAX + (LINE_READER_MAX - 1) * 4 + 1)

/* Write the console.log line for @raw (a console line as line_reader hands
 * it over) seen at host time @t into @buf (CONSOLE_LOG_LINE_MAX bytes),
 * without a newline.  Returns its length; *@stamp_len: where @raw's
 * printable copy starts. */
size_t console_log_format(char *buf, size_t len, const char *raw, double t, size_t *stamp_len);

/* Read a saved log from @fd and call @fn with every line as a live run
 * would have fed it to its model: a line console_log_format wrote, or a
 * host line, goes whole; any other line is raw serial text (a log captured by hand) and is
 * split and made printable as a live run would have done (line_reader's
 * pieces of LINE_READER_MAX - 1 bytes, NULs and trailing CRs dropped).
 * Returns 0 or -errno. */
int console_log_read(int fd, void (*fn)(void *ctx, const char *line), void *ctx);

#endif
