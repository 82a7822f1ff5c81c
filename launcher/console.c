/* console.c - report outputs (see console.h). */
#include "console.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_OUTPUTS SETTINGS_MAX_CONSOLES
/* How long a line may wait for a console that does not drain (the level
 * above stopped reading): then it is dropped, and while the console stays
 * stuck further lines do not wait at all.  PID 1 never blocks on output. */
#define WRITE_WAIT_MS 2000

static int out_fd[MAX_OUTPUTS] = { -1, -1, -1, -1 };
static int out_stuck[MAX_OUTPUTS];
static char out_name[MAX_OUTPUTS][32];
static int nout;
static void (*tap)(const char *line);

void console_set_tap(void (*fn)(const char *line))
{
	tap = fn;
}

#define VIRTIO_PORTS "/sys/class/virtio-ports"

/* /dev/vport<N>p<M> of the virtio-serial port called @name (no udev here
 * to make the /dev/virtio-ports/ links).  Returns 0 or -ENOENT. */
static int virtio_port_path(const char *name, char *path, size_t len)
{
	DIR *dir = opendir(VIRTIO_PORTS);
	struct dirent *d;
	int rc = -ENOENT;

	if (!dir)
		return rc;
	while (rc && (d = readdir(dir))) {
		char file[300], text[64];
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), VIRTIO_PORTS "/%s/name", d->d_name);
		f = fopen(file, "re");
		if (!f)
			continue;
		if (fgets(text, sizeof(text), f)) {
			text[strcspn(text, "\n")] = '\0';
			if (!strcmp(text, name) &&
			    snprintf(path, len, "/dev/%s", d->d_name) < (int)len)
				rc = 0;
		}
		fclose(f);
	}
	closedir(dir);
	return rc;
}

/* A device in /dev, or a virtio-serial port by its name. */
static int open_output(const char *name)
{
	char path[300];

	snprintf(path, sizeof(path), "/dev/%s", name);
	if (access(path, F_OK) < 0 && virtio_port_path(name, path, sizeof(path)) < 0)
		return -1;
	return open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
}

static int open_tty(const char *name, int wait_ms)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int fd;

	/* a virtio port appears once virtio_console has probed: wait a little */
	for (int waited = 0;; waited += 10) {
		fd = open_output(name);
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
	out_stuck[nout] = 0;
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

/* Write all of @buf within @wait_ms.  Returns 0, or -1 when it had to give
 * up (a cut line fails its checksum above: never a false report). */
static int write_all(int fd, const char *buf, size_t len, int wait_ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (len) {
		ssize_t n = write(fd, buf, len);
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		int left;

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = wait_ms - (int)((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return -1;
		poll(&pfd, 1, left);
	}
	return 0;
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
	if (tap)
		tap(line);
	if (!nout)
		add_output("console", 0);
	/* one write per line, so lines from different writers do not mix */
	for (int i = 0; i < nout; i++)
		out_stuck[i] = write_all(out_fd[i], buf, (size_t)n, out_stuck[i] ? 0 : WRITE_WAIT_MS) < 0;
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

static int ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* Whether @fd still holds output: bytes in the driver's queue (TIOCOUTQ),
 * or in the UART's FIFO and shift register (TIOCSERGETLSR, what tcdrain()
 * waits for too).  A device that cannot say holds nothing. */
static int still_sending(int fd)
{
	int queued = 0, lsr = 0;

	if (ioctl(fd, TIOCOUTQ, &queued) == 0 && queued > 0)
		return 1;
	return ioctl(fd, TIOCSERGETLSR, &lsr) == 0 && !(lsr & TIOCSER_TEMT);
}

/* Polled, not tcdrain(): tcdrain() has no timeout, and PID 1 waiting
 * forever on a console held off by flow control never powers off. */
int console_drain(int wait_ms)
{
	struct timespec t0, pause = { 0, 5 * 1000 * 1000 };
	int sending;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		sending = 0;
		for (int i = 0; i < nout; i++)
			if (!out_stuck[i] && isatty(out_fd[i]) && still_sending(out_fd[i]))
				sending++;
		if (!sending || ms_since(&t0) >= wait_ms)
			return sending;
		nanosleep(&pause, NULL);
	}
}

const char *console_name(void)
{
	return nout ? out_name[0] : "none";
}
