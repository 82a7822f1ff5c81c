/* level_status.c - per-level verdicts for CI formats (see level_status.h). */
#include "level_status.h"
#include "verdict.h"

#include <stdio.h>

const char *level_status_name(enum level_status s)
{
	static const char *const names[] = {
		[LEVEL_PASS] = "PASS", [LEVEL_FAIL] = "FAIL",
		[LEVEL_ERROR] = "ERROR", [LEVEL_SKIP] = "SKIP",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "ERROR";
}

int verdict_levels(const struct run_model *m, int max_depth)
{
	int n = max_depth > 0 ? max_depth : m->max_level;

	/* a report deeper than the limit we were told still shows */
	return m->max_level > n ? m->max_level : n;
}

double level_boot_time(const struct run_model *m, int n)
{
	const struct level_record *l;

	if (n < 1 || n > RUN_MAX_LEVELS)
		return -1;
	l = &m->level[n];
	if (!l->up)
		return -1;
	if (l->boot_s >= 0)
		return l->boot_s;
	return n == 1 ? l->up_at_s : -1;
}

/* Not a verdict on the kernel: the run itself broke or was stopped. */
static int is_infrastructure(const struct run_model *m, enum outcome o)
{
	return verdict_outcome_is_infrastructure(m, o);
}

void level_verdict(const struct run_model *m, int n, struct level_verdict *v)
{
	const struct level_record *l = &m->level[n], *parent = n > 1 ? &m->level[n - 1] : NULL;
	enum outcome died;	/* a parent that died did not refuse its child: SKIP */

	*v = (struct level_verdict){ .status = LEVEL_SKIP, .detail = "" };
	if (n < 1 || n > RUN_MAX_LEVELS) {
		snprintf(v->message, sizeof(v->message), "no such level");
		return;
	}
	if (verdict_level_failed(m, n, &v->outcome)) {	/* up and then dead, too */
		v->blame = n;
		v->detail = l->detail;
	} else if (l->up) {
		v->status = LEVEL_PASS;
		snprintf(v->message, sizeof(v->message), "level %d up", n);
		return;
	} else if (parent && parent->up && outcome_is_failure(parent->outcome) &&
		   !verdict_level_failed(m, n - 1, &died)) {
		v->blame = n - 1;		/* its parent could not start it */
		v->outcome = parent->outcome;
		v->detail = parent->detail;
	} else {
		v->outcome = m->result;
		snprintf(v->message, sizeof(v->message), "not attempted: chain ended at L%d (%s)",
			 m->failed_level, outcome_name(m->result));
		return;
	}
	v->status = is_infrastructure(m, v->outcome) ? LEVEL_ERROR : LEVEL_FAIL;
	snprintf(v->message, sizeof(v->message), "%s: %.250s", outcome_name(v->outcome),
		 v->detail[0] ? v->detail : outcome_text(v->outcome));
}
