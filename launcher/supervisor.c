/* supervisor.c - start, watch and stop one child process (see supervisor.h). */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void exec_child(char *const argv[], const int *pipe_w, const struct supervisor_stream *st,
		       int n, pid_t parent)
{
	int devnull = open("/dev/null", O_RDONLY);

	/* die with the parent: a killed host tool leaves no qemu behind */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	setsid();
	dup2(devnull, 0);
	for (int i = 0; i < n; i++)
		dup2(pipe_w[i], st[i].child_fd);
	execvp(argv[0], argv);
	dprintf(2, "cannot execute %s: %s (is it installed?)\n", argv[0], strerror(errno));
	_exit(127);
}

int supervisor_start(struct supervisor *sv, char *const argv[],
		     const struct supervisor_stream *streams, int n, void *ctx)
{
	int pipe_r[SUPERVISOR_STREAMS], pipe_w[SUPERVISOR_STREAMS], i, err;
	pid_t parent = getpid();

	memset(sv, 0, sizeof(*sv));
	if (n < 1 || n > SUPERVISOR_STREAMS)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int p[2];

		if (pipe2(p, O_CLOEXEC) < 0) {
			err = -errno;
			goto err_pipes;
		}
		pipe_r[i] = p[0];
		pipe_w[i] = p[1];
	}
	sv->pid = fork();
	if (sv->pid < 0) {
		err = -errno;
		goto err_pipes;
	}
	if (sv->pid == 0)
		exec_child(argv, pipe_w, streams, n, parent);
	for (i = 0; i < n; i++) {
		close(pipe_w[i]);
		fcntl(pipe_r[i], F_SETFL, fcntl(pipe_r[i], F_GETFL) | O_NONBLOCK);
		line_reader_init(&sv->in[i], pipe_r[i], LINE_READER_MAX);
		sv->on_line[i] = streams[i].on_line;
	}
	sv->nstreams = sv->open_streams = n;
	sv->ctx = ctx;
	return 0;

err_pipes:
	while (i-- > 0) {
		close(pipe_r[i]);
		close(pipe_w[i]);
	}
	return err;
}

static void reap(struct supervisor *sv)
{
	if (!sv->exited && waitpid(sv->pid, &sv->status, WNOHANG) == sv->pid)
		sv->exited = sv->reaped = 1;
}

static void read_stream(struct supervisor *sv, int i)
{
	if (line_reader_read(&sv->in[i], sv->on_line[i], sv->ctx) == 0) {
		close(sv->in[i].fd);
		sv->in[i].fd = -1;
		sv->open_streams--;
	}
}

int supervisor_poll(struct supervisor *sv, int ms)
{
	struct pollfd pfd[SUPERVISOR_STREAMS];
	int rc;

	reap(sv);
	if (sv->exited && sv->open_streams == 0)
		return 0;
	for (int i = 0; i < sv->nstreams; i++)
		pfd[i] = (struct pollfd){ .fd = sv->in[i].fd, .events = POLLIN };
	/* once it has exited, only drain what it left in the pipes */
	rc = poll(pfd, (nfds_t)sv->nstreams, sv->exited && ms > 100 ? 100 : ms);
	if (rc <= 0)
		return !(sv->exited && (rc == 0 || errno != EINTR));
	for (int i = 0; i < sv->nstreams; i++)
		if (sv->in[i].fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
			read_stream(sv, i);
	return 1;
}

int supervisor_poll_many(struct supervisor *const sv[], int n, int ms)
{
	struct pollfd pfd[SUPERVISOR_MANY_MAX * SUPERVISOR_STREAMS];
	int active = 0, draining = 0, k = 0, rc;

	if (n > SUPERVISOR_MANY_MAX)
		return -E2BIG;
	for (int j = 0; j < n; j++) {
		reap(sv[j]);
		if (sv[j]->exited && sv[j]->open_streams == 0)
			continue;
		active++;
		draining |= sv[j]->exited;
	}
	if (!active)
		return 0;
	for (int j = 0; j < n; j++)
		for (int i = 0; i < sv[j]->nstreams; i++)
			pfd[k++] = (struct pollfd){ .fd = sv[j]->in[i].fd, .events = POLLIN };
	/* one that has exited: only drain what it left, soon */
	rc = poll(pfd, (nfds_t)k, draining && ms > 100 ? 100 : ms);
	if (rc < 0 && errno != EINTR)
		return -errno;
	if (rc > 0) {
		k = 0;
		for (int j = 0; j < n; j++)
			for (int i = 0; i < sv[j]->nstreams; i++, k++)
				if (sv[j]->in[i].fd >= 0 && (pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
					read_stream(sv[j], i);
	} else if (rc == 0) {
		/* an exited one whose pipes stayed silent a whole wait: done */
		for (int j = 0; j < n; j++)
			if (sv[j]->exited && sv[j]->open_streams > 0)
				supervisor_finish(sv[j]);
	}
	return active;
}

static int wait_reaped(struct supervisor *sv, double seconds)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	for (double waited = 0; waited < seconds; waited += 0.05) {
		reap(sv);
		if (sv->exited)
			return 1;
		nanosleep(&pause, NULL);
	}
	return 0;
}

void supervisor_stop(struct supervisor *sv)
{
	reap(sv);
	if (sv->exited)
		return;
	kill(sv->pid, SIGTERM);
	if (wait_reaped(sv, SUPERVISOR_TERM_WAIT_S))
		return;
	kill(sv->pid, SIGKILL);
	if (!wait_reaped(sv, SUPERVISOR_KILL_WAIT_S)) {
		sv->exited = 1;	/* stuck in the kernel: give up on it, not on the run */
		sv->status = SIGKILL;	/* as if killed: it is ours */
	}
}

void supervisor_finish(struct supervisor *sv)
{
	for (int i = 0; i < sv->nstreams; i++) {
		if (sv->in[i].fd < 0)
			continue;
		for (int k = 0; k < 256 && sv->in[i].fd >= 0 &&
				line_reader_read(&sv->in[i], sv->on_line[i], sv->ctx) > 0; k++)
			;
		if (sv->in[i].fd >= 0) {
			close(sv->in[i].fd);
			sv->in[i].fd = -1;
			sv->open_streams--;
		}
	}
}
