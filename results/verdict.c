/* verdict.c - which level failed and the run's exit status (see verdict.h). */
#include "verdict.h"

#include <stdio.h>

/* What an outcome says about the level it is recorded on. */
enum outcome_kind {
	KIND_FINE,	/* max-depth: where a run is meant to end */
	KIND_STOP,	/* the level could not go deeper: its child was not reached */
	KIND_DEATH,	/* the level itself died or hung */
	KIND_INFRA,	/* no verdict on the kernel: the tool or launcher broke */
};

static const enum outcome_kind kinds[OUTCOME__COUNT] = {
	[OUTCOME_NONE] = KIND_INFRA,
	[OUTCOME_MAX_DEPTH] = KIND_FINE,
	[OUTCOME_NO_VIRT] = KIND_STOP,
	[OUTCOME_KVM_MODULE] = KIND_STOP,
	[OUTCOME_NESTED_OFF] = KIND_STOP,
	[OUTCOME_NO_KVM_DEV] = KIND_STOP,
	[OUTCOME_NO_MEM] = KIND_STOP,
	[OUTCOME_QEMU_START] = KIND_STOP,
	[OUTCOME_TIMEOUT] = KIND_DEATH,
	[OUTCOME_PANIC] = KIND_DEATH,
	[OUTCOME_OOM] = KIND_DEATH,
	[OUTCOME_KVM_ERROR] = KIND_DEATH,
	[OUTCOME_QEMU_CRASH] = KIND_DEATH,
	[OUTCOME_QEMU_EXIT] = KIND_DEATH,
	[OUTCOME_CONFIG] = KIND_INFRA,
	[OUTCOME_INTERNAL] = KIND_INFRA,
	[OUTCOME_RUN_LIMIT] = KIND_INFRA,	/* the run's time, not the kernel */
};

static enum outcome_kind kind(enum outcome o)
{
	return (unsigned)o < OUTCOME__COUNT ? kinds[o] : KIND_INFRA;
}

int verdict_status_rank(int status)
{
	static const int rank[] = {
		[VERDICT_PASS] = 0, [VERDICT_INFRA] = 1, [VERDICT_FAIL] = 2, [VERDICT_USAGE] = 3,
	};

	return status >= 0 && (size_t)status < sizeof(rank) / sizeof(rank[0]) ? rank[status] : 3;
}

int verdict_outcome_is_death(enum outcome o)
{
	return kind(o) == KIND_DEATH;
}

int verdict_outcome_is_infrastructure(const struct run_model *m, enum outcome o)
{
	/* a timeout with no summary is the run's own limit, not a level's budget */
	return kind(o) == KIND_INFRA || (!m->summary_seen && o == OUTCOME_TIMEOUT);
}

int verdict_level_failed(const struct run_model *m, int n, enum outcome *why)
{
	const struct level_record *l;
	/* the summary's word, when the level's own record lost it (a damaged line) */
	enum outcome said = n == m->failed_level ? m->result : OUTCOME_NONE;

	if (n < 1 || n > RUN_MAX_LEVELS || n > m->max_level || !m->level[n].seen)
		return 0;
	l = &m->level[n];
	if (l->up) {
		/* up, then dead: its own stop (no-virt, no-memory) is not a death */
		enum outcome o = kind(l->outcome) == KIND_DEATH ? l->outcome :
				 l->outcome == OUTCOME_NONE && kind(said) == KIND_DEATH ? said :
				 OUTCOME_NONE;

		if (o == OUTCOME_NONE)
			return 0;
		*why = o;
		return 1;
	}
	if (outcome_is_failure(l->outcome)) {
		*why = l->outcome;
		return 1;
	}
	if (n == m->failed_level) {	/* started, never up: with whatever outcome the end gave */
		*why = said;
		return 1;
	}
	return 0;
}

/* The deepest level up stopped going deeper by an outcome that is no
 * verdict on the kernel (its own run-limit, config-error, internal-error). */
static int stopped_for_the_run(const struct run_model *m)
{
	int d = m->deepest;

	return d >= 1 && d <= RUN_MAX_LEVELS && d <= m->max_level && m->level[d].up &&
	       m->level[d].outcome != OUTCOME_NONE &&
	       verdict_outcome_is_infrastructure(m, m->level[d].outcome);
}

