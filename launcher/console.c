/* console.c - report outputs (see console.h). */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_OUTPUTS SETTINGS_MAX_CONSOLES

static int out_fd[MAX_OUTPUTS] = { -1, -1, -1, -1 };
static char out_name[MAX_OUTPUTS][32];
static int nout;

static int open_tty(const char *name, int wait_ms)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", name);
	/* hvc0 appears once virtio_console has probed: wait a little */
	for (int waited = 0;; waited += 10) {
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 || waited >= wait_ms)
			break;
		nanosleep(&pause, NULL);
	}
	if (fd >= 0 && isatty(fd)) {
		struct termios t;

		/* newline becomes CR LF on the wire, nothing else is touched */
		if (tcgetattr(fd, &t) == 0) {
			t.c_oflag |= OPOST | ONLCR;
			tcsetattr(fd, TCSANOW, &t);
		}
	}
	return fd;
}

static void add_output(const char *name, int wait_ms)
{
	int fd;

	if (nout >= MAX_OUTPUTS)
		return;
	fd = open_tty(name, wait_ms);
	if (fd < 0)
		return;
	out_fd[nout] = fd;
	snprintf(out_name[nout], sizeof(out_name[0]), "%s", name);
	nout++;
}

int console_open(const struct settings *s, int wait_ms)
{
	for (int i = 0; i < nout; i++)
		close(out_fd[i]);
	nout = 0;
	if (s->report_console[0])
		add_output(s->report_console, wait_ms);
	if (!nout)
		for (int i = 0; i < s->nconsoles; i++)
			add_output(s->consoles[i], 0);
	if (!nout)
		add_output("console", 0);
	return nout;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void console_line(const char *line)
{
	char buf[REPORT_LINE_MAX + 2];
	int n = snprintf(buf, sizeof(buf), "%s\n", line);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	if (!nout)
		add_output("console", 0);
	/* one write per line, so lines from different writers do not mix */
	for (int i = 0; i < nout; i++)
		write_all(out_fd[i], buf, (size_t)n);
}

void report_emit(const struct report *r)
{
	char line[REPORT_LINE_MAX];
	struct report fit = *r;

	if (report_format_fit(&fit, line, sizeof(line)) < 0)
		snprintf(line, sizeof(line), REPORT_PREFIX "%d internal-error detail=\"report %s too long\"",
			 r->level, r->event);
	console_line(line);
}

const char *console_name(void)
{
	return nout ? out_name[0] : "none";
}
