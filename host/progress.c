/* progress.c - the tool's output on a writer thread (see progress.h). */
#include "progress.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct progress_queue q;
	pthread_t thread;
	int running, closing;
	int gone[PQ_STREAMS];		/* its reader went away (EPIPE): write no more */
	FILE *saved[PQ_STREAMS], *stream[PQ_STREAMS];
} P = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static const int stream_fd[PQ_STREAMS] = { 1, 2 };

/* Caught rather than ignored: an ignored signal stays ignored across exec,
 * and qemu should get the default like any child. */
static void on_sigpipe(int sig)
{
	(void)sig;
}

/* All of @len, blocking as long as the reader takes; -1 when it is gone. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {	/* someone made it non-blocking */
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			poll(&pfd, 1, -1);
		} else if (n < 0 && errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

static void *writer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&P.mu);
	for (;;) {
		struct pq_item *it = pq_pop(&P.q);

		if (!it) {
			if (P.closing)
				break;
			pthread_cond_wait(&P.cv, &P.mu);
			continue;
		}
		pthread_mutex_unlock(&P.mu);
		/* only this thread writes, and it alone may block */
		if (!P.gone[it->stream] && write_all(stream_fd[it->stream], it->text, it->len) < 0)
			P.gone[it->stream] = 1;
		free(it);
		pthread_mutex_lock(&P.mu);
	}
	pthread_mutex_unlock(&P.mu);
	return NULL;
}

static void push(enum pq_stream s, const char *text, size_t len, int droppable)
{
	pthread_mutex_lock(&P.mu);
	pq_push(&P.q, s, text, len, droppable);
	pthread_cond_signal(&P.cv);
	pthread_mutex_unlock(&P.mu);
}

static ssize_t stream_write(void *cookie, const char *buf, size_t size)
{
	push((enum pq_stream)(long)cookie, buf, size, 0);
	return (ssize_t)size;
}

int progress_begin(void)
{
	struct sigaction sa = { .sa_handler = on_sigpipe, .sa_flags = SA_RESTART };
	sigset_t block, old;
	int rc;

	if (P.running)
		return 0;
	pq_init(&P.q, PROGRESS_QUEUE_BYTES);
	P.closing = 0;
	P.gone[PQ_STDOUT] = P.gone[PQ_STDERR] = 0;
	sigaction(SIGPIPE, &sa, NULL);
	fflush(stdout);
	fflush(stderr);
	/* the stop signals belong to the thread that follows level 1 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = -pthread_create(&P.thread, NULL, writer, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return rc;
	for (int s = 0; s < PQ_STREAMS; s++) {
		cookie_io_functions_t io = { .write = stream_write };

		P.stream[s] = fopencookie((void *)(long)s, "w", io);
		if (P.stream[s])
			setvbuf(P.stream[s], NULL, _IOLBF, 0);
	}
	P.running = 1;
	P.saved[PQ_STDOUT] = stdout;
	P.saved[PQ_STDERR] = stderr;
	if (P.stream[PQ_STDOUT])
		stdout = P.stream[PQ_STDOUT];
	if (P.stream[PQ_STDERR])
		stderr = P.stream[PQ_STDERR];
	return 0;
}

void progress_line(enum pq_stream s, const char *line)
{
	if (!P.running) {
		fputs(line, s == PQ_STDERR ? stderr : stdout);
		fflush(s == PQ_STDERR ? stderr : stdout);
		return;
	}
	/* what stdio holds goes first: the order on the terminal is the order said */
	fflush(s == PQ_STDERR ? stderr : stdout);
	push(s, line, strlen(line), 1);
}

unsigned long long progress_end(void)
{
	unsigned long long dropped;

	if (!P.running)
		return 0;
	fflush(stdout);
	fflush(stderr);
	stdout = P.saved[PQ_STDOUT];
	stderr = P.saved[PQ_STDERR];
	for (int s = 0; s < PQ_STREAMS; s++)
		if (P.stream[s])
			fclose(P.stream[s]);
	pthread_mutex_lock(&P.mu);
	pq_say_dropped(&P.q);
	P.closing = 1;
	pthread_cond_signal(&P.cv);
	pthread_mutex_unlock(&P.mu);
	pthread_join(P.thread, NULL);
	dropped = P.q.dropped[PQ_STDOUT] + P.q.dropped[PQ_STDERR];
	pq_clear(&P.q);
	P.running = 0;
	return dropped;
}
