/* monitor.h - talk to a child qemu's human monitor (HMP) on its unix socket:
 * where a silent child was (status, registers) before it is killed, and
 * commands such as "stop".  Every exchange has a time bound. */
#ifndef SUPERNESTED_MONITOR_H
#define SUPERNESTED_MONITOR_H

#include <stddef.h>

/* Where every level puts its child's monitor (its own /run). */
#define MONITOR_SOCKET "/run/monitor.sock"
#define MONITOR_WAIT_MS 3000	/* for one whole exchange */
#define MONITOR_LINE_MAX 160

/* Pure: the lines of raw HMP output @raw worth keeping as evidence (VM
 * status, instruction pointer, general registers, CS, control registers),
 * cleaned of prompts, echo and terminal escapes, each prefixed "monitor: ".
 * Calls @keep for each, in order; returns how many. */
int monitor_pick(const char *raw, void (*keep)(void *ctx, const char *line), void *ctx);

/* Send @cmds (NULL terminated) to the monitor at @path, one after the other,
 * and collect everything it answers into @out (NUL terminated).  Gives up
 * after @wait_ms in all.  Returns bytes collected or -errno. */
int monitor_exchange(const char *path, const char *const cmds[], char *out, size_t len,
		     int wait_ms);

/* Ask the monitor at @path where the guest is ("info status", "info
 * registers") and hand the chosen lines to @keep.  When the monitor does
 * not answer, one line says so.  Returns lines kept. */
int monitor_evidence(const char *path, void (*keep)(void *ctx, const char *line), void *ctx);

#endif
