/* monitor.c - a child qemu's HMP monitor over a unix socket (see monitor.h). */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define PROMPT "(qemu) "

/* Register lines that say where a vCPU is; x86 64-bit and 32-bit spellings. */
static const char *const keep_prefixes[] = {
	"VM status", "RIP=", "EIP=", "RAX=", "EAX=", "RSI=", "ESI=", "CS =", "CR0=", "EFER=",
};

/* Copy @line without terminal escapes, CRs and other control bytes. */
static void clean_line(const char *line, size_t n, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == 0x1b) {	/* ESC [ params final-letter */
			if (i + 1 < n && line[i + 1] == '[') {
				for (i += 2; i < n && !(line[i] >= '@' && line[i] <= '~'); i++)
					;
			}
			continue;
		}
		if (c < 0x20 || c >= 0x7f)
			continue;
		out[o++] = (char)c;
	}
	out[o] = '\0';
}

int monitor_pick(const char *raw, void (*keep)(void *ctx, const char *line), void *ctx)
{
	int kept = 0;

	for (const char *p = raw; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512], *l = line;

		clean_line(p, n, line, sizeof(line));
		while (!strncmp(l, PROMPT, strlen(PROMPT)))
			l += strlen(PROMPT);
		for (size_t i = 0; i < sizeof(keep_prefixes) / sizeof(keep_prefixes[0]); i++) {
			if (!strncmp(l, keep_prefixes[i], strlen(keep_prefixes[i]))) {
				char out[MONITOR_LINE_MAX];

				snprintf(out, sizeof(out), "monitor: %.*s", MONITOR_LINE_MAX - 10, l);
				keep(ctx, out);
				kept++;
				break;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return kept;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Connect, retrying while the socket is not there yet, until @end. */
static int connect_until(const char *path, double end)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	int err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	do {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
			return fd;
		}
		err = errno;
		close(fd);
		if (err != ENOENT && err != ECONNREFUSED)
			return -err;
		nanosleep(&pause, NULL);
	} while (now_ms() < end);
	return -err;
}

/* Read into @out until it ends with the prompt after a newline arrived
 * past @from, or @end.  Returns 0, or -errno (-ETIMEDOUT). */
static int read_to_prompt(int fd, char *out, size_t len, size_t *used, size_t from, double end)
{
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double left = end - now_ms();
		size_t pl = strlen(PROMPT);
		ssize_t n;

		if (*used >= pl && !strcmp(out + *used - pl, PROMPT) && strchr(out + from, '\n'))
			return 0;
		if (*used + 1 >= len)
			return 0;	/* full: what we have must do */
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)left + 1) <= 0)
			continue;
		n = read(fd, out + *used, len - 1 - *used);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return n == 0 ? -ECONNRESET : -errno;
		*used += (size_t)n;
		out[*used] = '\0';
	}
}

int monitor_exchange(const char *path, const char *const cmds[], char *out, size_t len,
		     int wait_ms)
{
	double end = now_ms() + wait_ms;
	size_t used = 0;
	int fd, rc;

	if (len < 2)
		return -ENOSPC;
	out[0] = '\0';
	fd = connect_until(path, end);
	if (fd < 0)
		return fd;
	/* the banner ends with the first prompt */
	rc = read_to_prompt(fd, out, len, &used, 0, end);
	for (int i = 0; rc == 0 && cmds[i]; i++) {
		char line[128];
		size_t from = used;
		int n = snprintf(line, sizeof(line), "%s\n", cmds[i]);

		if (n < 0 || (size_t)n >= sizeof(line) || write(fd, line, (size_t)n) != n) {
			rc = -EIO;
			break;
		}
		rc = read_to_prompt(fd, out, len, &used, from, end);
	}
	close(fd);
	return rc < 0 && used == 0 ? rc : (int)used;
}

int monitor_evidence(const char *path, void (*keep)(void *ctx, const char *line), void *ctx)
{
	static const char *const cmds[] = { "info status", "info registers", NULL };
	static char raw[16384];
	int rc = monitor_exchange(path, cmds, raw, sizeof(raw), MONITOR_WAIT_MS);

	if (rc < 0) {
		char line[MONITOR_LINE_MAX];

		snprintf(line, sizeof(line), "monitor: no answer on %s: %s", path, strerror(-rc));
		keep(ctx, line);
		return 1;
	}
	return monitor_pick(raw, keep, ctx);
}
