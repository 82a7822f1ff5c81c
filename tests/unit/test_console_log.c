/* test_console_log.c - console.log reads back as the live run fed its
 * model: every line, whole, byte for byte, whatever the guest sent (long
 * lines, escapes, broken UTF-8, CRs, NULs), and a log captured by hand
 * splits as a live run's console would have. */
#include "tap.h"
#include "console_log.h"
#include "line_reader.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define MAXLINES 4096

struct lines {
	char *line[MAXLINES];
	int n;
};

static void collect(void *ctx, const char *line)
{
	struct lines *l = ctx;

	if (l->n < MAXLINES)
		l->line[l->n++] = strdup(line);
}

static void collect_mut(void *ctx, char *line)
{
	collect(ctx, line);
}

static void lines_free(struct lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->line[i]);
	l->n = 0;
}

static int same(const struct lines *a, const struct lines *b, int *at)
{
	for (*at = 0; *at < a->n && *at < b->n; (*at)++)
		if (strcmp(a->line[*at], b->line[*at]))
			return 0;
	return a->n == b->n;
}

static unsigned rnd_state = 12345;

static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* What a live run does with a raw console stream: line_reader splits it,
 * each line is formatted for console.log, written, and fed to the model.
 * @fed gets what the model got; the log goes to @logfd. */
struct live {
	struct lines fed;
	int logfd;
	double t;
};

static void live_line(void *ctx, char *raw)
{
	static char line[CONSOLE_LOG_LINE_MAX + 1];
	struct live *lv = ctx;
	size_t stamp, n = console_log_format(line, sizeof(line) - 1, raw, lv->t, &stamp);

	line[n] = '\n';
	if (write(lv->logfd, line, n + 1) != (ssize_t)(n + 1))
		abort();
	line[n] = '\0';
	collect(&lv->fed, line);
	lv->t += 0.0137;
}

/* Run @raw (@n bytes) through a pipe as qemu's stdout would come. */
static void live_run(const char *raw, size_t n, struct live *lv, const char *logpath)
{
	static struct line_reader lr;
	int p[2];
	size_t off = 0;

	lv->logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (lv->logfd < 0 || pipe(p) < 0)
		abort();
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	line_reader_init(&lr, p[0], LINE_READER_MAX);
	while (off < n) {
		size_t k = n - off < 3000 ? n - off : 3000;
		ssize_t w = write(p[1], raw + off, k);

		if (w <= 0)
			abort();
		off += (size_t)w;
		while (line_reader_read(&lr, live_line, lv) == 1)
			;
	}
	close(p[1]);
	while (line_reader_read(&lr, live_line, lv) != 0)
		;
	close(p[0]);
	close(lv->logfd);
}

/* A hostile console: long lines, every byte value, CR LF, NULs. */
static size_t hostile_stream(char *buf, size_t len)
{
	size_t n = 0;

	while (n + 9000 < len) {
		unsigned kind = rnd() % 6, k;

		switch (kind) {
		case 0:	/* a line longer than line_reader keeps whole */
			for (k = 0; k < 2047 * 2 + rnd() % 100; k++)
				buf[n++] = (char)(rnd() % 256 ?: 'x');
			break;
		case 1:	/* exactly one piece, then the newline */
			for (k = 0; k < 2047; k++)
				buf[n++] = (char)(0x80 + rnd() % 0x40);	/* all escape: 4x */
			break;
		case 2:
			n += (size_t)sprintf(buf + n, "[    1.234] kernel text\r\r");
			break;
		case 3:
			n += (size_t)sprintf(buf + n, "supernested: L1 up maxdepth=3 crc=00000000");
			buf[n++] = '\0';
			buf[n++] = '\r';
			break;
		case 4:	/* a line that looks stamped */
			n += (size_t)sprintf(buf + n, "[+12.000s] not ours \x1b[31m");
			break;
		default:
			for (k = rnd() % 300; k; k--)
				buf[n++] = (char)(rnd() % 256);
		}
		buf[n++] = '\n';
	}
	return n;
}