int verdict_expected_depth(const struct run_model *m, int expect_depth)
{
	if (expect_depth > 0)
		return expect_depth;
	if (m->chain.maxdepth > 0)
		return m->chain.maxdepth;
	return m->max_level > 0 ? m->max_level : 1;
}

void verdict_run(const struct run_model *m, int expect_depth, struct run_verdict *v)
{
	enum outcome o;

	*v = (struct run_verdict){
		.status = VERDICT_PASS, .why = VERDICT_WHY_MET,
		.expected = verdict_expected_depth(m, expect_depth),
		.expected_given = expect_depth > 0,
	};
	for (int n = 1; n <= m->max_level && n <= RUN_MAX_LEVELS; n++) {
		if (!verdict_level_failed(m, n, &o))
			continue;
		if (n > v->expected) {	/* exploration: said, not failed on */
			if (!v->explored) {
				v->explored = n;
				v->explored_outcome = o;
			}
			continue;
		}
		if (v->level)
			continue;	/* the first failure within the expected depth decides */
		v->level = n;
		v->outcome = o;
		if (verdict_outcome_is_infrastructure(m, o)) {
			v->status = VERDICT_INFRA;
			v->why = m->summary_seen ? VERDICT_WHY_NO_VERDICT : VERDICT_WHY_UNFINISHED;
		} else {
			v->status = VERDICT_FAIL;
			v->why = VERDICT_WHY_LEVEL_FAILED;
		}
	}
	if (v->level)
		return;
	if (!m->summary_seen) {
		v->status = VERDICT_INFRA;
		v->why = VERDICT_WHY_UNFINISHED;
	} else if (m->deepest < v->expected && stopped_for_the_run(m)) {
		/* the deepest level went no deeper for the run's sake (run-limit,
		 * config-error), not the kernel's */
		v->status = VERDICT_INFRA;
		v->why = VERDICT_WHY_NO_VERDICT;
		v->level = m->deepest;
		v->outcome = m->level[m->deepest].outcome;
	} else if (m->deepest < v->expected) {
		v->status = VERDICT_FAIL;
		v->why = VERDICT_WHY_SHALLOW;
	}
}

/* "level 2", or its name in a tree ("L1.2"). */
static const char *named(const char *const *names, int level, char *buf, size_t len)
{
	if (names && level >= 0 && level <= REPORT_LEVEL_MAX && names[level])
		return names[level];
	snprintf(buf, len, "level %d", level);
	return buf;
}

int verdict_describe(const struct run_model *m, const struct run_verdict *v, char *buf, size_t len)
{
	return verdict_describe_named(m, v, NULL, buf, len);
}

int verdict_describe_named(const struct run_model *m, const struct run_verdict *v,
			   const char *const *names, char *buf, size_t len)
{
	char expected[64], level[32];

	snprintf(expected, sizeof(expected), "expected depth %d%s", v->expected,
		 v->expected_given ? "" : " (the run's max depth)");
	switch (v->why) {
	case VERDICT_WHY_LEVEL_FAILED:
		return snprintf(buf, len, "%s: FAILED (%s %s: %s)", expected,
				named(names, v->level, level, sizeof(level)),
				m->level[v->level].up ? "came up and then failed" : "failed",
				outcome_name(v->outcome));
	case VERDICT_WHY_NO_VERDICT:
		return snprintf(buf, len, "%s: NO VERDICT (%s ended with %s: not the kernel's "
				"failure, the run's)", expected, named(names, v->level, level, sizeof(level)),
				outcome_name(v->outcome));
	case VERDICT_WHY_UNFINISHED:
		return snprintf(buf, len, "%s: NO VERDICT (the run did not finish)", expected);
	case VERDICT_WHY_SHALLOW:
		return snprintf(buf, len, "%s: NOT MET (depth %d)", expected, m->deepest);
	case VERDICT_WHY_MET:
	default:
		if (v->explored)
			return snprintf(buf, len, "%s: met (%s beyond it failed: %s, exploration)",
					expected, named(names, v->explored, level, sizeof(level)),
					outcome_name(v->explored_outcome));
		return snprintf(buf, len, "%s: met", expected);
	}
}
