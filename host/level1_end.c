/* level1_end.c - level 1's end, live and read back (see level1_end.h). */
#include "level1_end.h"
#include "classify.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const why_names[] = {
	[L1_RAN_OUT] = "ran-out", [L1_STOP_SIGNAL] = "signal",
	[L1_RUN_LIMIT] = "run-limit", [L1_BUDGET] = "budget",
};

void level1_end_init(struct level1_end *e)
{
	memset(e, 0, sizeof(*e));
}

void level1_end_add_stderr(struct level1_end *e, const char *line)
{
	size_t n = strlen(line);

	if (e->errlen + n + 2 < sizeof(e->err)) {
		memcpy(e->err + e->errlen, line, n);
		e->errlen += n;
		e->err[e->errlen++] = '\n';
		e->err[e->errlen] = '\0';
	}
}

/* "[host] KIND text", the text printable (it is stored as it reads back) */
static void host_line(char *buf, size_t len, const char *kind, const char *text)
{
	int n = snprintf(buf, len, LEVEL1_END_PREFIX "%s ", kind);

	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		return;
	}
	text_printable_str(buf + n, len - (size_t)n, text);
}

void level1_end_stderr_line(char *buf, size_t len, const char *line)
{
	host_line(buf, len, "qemu-stderr", line);
}

void level1_end_evidence_line(char *buf, size_t len, const char *line)
{
	host_line(buf, len, "evidence", line);
}

void level1_end_end_line(char *buf, size_t len, const struct level1_end *e)
{
	char text[sizeof(e->detail) + 64];

	snprintf(text, sizeof(text), "status=%d why=%s %s", e->status, why_names[e->why], e->detail);
	host_line(buf, len, "end", text);
}

static int read_end(struct level1_end *e, const char *s)
{
	char why[16];
	int used = 0;

	if (sscanf(s, "status=%d why=%15s %n", &e->status, why, &used) < 2 || !used)
		return 0;
	for (size_t i = 0; i < sizeof(why_names) / sizeof(why_names[0]); i++) {
		if (!strcmp(why, why_names[i])) {
			e->why = (enum level1_stop)i;
			snprintf(e->detail, sizeof(e->detail), "%s", s + used);
			e->seen = 1;
			return 1;
		}
	}
	return 0;
}

int level1_end_read_line(struct level1_end *e, struct run_model *m, const char *line)
{
	const char *s;

	if (strncmp(line, LEVEL1_END_PREFIX, strlen(LEVEL1_END_PREFIX)))
		return 0;
	s = line + strlen(LEVEL1_END_PREFIX);
	if (!strncmp(s, "qemu-stderr ", 12))
		level1_end_add_stderr(e, s + 12);
	else if (!strncmp(s, "evidence ", 9))
		events_level1_evidence(m, s + 9);
	else if (!strncmp(s, "end ", 4))
		read_end(e, s + 4);
	return 1;
}

void level1_end_judge(struct run_model *m, const struct level1_end *e)
{
	struct child_end end = { .came_up = m->level[1].up, .qemu_stderr = e->err };
	struct level_record *l;
	char detail[sizeof(l->detail) + sizeof(e->detail) + 2];

	child_end_set_status(&end, e->status, e->why != L1_RAN_OUT);
	events_abnormal_end(m, &end);
	l = &m->level[m->failed_level];
	if (e->why == L1_STOP_SIGNAL) {
		l->outcome = m->result = OUTCOME_NONE;
		snprintf(l->detail, sizeof(l->detail), "%s", e->detail);
	} else if (e->why == L1_RUN_LIMIT) {
		l->outcome = m->result = OUTCOME_TIMEOUT;
		snprintf(l->detail, sizeof(l->detail), "%s", e->detail);
	} else if (e->why == L1_BUDGET) {
		snprintf(detail, sizeof(detail), "%s; %s", l->detail, e->detail);
		snprintf(l->detail, sizeof(l->detail), "%.*s", (int)sizeof(l->detail) - 1, detail);
	}
}
