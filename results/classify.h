/* classify.h - decide how a child level failed, from what it left behind:
 * its console lines, qemu's stderr and how the qemu process ended.
 * Pure logic on text, tested on recorded real console logs. */
#ifndef SUPERNESTED_CLASSIFY_H
#define SUPERNESTED_CLASSIFY_H

#include "outcome.h"

#include <stddef.h>

struct child_end {
	int came_up;		/* the child reported "up" */
	int guest_spoke;	/* anything at all came out of the guest */
	int timed_out;		/* we killed it: silent past its budget */
	int exited, exit_code;	/* normal exit and its status */
	int signaled, signo;	/* killed by a signal we did not send */
	const char *const *console;	/* the child's last console lines, oldest first */
	size_t nconsole;
	const char *qemu_stderr;	/* everything qemu wrote on stderr */
};

struct verdict {
	enum outcome outcome;
	char evidence[256];	/* the line that decided, or a description */
};

/* Fill the exit fields of @end from a waitpid() @status; a signal we sent
 * ourselves (@timed_out) is not a crash. */
void child_end_set_status(struct child_end *end, int status, int timed_out);

/* One evidence line on how the child's qemu ended after @ran_s seconds, for
 * a child that left no line of its own (a quiet guest, a qemu killed by a
 * signal before it could say anything). */
void child_end_describe(const struct child_end *end, double ran_s, char *buf, size_t len);

/* The last fatal event among a level's console lines (@console, oldest
 * first): the newest fatal kernel message wins (a panic after a recovered
 * OOM kill is a panic); in one line the most specific (an OOM panic is an
 * OOM), and a panic whose trace runs through out_of_memory is an OOM.
 * Report lines (the level's own or relayed from deeper, accepted or
 * refused) are not its own words and never count.  Fills @v (evidence: the
 * deciding line) and returns that line's index, or -1 (OUTCOME_NONE). */
int classify_console(const char *const *console, size_t n, struct verdict *v);

/* Decide the outcome of a child that ended without reporting its own stop. */
void classify_child_end(const struct child_end *end, struct verdict *v);

/* A qemu stderr line that means the child is dead even though qemu still
 * runs (qemu pauses the VM on a KVM internal error): the outcome, else
 * OUTCOME_NONE. */
enum outcome classify_fatal_stderr(const char *line);

/* Why a KVM module failed to load, from kernel log text; sets a hint for
 * the user.  OUTCOME_KVM_MODULE when nothing more specific is found. */
enum outcome classify_kvm_load(const char *kernel_log, const char **hint);

#endif
