/* test_line_reader.c - splitting a console stream into lines, through a real pipe. */
#include "tap.h"
#include "line_reader.h"

#include <errno.h>
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

static int parsed, garbled, pieces;

static void classify_piece(void *ctx, char *line)
{
	struct report r;
	int rc = report_parse(line, &r, NULL);

	(void)ctx;
	pieces++;
	parsed += rc == 0;
	garbled += rc == -EBADMSG;
}

/* Kernel text glued in front of a long report: the reader hands the line
 * over in pieces, and no piece may pass for a report with fields lost. */
static void test_long_glued_report(void)
{
	static char text[LINE_READER_MAX * 2];
	char value[REPORT_VALUE_MAX];
	struct line_reader lr;
	struct report r;
	int p[2], n;

	memset(text, 'k', 1500);	/* a chatty kernel line */
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	report_init(&r, 2, "evidence");
	report_add(&r, "level", "3");
	report_add(&r, "text", value);
	report_add(&r, "more", value);
	n = report_format(&r, text + 1500, sizeof(text) - 1500);
	ok(n > 600 && 1500 + n > LINE_READER_MAX, "report of %d bytes behind 1500 bytes of text", n);
	text[1500 + n] = '\n';
	ok(pipe(p) == 0, "pipe");
	ok(write(p[1], text, 1500 + (size_t)n + 1) == 1500 + n + 1, "written");
	close(p[1]);
	line_reader_init(&lr, p[0], LINE_READER_MAX);
	while (line_reader_read(&lr, classify_piece, NULL) > 0)
		;
	close(p[0]);
	is_int(pieces, 2, "split in two pieces");
	is_int(parsed, 0, "no piece parses as a report");
	is_int(garbled, 1, "the piece with the prefix is garbled");
}

int main(void)
{
	static const char crlf[] = "crlf\r\r\nmid\rcr\n\r\n";	/* 16 bytes */
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
	close(p[0]);
	ok(pipe(p) == 0, "pipe");
	ok(write(p[1], crlf, sizeof(crlf) - 1) == (ssize_t)sizeof(crlf) - 1, "write CRLF lines");
	close(p[1]);
	line_reader_init(&lr, p[0], 0);
	while (line_reader_read(&lr, collect, NULL) > 0)
		;
	close(p[0]);
	is_str(got[4], "crlf", "trailing CRs dropped");
	is_str(got[5], "mid\rcr", "a CR inside a line kept");
	is_str(got[6], "", "a bare CRLF is an empty line");
	is_int(ngot, 7, "and nothing after it");
	test_long_glued_report();
	return tap_done();
}
