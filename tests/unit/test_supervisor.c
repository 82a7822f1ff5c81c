/* test_supervisor.c - the one child supervisor, on real processes: lines
 * from each stream, exit status, a stop that is bounded even for a child
 * that ignores SIGTERM, and no child left behind. */
#include "tap.h"
#include "supervisor.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct seen {
	char out[8][64], err[8][64];
	int nout, nerr;
};

static void on_out(void *ctx, char *line)
{
	struct seen *s = ctx;

	if (s->nout < 8)
		snprintf(s->out[s->nout++], 64, "%s", line);
}

static void on_err(void *ctx, char *line)
{
	struct seen *s = ctx;

	if (s->nerr < 8)
		snprintf(s->err[s->nerr++], 64, "%s", line);
}

static const struct supervisor_stream streams[] = { { 1, on_out }, { 2, on_err } };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	struct supervisor sv;
	struct seen s = { 0 };
	char *talk[] = { "sh", "-c", "echo one; echo two >&2; printf 'three'; exit 3", NULL };
	char *stubborn[] = { "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done", NULL };
	char *missing[] = { "/nonexistent/qemu", NULL };
	double t;
	int loops = 0;

	is_int(supervisor_start(&sv, talk, streams, 2, &s), 0, "start a child");
	while (supervisor_poll(&sv, 200) && loops++ < 100)
		;
	supervisor_finish(&sv);
	is_int(s.nout, 2, "two stdout lines, the last one without newline");
	is_str(s.out[0], "one", "stdout line");
	is_str(s.out[1], "three", "unterminated last words");
	is_int(s.nerr, 1, "one stderr line");
	is_str(s.err[0], "two", "stderr line");
	ok(sv.reaped && WIFEXITED(sv.status) && WEXITSTATUS(sv.status) == 3, "exit status 3 reaped");

	s = (struct seen){ 0 };
	is_int(supervisor_start(&sv, stubborn, streams, 2, &s), 0, "start a child that ignores SIGTERM");
	while (s.nout == 0 && loops++ < 200)
		supervisor_poll(&sv, 100);
	t = now_s();
	supervisor_stop(&sv);
	t = now_s() - t;
	ok(sv.exited, "stopped");
	ok(WIFSIGNALED(sv.status) && WTERMSIG(sv.status) == SIGKILL, "by SIGKILL after SIGTERM was ignored");
	ok(t >= SUPERVISOR_TERM_WAIT_S - 0.5 && t < SUPERVISOR_TERM_WAIT_S + 2,
	   "within the bounded wait (%.1f s)", t);
	ok(kill(sv.pid, 0) < 0, "no process left behind");
	supervisor_finish(&sv);

	s = (struct seen){ 0 };
	is_int(supervisor_start(&sv, missing, streams, 2, &s), 0, "a missing program still forks");
	loops = 0;
	while (supervisor_poll(&sv, 200) && loops++ < 100)
		;
	supervisor_finish(&sv);
	ok(s.nerr == 1 && strstr(s.err[0], "cannot execute /nonexistent/qemu") != NULL,
	   "and says so on stderr: %s", s.err[0]);
	ok(WIFEXITED(sv.status) && WEXITSTATUS(sv.status) == 127, "exit status 127");
	is_int(supervisor_start(&sv, talk, streams, 0, &s), -EINVAL, "no streams: -EINVAL");
	return tap_done();
}
