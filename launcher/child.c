/* child.c - child qemu supervision (see child.h). */
#include "child.h"
#include "console.h"
#include "kvm_stats.h"
#include "line_reader.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GRACE_S 60		/* added per level below the child to silence budgets */
#define EXIT_WAIT_S 30		/* after the child's summary, for qemu to exit */
#define KILL_WAIT_S 5		/* SIGTERM -> SIGKILL */
#define EVIDENCE_MAX 200
#define STDERR_MAX 8192

enum stream { S_SERIAL, S_REPORT, S_STDERR, S_COUNT };

struct watch {
	const struct settings *s;
	int child_level;
	pid_t pid;
	double start, last_activity, summary_at;
	struct child_result *res;
	char evidence[EVIDENCE_MAX][256];
	int nevidence, evidence_next;
	char qemu_stderr[STDERR_MAX];
	size_t stderr_len;
	int guest_spoke;	/* any line from the guest itself */
	enum outcome fatal;	/* seen live on stderr */
	char fatal_line[256];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void keep_evidence(struct watch *w, const char *line)
{
	/* evidence lines are cut to their slot: the start says what happened */
	snprintf(w->evidence[w->evidence_next], sizeof(w->evidence[0]), "%.*s",
		 (int)sizeof(w->evidence[0]) - 1, line);
	w->evidence_next = (w->evidence_next + 1) % EVIDENCE_MAX;
	if (w->nevidence < EVIDENCE_MAX)
		w->nevidence++;
}

/* Wrap a line that is not a report (kernel output, qemu stderr) so the
 * level above can still tell whose it is. */
static void relay_wrapped(struct watch *w, const char *event, const char *line, int garbled)
{
	struct report r;

	report_init(&r, w->child_level, event);
	if (garbled)
		report_add(&r, "garbled", "1");
	report_add(&r, "text", line);
	report_emit(&r);
}

static void on_report(struct watch *w, const struct report *r, const char *text)
{
	console_line(text);	/* relayed verbatim: it already names its level */
	w->last_activity = now_s();
	if (!strcmp(r->event, "up")) {
		if (r->level == w->child_level && !w->res->came_up) {
			struct report up;

			w->res->came_up = 1;
			w->res->boot_s = now_s() - w->start;
			report_init(&up, w->s->level, "child-up");
			report_addf(&up, "level", "%d", w->child_level);
			report_addf(&up, "boot_s", "%.3f", w->res->boot_s);
			report_emit(&up);
		}
		if (r->level >= w->child_level)	/* this level's exits during that boot */
			kvm_stats_report(w->s->level, r->level, w->pid);
		if (r->level > w->res->deepest)
			w->res->deepest = r->level;
	} else if (!strcmp(r->event, "summary") && r->level == w->child_level) {
		long long deepest = report_get_int(r, "deepest", w->child_level);

		w->res->summary_seen = 1;
		w->summary_at = now_s();
		w->res->result = outcome_from_name(report_get(r, "result"));
		w->res->failed_level = (int)report_get_int(r, "failed_level", w->child_level);
		if (deepest > w->res->deepest)
			w->res->deepest = (int)deepest;
	}
}

/* Trailing CR/LF off; returns the new length. */
static size_t chomp(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		line[--n] = '\0';
	return n;
}

/* A line qemu wrote on stderr: evidence, and maybe a sign of death. */
static void on_stderr_line(void *ctx, char *line)
{
	struct watch *w = ctx;
	size_t n = chomp(line);
	enum outcome o = classify_fatal_stderr(line);

	if (n + 2 + w->stderr_len < sizeof(w->qemu_stderr)) {
		memcpy(w->qemu_stderr + w->stderr_len, line, n);
		w->stderr_len += n;
		w->qemu_stderr[w->stderr_len++] = '\n';
		w->qemu_stderr[w->stderr_len] = '\0';
	}
	keep_evidence(w, line);
	relay_wrapped(w, "qemu", line, 0);
	if (o != OUTCOME_NONE && w->fatal == OUTCOME_NONE) {
		w->fatal = o;
		snprintf(w->fatal_line, sizeof(w->fatal_line), "%s", line);
	}
}

/* A line from the guest, on its serial port or its report console. */
static void on_guest_line(void *ctx, char *line)
{
	struct watch *w = ctx;
	struct report r;
	size_t off = 0;
	int rc;

	if (!chomp(line))
		return;
	w->guest_spoke = 1;
	rc = report_parse(line, &r, &off);
	if (rc == 0 && r.level > w->s->level) {
		if (off > 0) {	/* kernel text glued in front of a report */
			char head[REPORT_LINE_MAX];

			snprintf(head, sizeof(head), "%.*s", (int)off, line);
			keep_evidence(w, head);
			relay_wrapped(w, "console", head, 0);
		}
		on_report(w, &r, line + off);
		return;
	}
	keep_evidence(w, line);
	w->last_activity = now_s();
	relay_wrapped(w, "console", line, rc == -EBADMSG);
}

static int wait_exit(pid_t pid, int *status, double seconds)
{
	double end = now_s() + seconds;
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return 1;
		nanosleep(&pause, NULL);
	} while (now_s() < end);
	return 0;
}

