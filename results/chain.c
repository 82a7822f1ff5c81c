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
	{ "tick_stride", 0, 1, 100 },
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
	c->now = -1;
	for (size_t i = 0; i < sizeof(c->level) / sizeof(c->level[0]); i++) {
		c->level[i].start_at = c->level[i].up_at = -1;
		c->level[i].given_mb = -1;
	}
	if (self + 1 <= REPORT_LEVEL_MAX)
		c->level[self + 1].started = 1;
}

void chain_clock(struct chain *c, double now)
{
	c->now = now;
}

/* Say which lost line an accepted report implies (several may add up). */
static void recovered(struct chain *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void recovered(struct chain *c, const char *fmt, ...)
{
	size_t n = strlen(c->recovered);
	va_list ap;

	if (n + 3 >= sizeof(c->recovered))
		return;
	if (n)
		n += (size_t)snprintf(c->recovered + n, sizeof(c->recovered) - n, "; ");
	va_start(ap, fmt);
	vsnprintf(c->recovered + n, sizeof(c->recovered) - n, fmt, ap);
	va_end(ap);
}

/* Level @n did what only a level that is up does (started its child, or its
 * parent reported it up): its own up line was lost. */
static int imply_up(struct chain *c, int n, const char *by, char *why, size_t len)
{
	struct chain_level *l = &c->level[n];

	if (l->up)
		return 0;
	if (!l->started || l->failed || l->up_refused)
		return refuse(-EPERM, why, len, "%s, but level %d %s", by, n,
			      l->failed ? "was reported failed" :
			      l->up_refused ? "had its up refused" : "was never started");
	l->up = 1;
	if (n > c->deepest_up)
		c->deepest_up = n;
	recovered(c, "L%d's up line was lost: %s", n, by);
	return 0;
}

/* Everything from level @n down is refused from now on (set by the caller
 * after the refused report's changes are undone). */
static int subtree(int *refuse_at, int n, int err)
{
	*refuse_at = n;
	return err;
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

static int on_up(struct chain *c, const struct report *r, struct chain_level *l, int *cut,
		 char *why, size_t len)
{
	long long md, mem;

	if (l->up)
		return refuse(-EPERM, why, len, "L%d up twice", r->level);
	if (l->failed)
		return refuse(-EPERM, why, len, "L%d up after its parent reported it failed", r->level);
	if (report_get_long(r, "maxdepth", 1, REPORT_LEVEL_MAX, &md) == 0) {
		/* the first up line that says, whichever level (level 1's may be lost) */
		if ((!c->maxdepth || c->maxdepth_soft) && md >= c->deepest_up && md >= r->level) {
			c->maxdepth = (int)md;
			c->maxdepth_soft = 0;
		} else if (md != c->maxdepth)
			return refuse(-EPERM, why, len, "L%d up with maxdepth=%lld, the chain's is %d",
				      r->level, md, c->maxdepth);
	}
	if (report_get_long(r, "mem_mb", 0, 1 << 30, &mem) == 0 && l->given_mb >= 0 &&
	    mem > l->given_mb)
		return subtree(cut, r->level,
			       refuse(-EPERM, why, len, "L%d refused with its subtree: up with "
				      "mem_mb=%lld, its parent gave it %lld", r->level, mem, l->given_mb));
	if (!c->guest_clock && c->now >= 0 && l->start_at >= 0 &&
	    c->now - l->start_at < CHAIN_BOOT_FLOOR_S)
		return subtree(cut, r->level,
			       refuse(-EPERM, why, len, "L%d refused with its subtree: up %.3f s "
				      "after its child-start, under the %.2f s floor", r->level,
				      c->now - l->start_at, CHAIN_BOOT_FLOOR_S));
	l->up = 1;
	l->up_at = c->now;
	if (r->level > c->deepest_up)
		c->deepest_up = r->level;
	return 0;
}

/* A parent's measure of its child's boot against the floor and against
 * what the observer saw between the child's child-start and up. */
static int check_boot(struct chain *c, const struct report *r, int n, int *cut, char *why,
		      size_t len)
{
	const struct chain_level *k = &c->level[n];
	double boot, seen;

	/* boot_s is on the parent's clock, which may run far behind the
	 * host's (a level 1 under Bochs measured 0.021 s for a 60 s boot):
	 * only the observer's own clock gives a floor (on_up) */
	if (report_get_real(r, "boot_s", 0, 1e7, &boot) < 0)
		return 0;
	if (k->start_at < 0 || k->up_at < 0)
		return 0;
	seen = k->up_at - k->start_at;
	if (boot > seen * CHAIN_BOOT_SLACK_RATIO + CHAIN_BOOT_SLACK_S)
		return subtree(cut, n, refuse(-EPERM, why, len, "L%d refused with its subtree: "
					      "boot_s=%.3f, but it came up %.3f s after its "
					      "child-start", n, boot, seen));
	return 0;
}

static int on_child_event(struct chain *c, const struct report *r, int *cut, char *why,
			  size_t len)
{
	struct chain_level *l = &c->level[r->level];
	int n = child_of(r, why, len);
	struct chain_level *k;
	char by[80];
	int rc;

	if (n < 0)
		return n;
	k = &c->level[n];
	if (n == r->level)	/* evidence about itself */
		return 0;
	if (c->refused_from && n >= c->refused_from)
		return refuse(-EPERM, why, len, "L%d %s about level %d, whose reports were refused",
			      r->level, r->event, n);
	/* only a level that is up starts, watches or reports a child */
	snprintf(by, sizeof(by), "its %s proves it came up", r->event);
	rc = imply_up(c, r->level, by, why, len);
	if (rc < 0)
		return rc;
	if (!strcmp(r->event, "child-start")) {
		long long mem;

		if (l->child_started || (c->maxdepth && n > c->maxdepth))
			return refuse(-EPERM, why, len, "L%d child-start for level %d not allowed",
				      r->level, n);
		l->child_started = k->started = 1;
		k->start_at = c->now;
		if (report_get_long(r, "mem_mb", 0, 1 << 30, &mem) == 0)
			k->given_mb = mem;
	} else if (!k->started) {
		return refuse(-EPERM, why, len, "L%d %s about level %d, never started", r->level,
			      r->event, n);
	} else if (!strcmp(r->event, "child-up")) {
		if (l->child_up)
			return refuse(-EPERM, why, len, "L%d child-up for level %d twice", r->level, n);
		snprintf(by, sizeof(by), "L%d's child-up proves it came up", r->level);
		rc = imply_up(c, n, by, why, len);
		if (rc == 0)
			rc = check_boot(c, r, n, cut, why, len);
		if (rc < 0)
			return rc;
		l->child_up = 1;
	} else if (!strcmp(r->event, "child-extend")) {
		if (k->up || k->failed)	/* more time to come up: only while it boots */
			return refuse(-EPERM, why, len, "L%d child-extend for level %d that %s",
				      r->level, n, k->up ? "is up" : "failed");
	} else if (!strcmp(r->event, "child-fail")) {
		enum outcome o = outcome_from_name(report_get(r, "reason"));

		if (o == OUTCOME_NONE)	/* no reason: internal-error, as the event model has it */
			o = OUTCOME_INTERNAL;
		if (k->failed)
			return refuse(-EPERM, why, len, "L%d child-fail for level %d twice", r->level, n);
		if (o == OUTCOME_MAX_DEPTH)
			return refuse(-EPERM, why, len, "L%d child-fail for level %d with max-depth, "
				      "no failure", r->level, n);
		k->failed = 1;
		k->outcome = o;
	} else if (!strcmp(r->event, "evidence")) {
		k->evidence = 1;	/* a parent shows a child's last words when it failed */
	}
	return 0;
}

static int on_summary(struct chain *c, const struct report *r, char *why, size_t len)
{
	int seen = c->deepest_up > r->level ? c->deepest_up : r->level;
	long long deepest, failed;
	enum outcome result = outcome_from_name(report_get(r, "result"));
	struct chain_level *f;

	if (report_get_long(r, "deepest", 0, REPORT_LEVEL_MAX, &deepest) < 0 ||
	    report_get_long(r, "failed_level", 1, REPORT_LEVEL_MAX + 1, &failed) < 0 ||
	    result == OUTCOME_NONE)
		return refuse(-ERANGE, why, len, "L%d summary without deepest, failed_level, result",
			      r->level);
	if (deepest > seen)
		return refuse(-EPERM, why, len, "L%d summary claims depth %lld, deepest seen up is %d",
			      r->level, deepest, seen);
	if (failed < r->level || failed > REPORT_LEVEL_MAX || !c->level[failed].started ||
	    (c->refused_from && failed >= c->refused_from))
		return refuse(-EPERM, why, len, "L%d summary names level %lld, never started%s",
			      r->level, failed, c->level[failed].started ? " or refused" : "");
	f = &c->level[failed];
	if (f->outcome != OUTCOME_NONE && f->outcome != result)
		return refuse(-EPERM, why, len, "L%d summary says %s at level %lld, which reported %s",
			      r->level, outcome_name(result), failed, outcome_name(f->outcome));
	if (result == OUTCOME_MAX_DEPTH && c->maxdepth && failed != c->maxdepth)
		return refuse(-EPERM, why, len, "L%d summary says max-depth at level %lld, the "
			      "chain's maxdepth is %d", r->level, failed, c->maxdepth);
	if (outcome_is_failure(result) && f->outcome == OUTCOME_NONE) {
		/* a parent that shows a child's last words sent its child-fail */
		if (!f->evidence)
			return refuse(-EPERM, why, len, "L%d summary says %s at level %lld, which "
				      "reported no failure", r->level, outcome_name(result), failed);
		recovered(c, "L%lld's child-fail for level %lld was lost: its evidence and L%d's "
			  "summary say %s", failed - 1, failed, r->level, outcome_name(result));
		/* the summary stands for it: a child-fail after it is one too many */
		f->failed = 1;
		f->outcome = result;
	}
	c->ended_from = r->level;
	return 0;
}

static int accept(struct chain *c, const struct report *r, int *cut, char *why, size_t len)
{
	struct chain_level *l;
	int rc;

	if (r->level <= c->self || r->level > REPORT_LEVEL_MAX ||
	    (c->maxdepth && r->level > c->maxdepth))
		return refuse(-EPERM, why, len, "report from level %d, outside the chain", r->level);
	if (c->refused_from && r->level >= c->refused_from)
		return refuse(-EPERM, why, len, "L%d %s: its reports are refused (level %d broke "
			      "the plausibility rules)", r->level, r->event, c->refused_from);
	l = &c->level[r->level];
	rc = check_values(r, why, len);
	if (rc < 0)
		return rc;
	if (!l->started) {
		/* the level above is up and started no child: its child-start
		 * line was lost, and this report is its child speaking */
		struct chain_level *p = &c->level[r->level - 1];

		if (!p->up || p->child_started || p->failed || p->start_refused ||
		    (c->ended_from && r->level - 1 >= c->ended_from))
			return refuse(-EPERM, why, len, "L%d speaks but was never started by its parent",
				      r->level);
		p->child_started = l->started = 1;
		recovered(c, "L%d's child-start for level %d was lost: level %d speaks",
			  r->level - 1, r->level, r->level);
	}
	/* a parent wraps its child's console text: allowed until the end */
	if (!strcmp(r->event, "console") || !strcmp(r->event, "qemu"))
		return c->ended_from && r->level - 1 >= c->ended_from
			? refuse(-EPERM, why, len, "L%d %s after the summary above it", r->level, r->event)
			: 0;
	if (c->ended_from && r->level >= c->ended_from)
		return refuse(-EPERM, why, len, "L%d %s after its summary", r->level, r->event);

	if (!strcmp(r->event, "up"))
		return on_up(c, r, l, cut, why, len);
	if (!strcmp(r->event, "child-start") || !strcmp(r->event, "child-up") ||
	    !strcmp(r->event, "child-fail") || !strcmp(r->event, "child-extend") ||
	    !strcmp(r->event, "evidence"))
		return on_child_event(c, r, cut, why, len);
	if (!strcmp(r->event, "stop")) {
		enum outcome o = outcome_from_name(report_get(r, "reason"));

		if (o == OUTCOME_NONE)	/* no reason: internal-error, as the event model has it */
			o = OUTCOME_INTERNAL;
		if (l->stopped)
			return refuse(-EPERM, why, len, "L%d stop twice", r->level);
		if (o == OUTCOME_MAX_DEPTH && c->maxdepth && r->level != c->maxdepth)
			return refuse(-EPERM, why, len, "L%d stop with max-depth, the chain's maxdepth "
				      "is %d", r->level, c->maxdepth);
		l->stopped = 1;
		l->outcome = o;
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
		    (n < r->level || !c->level[n].started ||
		     (c->refused_from && n >= c->refused_from)))
			return refuse(-EPERM, why, len, "L%d %s about level %lld, not below it",
				      r->level, r->event, n);
	}
	return 0;
}

int chain_accept(struct chain *c, const struct report *r, char *why, size_t len)
{
	/* a refused report changes nothing: what it implied is undone */
	struct chain before;
	int cut = 0, rc;

	why[0] = '\0';
	c->recovered[0] = '\0';
	if (!node_is_first(&r->node)) {	/* a tree's node: read it with tree.h */
		snprintf(why, len, "names a node of a tree, not a level of one chain");
		return -EPERM;
	}
	before = *c;
	rc = accept(c, r, &cut, why, len);
	if (rc == 0)
		return 0;
	*c = before;
	/* a refused line is not a lost one: nothing infers it back */
	if (!strcmp(r->event, "up") && r->level > c->self && r->level <= REPORT_LEVEL_MAX)
		c->level[r->level].up_refused = 1;
	if (!strcmp(r->event, "child-start") && r->level > c->self && r->level <= REPORT_LEVEL_MAX)
		c->level[r->level].start_refused = 1;
	if (cut > 0) {
		/* an implausible level takes its subtree with it */
		if (!c->refused_from || cut < c->refused_from)
			c->refused_from = cut;
		if (c->deepest_up >= cut)
			c->deepest_up = cut - 1;
		for (int i = cut; i < REPORT_LEVEL_MAX + 2; i++)
			c->level[i].up = 0;
	}
	return rc;
}