static void test_round_trip(void)
{
	static char raw[1 << 20];
	char path[] = "/tmp/test-console-log.XXXXXX";
	struct live lv = { .t = 0.5 };
	struct lines back = { 0 };
	int fd = mkstemp(path), at = 0, eq;
	size_t n;

	if (fd < 0)
		abort();
	close(fd);
	for (int round = 0; round < 3; round++) {
		n = hostile_stream(raw, sizeof(raw));
		live_run(raw, n, &lv, path);
		fd = open(path, O_RDONLY);
		is_int(console_log_read(fd, collect, &back), 0, "round %d: the log reads back", round);
		close(fd);
		eq = same(&lv.fed, &back, &at);
		ok(eq, "round %d: %d lines fed live, %d read back, identical (%d compared equal)",
		   round, lv.fed.n, back.n, at);
		ok(lv.fed.n > 100, "round %d: enough lines to mean something (%d)", round, lv.fed.n);
		lines_free(&lv.fed);
		lines_free(&back);
	}
	unlink(path);
}

/* A log captured by hand (no stamps): read as a live run would have split
 * and cleaned it. */
static void test_raw_log(void)
{
	static char raw[1 << 19];
	char path[] = "/tmp/test-console-raw.XXXXXX";
	struct lines want = { 0 }, got = { 0 };
	static struct line_reader lr;
	int fd = mkstemp(path), p[2], at = 0, eq;
	size_t n = hostile_stream(raw, sizeof(raw)), off = 0;

	if (fd < 0 || write(fd, raw, n) != (ssize_t)n || pipe(p) < 0)
		abort();
	close(fd);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	line_reader_init(&lr, p[0], LINE_READER_MAX);
	while (off < n) {
		ssize_t w = write(p[1], raw + off, n - off < 4096 ? n - off : 4096);

		if (w <= 0)
			abort();
		off += (size_t)w;
		while (line_reader_read(&lr, collect_mut, &want) == 1)
			;
	}
	close(p[1]);
	while (line_reader_read(&lr, collect_mut, &want) != 0)
		;
	close(p[0]);
	for (int i = 0; i < want.n; i++) {	/* and made printable, as live */
		static char shown[CONSOLE_LOG_LINE_MAX];

		text_printable_str(shown, sizeof(shown), want.line[i]);
		free(want.line[i]);
		want.line[i] = strdup(shown);
	}
	fd = open(path, O_RDONLY);
	console_log_read(fd, collect, &got);
	close(fd);
	unlink(path);
	eq = same(&want, &got, &at);
	ok(eq, "a raw log: %d pieces as line_reader splits, %d read, %d equal",
	   want.n, got.n, at);
	lines_free(&want);
	lines_free(&got);
}

/* The stamp never leaves what the event model reads as one. */
static void test_stamp(void)
{
	char line[CONSOLE_LOG_LINE_MAX];
	size_t stamp;

	console_log_format(line, sizeof(line), "x", 1e300, &stamp);
	is_str(line, "[+9999999.000s] x", "a huge time is clamped");
	ok(stamp <= CONSOLE_LOG_STAMP_MAX, "within the stamp's room");
	console_log_format(line, sizeof(line), "x", -5, &stamp);
	is_str(line, "[+0.000s] x", "a negative time is 0");
	console_log_format(line, sizeof(line), "a\x1b[0m\tb", 12.3456, &stamp);
	is_str(line, "[+12.346s] a\\x1b[0m\\tb", "made printable behind the stamp");
	is_int((long long)stamp, 11, "the stamp's length");
}

/* A host line (level 1's qemu stderr, made printable) may be longer than
 * a line reader's piece too: it reads back whole. */
static void test_host_line(void)
{
	static char line[CONSOLE_LOG_LINE_MAX];
	char path[] = "/tmp/test-console-host.XXXXXX";
	struct lines got = { 0 };
	int fd = mkstemp(path);
	size_t n = (size_t)snprintf(line, sizeof(line), CONSOLE_LOG_HOST_PREFIX "qemu-stderr ");

	while (n < 6000)
		line[n++] = 'x';
	line[n] = '\0';
	if (fd < 0 || write(fd, line, n) != (ssize_t)n || write(fd, "\n", 1) != 1)
		abort();
	close(fd);
	fd = open(path, O_RDONLY);
	console_log_read(fd, collect, &got);
	close(fd);
	unlink(path);
	is_int(got.n, 1, "a 6000-byte host line reads back as one line");
	ok(got.n == 1 && !strcmp(got.line[0], line), "byte for byte");
	lines_free(&got);
}

int main(void)
{
	test_stamp();
	test_round_trip();
	test_raw_log();
	test_host_line();
	return tap_done();
}
