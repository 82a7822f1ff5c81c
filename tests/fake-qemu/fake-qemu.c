/* fake-qemu.c - stands in for level 1's qemu where a test needs no VM: it
 * speaks on stdout as level 1's serial console does (a recorded
 * console.log's lines, stamps taken off), with the launcher's output rule
 * (launcher/console.c): a line the reader does not take within 2 s is
 * dropped, and while the output stays stuck the next lines do not wait.
 * So a host that stops draining its qemu loses lines here as it would on
 * a real run, and the count says how many.  For tests only.
 *
 * Its arguments are qemu's and are ignored.  Environment:
 *   FAKE_QEMU_LOG=FILE     the recorded console.log to speak (required)
 *   FAKE_QEMU_NOISE=N      N lines of kernel chatter before each report
 *                          line's turn is over (pipe-filling volume)
 *   FAKE_QEMU_GLUE=N       N bytes of non-ASCII noise glued in front of
 *                          every report line (printk interleaved on a
 *                          shared serial port; each byte is 4 in console.log)
 *   FAKE_QEMU_PACE_MS=N    pause before each recorded line
 *   FAKE_QEMU_REALTIME=1   each line at its stamp's time after the start
 *                          (the chain's plausibility rules check boot_s
 *                          against the host's clock)
 *   FAKE_QEMU_SEAL=1       report lines without a checksum get one, as a
 *                          launcher writes them (report_seal)
 *   FAKE_QEMU_STATS=FILE   written at the end: "lines=N dropped=M"
 *   FAKE_QEMU_EXIT=N       exit status (default 0)
 *   FAKE_QEMU_STDERR=N     at the end, a stderr line of N non-ASCII bytes
 *                          and a KVM error (4 bytes each in console.log)
 *   FAKE_QEMU_HANG=1       after the log, say nothing more until killed
 *   FAKE_QEMU_ARGV=FILE    its command line written there, an argument a line
 *                          (a level 1 stuck somewhere) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define WRITE_WAIT_MS 2000	/* launcher/console.c */

static unsigned long long lines, dropped;
static int stuck;

static long env_num(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 10) : def;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* One line, all or nothing within the wait (a cut line would fail its
 * checksum above: the launcher gives up on the rest, and so do we). */
static void put_line(const char *buf, size_t len)
{
	int wait_ms = stuck ? 0 : WRITE_WAIT_MS;
	struct timespec t0;

	lines++;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (len) {
		ssize_t n = write(1, buf, len);
		struct pollfd pfd = { .fd = 1, .events = POLLOUT };
		long left;

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			break;
		left = wait_ms - ms_since(&t0);
		if (left <= 0)
			break;
		poll(&pfd, 1, (int)left);
	}
	stuck = len != 0;
	dropped += stuck;
}

static void noise(long n)
{
	char line[160];

	for (long i = 0; i < n; i++) {
		int k = snprintf(line, sizeof(line),
				 "[   %5ld.%06ld] fake: kernel chatter line %ld, enough of it to fill a pipe\n",
				 i / 1000, i % 1000 * 1000, i);

		put_line(line, (size_t)k);
	}
}

int main(int argc, char **argv)
{
	const char *log = getenv("FAKE_QEMU_LOG"), *stats = getenv("FAKE_QEMU_STATS");
	long nnoise = env_num("FAKE_QEMU_NOISE", 0), glue = env_num("FAKE_QEMU_GLUE", 0);
	long pace = env_num("FAKE_QEMU_PACE_MS", 0), realtime = env_num("FAKE_QEMU_REALTIME", 0);
	long seal = env_num("FAKE_QEMU_SEAL", 0);
	struct timespec start;
	static char line[65536], out[65536 + 8192 + 2];
	FILE *f;

	if (getenv("FAKE_QEMU_ARGV") && (f = fopen(getenv("FAKE_QEMU_ARGV"), "w"))) {
		for (int i = 0; i < argc; i++)
			fprintf(f, "%s\n", argv[i]);
		fclose(f);
	}
	if (!log || !(f = fopen(log, "r"))) {
		fprintf(stderr, "fake-qemu: FAKE_QEMU_LOG: %s\n", log ? strerror(errno) : "not set");
		return 1;
	}
	if (glue < 0 || glue > 8000)
		glue = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
	fprintf(stderr, "fake-qemu: speaking %s\n", log);
	while (fgets(line, sizeof(line), f)) {
		char *text = line;
		size_t n = 0;

		/* "[+12.345s] " off: the host stamps what it reads itself */
		if (text[0] == '[' && text[1] == '+' && strstr(text, "s] ")) {
			double at = strtod(text + 2, NULL);

			text = strstr(text, "s] ") + 3;
			if (realtime && at > 0 && at < 3600) {
				long wait = (long)(at * 1000) - ms_since(&start);
				struct timespec p = { wait / 1000, wait % 1000 * 1000000 };

				if (wait > 0)
					nanosleep(&p, NULL);
			}
		}
		text[strcspn(text, "\n")] = '\0';
		if (seal && strstr(text, REPORT_PREFIX) && !strstr(text, " crc="))
			report_seal(text, sizeof(line) - (size_t)(text - line));
		if (pace > 0) {
			struct timespec p = { pace / 1000, pace % 1000 * 1000000 };

			nanosleep(&p, NULL);
		}
		if (strstr(text, "supernested: L")) {
			noise(nnoise);
			for (long i = 0; i < glue; i++)
				out[n++] = (char)(0x80 + i % 0x40);
		}
		memcpy(out + n, text, strlen(text));
		n += strlen(text);
		out[n++] = '\n';
		put_line(out, n);
	}
	fclose(f);
	if (stats) {
		FILE *s = fopen(stats, "w");

		if (s) {
			fprintf(s, "lines=%llu dropped=%llu\n", lines, dropped);
			fclose(s);
		}
	}
	fprintf(stderr, "fake-qemu: %llu lines, %llu dropped\n", lines, dropped);
	for (long i = 0, k = env_num("FAKE_QEMU_STDERR", 0); i < k && i < 4000; i++)
		fputc(0x80 + (int)(i % 0x40), stderr);
	if (env_num("FAKE_QEMU_STDERR", 0) > 0)
		fputs(" KVM internal error. Suberror: 1\n", stderr);
	while (env_num("FAKE_QEMU_HANG", 0))
		pause();
	return (int)env_num("FAKE_QEMU_EXIT", 0);
}