static void stop_child(pid_t pid, int *status)
{
	kill(pid, SIGTERM);
	if (!wait_exit(pid, status, KILL_WAIT_S)) {
		kill(pid, SIGKILL);
		wait_exit(pid, status, KILL_WAIT_S);
	}
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void emit_failure(struct watch *w)
{
	const struct verdict *v = &w->res->verdict;
	struct report r;
	int first = w->nevidence > w->s->evidence ? w->nevidence - w->s->evidence : 0;

	report_init(&r, w->s->level, "child-fail");
	report_addf(&r, "level", "%d", w->child_level);
	report_add(&r, "reason", outcome_name(v->outcome));
	report_add(&r, "detail", v->evidence);
	report_emit(&r);
	/* the child's last words, oldest first */
	for (int i = first; i < w->nevidence; i++) {
		int idx = (w->evidence_next - w->nevidence + i + EVIDENCE_MAX) % EVIDENCE_MAX;

		report_init(&r, w->s->level, "evidence");
		report_addf(&r, "level", "%d", w->child_level);
		report_add(&r, "text", w->evidence[idx]);
		report_emit(&r);
	}
}

void child_run(const struct settings *s, char *const argv[], struct child_result *res)
{
	int pout[2] = { -1, -1 }, prep[2] = { -1, -1 }, perr[2] = { -1, -1 };
	struct line_reader lb[S_COUNT];
	void (*const on_line[S_COUNT])(void *, char *) = {
		[S_SERIAL] = on_guest_line, [S_REPORT] = on_guest_line, [S_STDERR] = on_stderr_line,
	};
	struct watch *w;
	int status = 0, open_streams = S_COUNT, exited = 0, timed_out = 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	res->failed_level = s->level + 1;
	w = calloc(1, sizeof(*w));
	if (!w) {
		res->result = res->verdict.outcome = OUTCOME_INTERNAL;
		snprintf(res->verdict.evidence, sizeof(res->verdict.evidence), "out of memory");
		return;
	}
	w->s = s;
	w->child_level = s->level + 1;
	w->res = res;

	if (pipe2(pout, O_CLOEXEC) < 0 || pipe2(prep, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0) {
		res->verdict.outcome = OUTCOME_INTERNAL;
		snprintf(res->verdict.evidence, sizeof(res->verdict.evidence), "pipe: %s", strerror(errno));
		goto out_result;
	}
	w->start = w->last_activity = now_s();
	pid = fork();
	if (pid < 0) {
		res->verdict.outcome = OUTCOME_QEMU_START;
		snprintf(res->verdict.evidence, sizeof(res->verdict.evidence), "fork: %s", strerror(errno));
		goto out_result;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		dup2(prep[1], 3);	/* the report console: qemu opens /proc/self/fd/3 */
		setsid();
		execv(argv[0], argv);
		dprintf(2, "cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	w->pid = pid;
	close(pout[1]);
	close(prep[1]);
	close(perr[1]);
	line_reader_init(&lb[S_SERIAL], pout[0], REPORT_LINE_MAX);
	line_reader_init(&lb[S_REPORT], prep[0], REPORT_LINE_MAX);
	line_reader_init(&lb[S_STDERR], perr[0], REPORT_LINE_MAX);
	for (int i = 0; i < S_COUNT; i++)
		set_nonblock(lb[i].fd);

	for (;;) {
		struct pollfd pfd[S_COUNT];
		double t = now_s(), budget, deadline;
		int levels_below = s->maxdepth - w->child_level;

		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		/* Budgets: up within timeout; once up, silence may last as long
		 * as the levels below need to boot and to report their failures;
		 * and the whole subtree has an absolute deadline, so a child that
		 * keeps printing (RCU stall warnings) cannot hold us forever. */
		if (!res->came_up)
			budget = s->timeout_s - (t - w->start);
		else if (res->summary_seen)
			budget = EXIT_WAIT_S - (t - w->summary_at);
		else
			budget = s->timeout_s + (double)GRACE_S * (levels_below + 1) -
				 (t - w->last_activity);
		deadline = w->start + (double)s->timeout_s * (levels_below + 1) +
			   (double)GRACE_S * (levels_below + 2);
		if (t > deadline)
			budget = 0;
		if (!exited && (w->fatal != OUTCOME_NONE || budget <= 0)) {
			timed_out = w->fatal == OUTCOME_NONE && !res->summary_seen;
			stop_child(pid, &status);
			exited = 1;
			break;
		}
		if (exited && (open_streams == 0 || w->fatal != OUTCOME_NONE))
			break;
		for (int i = 0; i < S_COUNT; i++) {
			pfd[i].fd = lb[i].fd;
			pfd[i].events = POLLIN;
		}
		/* once qemu has exited, only drain what it left in the pipes */
		if (poll(pfd, S_COUNT, exited ? 100 : 200) <= 0 && exited)
			break;
		for (int i = 0; i < S_COUNT; i++) {
			if (lb[i].fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) {
				if (line_reader_read(&lb[i], on_line[i], w) == 0) {
					close(lb[i].fd);
					lb[i].fd = -1;
					open_streams--;
				}
			}
		}
	}
	for (int i = 0; i < S_COUNT; i++) {
		if (lb[i].fd >= 0) {
			for (int k = 0; k < 256 && line_reader_read(&lb[i], on_line[i], w) > 0; k++)
				;
			close(lb[i].fd);
		}
	}

	if (res->summary_seen && w->fatal == OUTCOME_NONE) {
		free(w);
		return;		/* the child ended as it meant to */
	}

	{
		const char *lines[EVIDENCE_MAX];
		struct child_end end = {
			.came_up = res->came_up,
			.guest_spoke = w->guest_spoke,
			.console = lines,
			.nconsole = (size_t)w->nevidence,
			.qemu_stderr = w->qemu_stderr,
		};

		child_end_set_status(&end, status, timed_out);

		for (int i = 0; i < w->nevidence; i++)
			lines[i] = w->evidence[(w->evidence_next - w->nevidence + i + EVIDENCE_MAX) %
					       EVIDENCE_MAX];
		if (w->fatal != OUTCOME_NONE) {
			res->verdict.outcome = w->fatal;
			snprintf(res->verdict.evidence, sizeof(res->verdict.evidence), "%s",
				 w->fatal_line);
		} else {
			classify_child_end(&end, &res->verdict);
		}
	}
	emit_failure(w);
out_result:
	res->result = res->verdict.outcome;
	res->failed_level = s->level + 1;
	free(w);
}
