/* supervisor.h - one child process under watch, the same way for the
 * launcher (its child level's qemu) and the host tool (level 1's qemu):
 * start an argv with its output streams on pipes, split them into lines
 * (line_reader), reap it, and stop it with bounded waits.  The caller's
 * loop decides when to stop (budget.h); nothing here blocks unbounded. */
#ifndef SUPERNESTED_SUPERVISOR_H
#define SUPERNESTED_SUPERVISOR_H

#include <sys/types.h>

#include "line_reader.h"

#define SUPERVISOR_STREAMS 3
#define SUPERVISOR_TERM_WAIT_S 5	/* SIGTERM -> SIGKILL */
#define SUPERVISOR_KILL_WAIT_S 5	/* SIGKILL -> give up waiting (a D-state child) */

typedef void (*supervisor_line_fn)(void *ctx, char *line);

struct supervisor_stream {
	int child_fd;			/* 1, 2 or 3 in the child */
	supervisor_line_fn on_line;
};

struct supervisor {
	pid_t pid;
	int status;			/* waitpid status, once reaped */
	int exited, reaped;		/* gone (or given up on); its status is known */
	int nstreams, open_streams;
	struct line_reader in[SUPERVISOR_STREAMS];
	supervisor_line_fn on_line[SUPERVISOR_STREAMS];
	void *ctx;
};

/* Start @argv (PATH searched without a '/'): stdin /dev/null, each stream
 * a pipe to us, a session of its own (the terminal's Ctrl-C is ours to
 * handle), and killed when we die.  Returns 0 or -errno. */
int supervisor_start(struct supervisor *sv, char *const argv[],
		     const struct supervisor_stream *streams, int n, void *ctx);

/* Wait up to @ms for output, hand over its lines, reap the child when it
 * ends.  Returns 1 while it runs or has output left, 0 when all is done. */
int supervisor_poll(struct supervisor *sv, int ms);

#define SUPERVISOR_MANY_MAX 8

/* supervisor_poll for @n (<= SUPERVISOR_MANY_MAX) children at once, one
 * wait for all of them: a level watching its siblings in one loop.
 * Returns how many still run or have output left (0: all done), or
 * -errno.  An exited child whose pipes stay silent for a whole wait is
 * finished (supervisor_finish). */
int supervisor_poll_many(struct supervisor *const sv[], int n, int ms);

/* SIGTERM, then SIGKILL, each wait bounded. */
void supervisor_stop(struct supervisor *sv);

/* Hand over what is left in the pipes (bounded) and close them. */
void supervisor_finish(struct supervisor *sv);

#endif
