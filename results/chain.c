/* chain.c - the rules of a report stream (see chain.h). */
#include "chain.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Numeric fields, wherever they appear: anything else in them is garbage. */
static const struct {
	const char *key;
	int real;		/* decimal seconds rather than an integer */
	double min, max;
} numeric_fields[] = {
	{ "level", 0, 1, REPORT_LEVEL_MAX },
	{ "deepest", 0, 0, REPORT_LEVEL_MAX },
	{ "failed_level", 0, 1, REPORT_LEVEL_MAX + 1 },
	{ "maxdepth", 0, 1, REPORT_LEVEL_MAX },
	{ "uptime_s", 1, 0, 1e7 },
	{ "launcher_s", 1, 0, 1e7 },
	{ "boot_s", 1, 0, 1e7 },
	{ "budget_s", 1, 0, 1e7 },
	{ "after_s", 1, 0, 1e7 },
	{ "mem_mb", 0, 0, 1 << 30 },
	{ "avail_mb", 0, 0, 1 << 30 },
	{ "need_mb", 0, 0, 1 << 30 },
	{ "reserve_mb", 0, 0, 1 << 30 },
	{ "smp", 0, 0, 1 << 16 },
};

/* Fields that name an outcome. */
static const char *const outcome_fields[] = { "reason", "result" };

