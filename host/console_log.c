/* console_log.c - console.log's lines, written and read back (see console_log.h). */
#include "console_log.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

size_t console_log_format(char *buf, size_t len, const char *raw, double t, size_t *stamp_len)
{
	int n;

	/* the clamp keeps the stamp within CONSOLE_LOG_STAMP_MAX and within
	 * the 12 digits and dots the event model reads as a stamp */
	if (!(t >= 0))
		t = 0;
	if (t > 9999999.0)
		t = 9999999.0;
	n = snprintf(buf, len, "[+%.3fs] ", t);
	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		*stamp_len = 0;
		return 0;
	}
	*stamp_len = (size_t)n;
	return (size_t)n + text_printable_str(buf + n, len - (size_t)n, raw);
}

/* The stamp console_log_format writes (the event model's rule): "[+", 1 to
 * 12 digits and dots, "s] ". */
static int stamped(const char *s, size_t len)
{
	size_t n;

	if (len < 6 || s[0] != '[' || s[1] != '+')
		return 0;
	for (n = 0; 2 + n < len && n <= 12 && strchr("0123456789.", s[2 + n]) && s[2 + n]; n++)
		;
	return n >= 1 && n <= 12 && 4 + n < len && s[2 + n] == 's' && s[3 + n] == ']' &&
	       s[4 + n] == ' ';
}

/* A piece as line_reader hands it over: without trailing CRs, printable. */
static void hand_over(const char *s, size_t len, void (*fn)(void *ctx, const char *line),
		      void *ctx)
{
	static char shown[CONSOLE_LOG_LINE_MAX];

	while (len && s[len - 1] == '\r')
		len--;
	text_printable(shown, sizeof(shown), s, len);
	fn(ctx, shown);
}

/* Longest line read in one go: a multiple of line_reader's piece, so a raw
 * line longer than this splits where a live run's would, and longer than
 * any line console_log_format writes. */
#define PIECE (LINE_READER_MAX - 1)
#define READ_MAX (((CONSOLE_LOG_LINE_MAX + PIECE - 1) / PIECE) * PIECE)

static void line_done(const char *s, size_t len, void (*fn)(void *ctx, const char *line),
		      void *ctx)
{
	size_t host = strlen(CONSOLE_LOG_HOST_PREFIX);

	if (len < CONSOLE_LOG_LINE_MAX &&
	    (stamped(s, len) || (len >= host && !memcmp(s, CONSOLE_LOG_HOST_PREFIX, host)))) {
		hand_over(s, len, fn, ctx);
		return;
	}
	if (len == 0)
		hand_over(s, 0, fn, ctx);
	for (size_t off = 0; off < len; off += PIECE)
		hand_over(s + off, len - off < PIECE ? len - off : PIECE, fn, ctx);
}

int console_log_read(int fd, void (*fn)(void *ctx, const char *line), void *ctx)
{
	static char line[READ_MAX];
	char chunk[65536];
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (ssize_t i = 0; i < n; i++) {
			char c = chunk[i];

			/* as line_reader: a full line goes when the next byte comes */
			if (c == '\n' || len == sizeof(line)) {
				line_done(line, len, fn, ctx);
				len = 0;
				if (c == '\n')
					continue;
			}
			if (c != '\0')
				line[len++] = c;
		}
	}
	if (len)	/* last words without a newline */
		line_done(line, len, fn, ctx);
	return 0;
}
