/* level1_end.h - how level 1's qemu ended, as the host saw it (its exit
 * status, its stderr, why the host stopped it, where its CPU was), judged
 * the same way live and from a saved console.log: the live run writes
 * these facts into console.log as "[host] " lines, which no guest line can
 * be (the run stamps every guest line "[+T s] "), and parse reads them
 * back.  Pure: no I/O. */
#ifndef SUPERNESTED_LEVEL1_END_H
#define SUPERNESTED_LEVEL1_END_H

#include <stddef.h>

#include "console_log.h"
#include "events.h"

#define LEVEL1_END_PREFIX CONSOLE_LOG_HOST_PREFIX

/* Why the host stopped level 1 (or did not). */
enum level1_stop { L1_RAN_OUT, L1_STOP_SIGNAL, L1_RUN_LIMIT, L1_BUDGET };

struct level1_end {
	int seen;			/* its "end" line was read (parse) or made (run) */
	int status;			/* waitpid status */
	enum level1_stop why;
	char detail[REPORT_VALUE_MAX];	/* the host's words on why it stopped it */
	char err[16384];		/* qemu's stderr, for classifying the end */
	size_t errlen;
};

void level1_end_init(struct level1_end *e);

/* One line of qemu's stderr, kept while there is room. */
void level1_end_add_stderr(struct level1_end *e, const char *line);

/* console.log's lines for them (without newline) into @buf:
 * a stderr line, a line of evidence about level 1, and the end itself. */
void level1_end_stderr_line(char *buf, size_t len, const char *line);
void level1_end_evidence_line(char *buf, size_t len, const char *line);
void level1_end_end_line(char *buf, size_t len, const struct level1_end *e);

/* A console.log line: 0 when it is not a host line; 1 when it was one
 * (its fact kept in @e, or evidence handed to @m). */
int level1_end_read_line(struct level1_end *e, struct run_model *m, const char *line);

/* Level 1 ended without its summary: its outcome from @e into @m. */
void level1_end_judge(struct run_model *m, const struct level1_end *e);

#endif