static int refuse(int err, char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int refuse(int err, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return err;
}

void chain_init(struct chain *c, int self, int maxdepth)
{
	memset(c, 0, sizeof(*c));
	c->self = self;
	c->maxdepth = maxdepth;
	if (self + 1 <= REPORT_LEVEL_MAX)
		c->level[self + 1].started = 1;
}

static int check_values(const struct report *r, char *why, size_t len)
{
	for (size_t i = 0; i < sizeof(numeric_fields) / sizeof(numeric_fields[0]); i++) {
		const char *key = numeric_fields[i].key;
		double d;
		long long n;
		int rc = numeric_fields[i].real
			? report_get_real(r, key, numeric_fields[i].min, numeric_fields[i].max, &d)
			: report_get_long(r, key, (long long)numeric_fields[i].min,
					  (long long)numeric_fields[i].max, &n);

		if (rc == -ERANGE)
			return refuse(-ERANGE, why, len, "%s=%.40s is not a number in range", key,
				      report_get(r, key));
	}
	for (size_t i = 0; i < sizeof(outcome_fields) / sizeof(outcome_fields[0]); i++) {
		const char *v = report_get(r, outcome_fields[i]);

		if (v && outcome_from_name(v) == OUTCOME_NONE)
			return refuse(-ERANGE, why, len, "%s=%.40s is no known outcome",
				      outcome_fields[i], v);
	}
	return 0;
}

/* The "level" field of an event about a level's child: must be that child
 * (evidence may also be about the level itself: its own last words). */
static int child_of(const struct report *r, char *why, size_t len)
{
	long long n = -1;

	if (report_get_long(r, "level", 1, REPORT_LEVEL_MAX, &n) < 0 ||
	    (n != r->level + 1 && !(n == r->level && !strcmp(r->event, "evidence"))))
		return refuse(-EPERM, why, len, "L%d %s about level %lld, not its child", r->level,
			      r->event, n);
	return (int)n;
}

static int on_up(struct chain *c, const struct report *r, struct chain_level *l, char *why,
		 size_t len)
{
	long long md;

	if (l->up)
		return refuse(-EPERM, why, len, "L%d up twice", r->level);
	if (report_get_long(r, "maxdepth", 1, REPORT_LEVEL_MAX, &md) == 0) {
		if (!c->maxdepth && r->level == c->self + 1)
			c->maxdepth = (int)md;
		else if (md != c->maxdepth)
			return refuse(-EPERM, why, len, "L%d up with maxdepth=%lld, the chain's is %d",
				      r->level, md, c->maxdepth);
	}
	l->up = 1;
	if (r->level > c->deepest_up)
		c->deepest_up = r->level;
	return 0;
}

static int on_child_event(struct chain *c, const struct report *r, char *why, size_t len)
{
	struct chain_level *l = &c->level[r->level];
	int n = child_of(r, why, len);
	struct chain_level *k;

	if (n < 0)
		return n;
	k = &c->level[n];
	if (n == r->level)	/* evidence about itself */
		return 0;
	if (!l->up)
		return refuse(-EPERM, why, len, "L%d %s before it was up", r->level, r->event);
	if (!strcmp(r->event, "child-start")) {
		if (l->child_started || (c->maxdepth && n > c->maxdepth))
			return refuse(-EPERM, why, len, "L%d child-start for level %d not allowed",
				      r->level, n);
		l->child_started = k->started = 1;
	} else if (!k->started) {
		return refuse(-EPERM, why, len, "L%d %s about level %d, never started", r->level,
			      r->event, n);
	} else if (!strcmp(r->event, "child-up")) {
		if (!k->up || l->child_up)
			return refuse(-EPERM, why, len, "L%d child-up for level %d %s", r->level, n,
				      k->up ? "twice" : "that is not up");
		l->child_up = 1;
	} else if (!strcmp(r->event, "child-extend")) {
		if (k->up || k->failed)	/* more time to come up: only while it boots */
			return refuse(-EPERM, why, len, "L%d child-extend for level %d that %s",
				      r->level, n, k->up ? "is up" : "failed");
	} else if (!strcmp(r->event, "child-fail")) {
		if (k->failed)
			return refuse(-EPERM, why, len, "L%d child-fail for level %d twice", r->level, n);
		k->failed = 1;
		k->outcome = outcome_from_name(report_get(r, "reason"));
	}
	return 0;	/* evidence: any number of lines */
}

static int on_summary(struct chain *c, const struct report *r, char *why, size_t len)
{
	int seen = c->deepest_up > r->level ? c->deepest_up : r->level;
	long long deepest, failed;
	enum outcome result = outcome_from_name(report_get(r, "result"));

	if (report_get_long(r, "deepest", 0, REPORT_LEVEL_MAX, &deepest) < 0 ||
	    report_get_long(r, "failed_level", 1, REPORT_LEVEL_MAX + 1, &failed) < 0 ||
	    result == OUTCOME_NONE)
		return refuse(-ERANGE, why, len, "L%d summary without deepest, failed_level, result",
			      r->level);
	if (deepest > seen)
		return refuse(-EPERM, why, len, "L%d summary claims depth %lld, deepest seen up is %d",
			      r->level, deepest, seen);
	if (failed < r->level || failed > REPORT_LEVEL_MAX || !c->level[failed].started)
		return refuse(-EPERM, why, len, "L%d summary names level %lld, never started",
			      r->level, failed);
	if (c->level[failed].outcome != OUTCOME_NONE && c->level[failed].outcome != result)
		return refuse(-EPERM, why, len, "L%d summary says %s at level %lld, which reported %s",
			      r->level, outcome_name(result), failed,
			      outcome_name(c->level[failed].outcome));
	c->ended_from = r->level;
	return 0;
}

int chain_accept(struct chain *c, const struct report *r, char *why, size_t len)
{
	struct chain_level *l;
	int rc;

	why[0] = '\0';
	if (r->level <= c->self || r->level > REPORT_LEVEL_MAX ||
	    (c->maxdepth && r->level > c->maxdepth))
		return refuse(-EPERM, why, len, "report from level %d, outside the chain", r->level);
	l = &c->level[r->level];
	if (!l->started)
		return refuse(-EPERM, why, len, "L%d speaks but was never started by its parent",
			      r->level);
	rc = check_values(r, why, len);
	if (rc < 0)
		return rc;
	/* a parent wraps its child's console text: allowed until the end */
	if (!strcmp(r->event, "console") || !strcmp(r->event, "qemu"))
		return c->ended_from && r->level - 1 >= c->ended_from
			? refuse(-EPERM, why, len, "L%d %s after the summary above it", r->level, r->event)
			: 0;
	if (c->ended_from && r->level >= c->ended_from)
		return refuse(-EPERM, why, len, "L%d %s after its summary", r->level, r->event);

	if (!strcmp(r->event, "up"))
		return on_up(c, r, l, why, len);
	if (!strcmp(r->event, "child-start") || !strcmp(r->event, "child-up") ||
	    !strcmp(r->event, "child-fail") || !strcmp(r->event, "child-extend") ||
	    !strcmp(r->event, "evidence"))
		return on_child_event(c, r, why, len);
	if (!strcmp(r->event, "stop")) {
		if (l->stopped)
			return refuse(-EPERM, why, len, "L%d stop twice", r->level);
		l->stopped = 1;
		l->outcome = outcome_from_name(report_get(r, "reason"));
		return 0;
	}
	if (!strcmp(r->event, "summary"))
		return on_summary(c, r, why, len);
	/* config-error, warning, and events such as child-exits: what such an
	 * event says about a level (its "level" field) must be about one
	 * started at or below the reporter */
	{
		long long n;

		if (report_get_long(r, "level", 1, REPORT_LEVEL_MAX, &n) == 0 &&
		    (n < r->level || !c->level[n].started))
			return refuse(-EPERM, why, len, "L%d %s about level %lld, not below it",
				      r->level, r->event, n);
	}
	return 0;
}
