/* line_reader.h - split a console stream (a pipe from qemu) into lines,
 * for the launcher watching its child and the host tool watching level 1. */
#ifndef SUPERNESTED_LINE_READER_H
#define SUPERNESTED_LINE_READER_H

#include <stddef.h>

#include "report.h"

#define LINE_READER_MAX (REPORT_LINE_MAX * 2)

struct line_reader {
	int fd;
	size_t max;		/* a longer line is handed over in pieces of max-1 */
	size_t len;
	char buf[LINE_READER_MAX];
};

/* @max: longest line kept whole, at most LINE_READER_MAX. */
void line_reader_init(struct line_reader *lr, int fd, size_t max);

/* Read what @lr->fd has and call @fn for every complete line (without its
 * newline and trailing CRs; NUL bytes dropped); at EOF the unterminated rest too.
 * Returns 1 after data, 0 at EOF or error, -1 when nothing is there now. */
int line_reader_read(struct line_reader *lr, void (*fn)(void *ctx, char *line), void *ctx);

#endif
