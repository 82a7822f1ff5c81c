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

/* A line goes out without its trailing CRs: serial consoles end lines with
 * CRLF, and no user of a line wants the CR. */
static void hand_over(struct line_reader *lr, void (*fn)(void *ctx, char *line), void *ctx)
{
	while (lr->len && lr->buf[lr->len - 1] == '\r')
		lr->len--;
	lr->buf[lr->len] = '\0';
	fn(ctx, lr->buf);
	lr->len = 0;
}

int line_reader_read(struct line_reader *lr, void (*fn)(void *ctx, char *line), void *ctx)
{
	char chunk[4096];
	ssize_t n = read(lr->fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR ? 1 : errno == EAGAIN ? -1 : 0;
	if (n == 0) {
		if (lr->len)	/* last words without a newline */
			hand_over(lr, fn, ctx);
		return 0;
	}
	for (ssize_t i = 0; i < n; i++) {
		char c = chunk[i];

		if (c == '\n' || lr->len + 1 >= lr->max) {
			hand_over(lr, fn, ctx);
			if (c == '\n')
				continue;
		}
		if (c != '\0')
			lr->buf[lr->len++] = c;
	}
	return 1;
}
