/* line_reader.c - lines out of a non-blocking stream (see line_reader.h). */
#include "line_reader.h"

#include <errno.h>
#include <unistd.h>

void line_reader_init(struct line_reader *lr, int fd, size_t max)
{
	lr->fd = fd;
	lr->max = max && max <= sizeof(lr->buf) ? max : sizeof(lr->buf);
	lr->len = 0;
}

int line_reader_read(struct line_reader *lr, void (*fn)(void *ctx, char *line), void *ctx)
{
	char chunk[4096];
	ssize_t n = read(lr->fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR ? 1 : errno == EAGAIN ? -1 : 0;
	if (n == 0) {
		if (lr->len) {	/* last words without a newline */
			lr->buf[lr->len] = '\0';
			fn(ctx, lr->buf);
			lr->len = 0;
		}
		return 0;
	}
	for (ssize_t i = 0; i < n; i++) {
		char c = chunk[i];

		if (c == '\n' || lr->len + 1 >= lr->max) {
			lr->buf[lr->len] = '\0';
			fn(ctx, lr->buf);
			lr->len = 0;
			if (c == '\n')
				continue;
		}
		if (c != '\0')
			lr->buf[lr->len++] = c;
	}
	return 1;
}
