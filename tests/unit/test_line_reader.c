/* test_line_reader.c - splitting a console stream into lines, through a real pipe. */
#include "tap.h"
#include "line_reader.h"

#include <fcntl.h>
#include <unistd.h>

static char got[8][64];
static int ngot;

static void collect(void *ctx, char *line)
{
	(void)ctx;
	if (ngot < 8)
		snprintf(got[ngot++], sizeof(got[0]), "%s", line);
}

int main(void)
{
	struct line_reader lr;
	int p[2];

	ok(pipe(p) == 0, "pipe");
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	line_reader_init(&lr, p[0], 8);
	is_int(line_reader_read(&lr, collect, NULL), -1, "nothing there: -1");
	ok(write(p[1], "one\ntw\0o\nabcdefghij", 19) == 19, "write");
	is_int(line_reader_read(&lr, collect, NULL), 1, "data: 1");
	is_int(ngot, 3, "two lines and a piece of a long one");
	is_str(got[0], "one", "first line, no newline");
	is_str(got[1], "two", "NUL bytes dropped");
	is_str(got[2], "abcdefg", "a line longer than max comes in pieces of max-1");
	ok(write(p[1], "k", 1) == 1, "write without newline");
	close(p[1]);
	is_int(line_reader_read(&lr, collect, NULL), 1, "rest read");
	is_int(line_reader_read(&lr, collect, NULL), 0, "EOF: 0");
	is_str(got[3], "hijk", "unterminated last words handed over at EOF");
	line_reader_init(&lr, p[0], 0);
	is_int(lr.max, LINE_READER_MAX, "max 0 means the whole buffer");
	return tap_done();
}
