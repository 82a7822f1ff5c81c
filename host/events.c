/* events.c - the per-level run model built from report lines (see events.h). */
#include "events.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void events_init(struct run_model *m)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i <= RUN_MAX_LEVELS; i++) {
		m->level[i].boot_s = -1;
		m->level[i].started_at_s = -1;
		m->level[i].uptime_s = -1;
		m->level[i].up_at_s = -1;
	}
}

static void note(struct run_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct run_model *m, const char *fmt, ...)
{
	va_list ap;

	if (m->nnotes >= RUN_NOTES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(m->notes[m->nnotes++], sizeof(m->notes[0]), fmt, ap);
	va_end(ap);
}

static struct level_record *level_at(struct run_model *m, long n)
{
	if (n < 1 || n > RUN_MAX_LEVELS)
		return NULL;
	if (n > m->max_level)
		m->max_level = (int)n;
	m->level[n].seen = 1;
	return &m->level[n];
}

static void copy_field(const struct report *r, const char *key, char *out, size_t len)
{
	const char *v = report_get(r, key);

	if (v)
		snprintf(out, len, "%s", v);
}

static void add_evidence(struct level_record *l, const char *text)
{
	if (l->nevidence < LEVEL_EVIDENCE_MAX)
		snprintf(l->evidence[l->nevidence++], sizeof(l->evidence[0]), "%s", text);
}

static void on_up(struct run_model *m, struct level_record *l, const struct report *r)
{
	l->up = 1;
	l->up_at_s = m->last_s;
	if (report_get(r, "uptime_s"))
		l->uptime_s = strtod(report_get(r, "uptime_s"), NULL);
	copy_field(r, "accel", l->accel, sizeof(l->accel));
	copy_field(r, "vendor", l->vendor, sizeof(l->vendor));
	copy_field(r, "cpu", l->cpu, sizeof(l->cpu));
	copy_field(r, "virt", l->virt, sizeof(l->virt));
	copy_field(r, "nested", l->nested, sizeof(l->nested));
	copy_field(r, "kernel", l->kernel, sizeof(l->kernel));
	copy_field(r, "booted", l->booted, sizeof(l->booted));
	l->mem_mb = (long)report_get_int(r, "mem_mb", 0);
	l->avail_mb = (long)report_get_int(r, "avail_mb", 0);
	l->smp = (int)report_get_int(r, "smp", 0);
	if (r->level > m->deepest)
		m->deepest = r->level;
}

/* Events that describe the level named in their "level" field. */
static struct level_record *subject(struct run_model *m, const struct report *r)
{
	return level_at(m, report_get_int(r, "level", -1));
}

static void on_report(struct run_model *m, const struct report *r)
{
	struct level_record *l = level_at(m, r->level), *child;

	if (!l) {
		m->garbled++;
		note(m, "report names impossible level %d", r->level);
		return;
	}
	if (!strcmp(r->event, "up")) {
		on_up(m, l, r);
	} else if (!strcmp(r->event, "child-start") && (child = subject(m, r))) {
		child->started_at_s = m->last_s;
		l->child_mem_mb = (long)report_get_int(r, "mem_mb", 0);
	} else if (!strcmp(r->event, "child-up") && (child = subject(m, r))) {
		const char *b = report_get(r, "boot_s");

		if (b)
			child->boot_s = strtod(b, NULL);
	} else if (!strcmp(r->event, "child-exits") && (child = subject(m, r))) {
		if (report_get_int(r, "level", -1) == r->level + 1)
			exit_summary_from_report(&child->exits, r);
		else if (r->level == 1)	/* the TCG level: where depth's cost lands */
			exit_summary_from_report(&child->exits_l1, r);
	} else if (!strcmp(r->event, "child-fail") && (child = subject(m, r))) {
		child->outcome = outcome_from_name(report_get(r, "reason"));
		if (child->outcome == OUTCOME_NONE)
			child->outcome = OUTCOME_INTERNAL;
		copy_field(r, "detail", child->detail, sizeof(child->detail));
	} else if (!strcmp(r->event, "evidence") && (child = subject(m, r))) {
		const char *t = report_get(r, "text");

		add_evidence(child, t ? t : "");
	} else if (!strcmp(r->event, "stop")) {
		l->outcome = outcome_from_name(report_get(r, "reason"));
		if (l->outcome == OUTCOME_NONE)
			l->outcome = OUTCOME_INTERNAL;
		copy_field(r, "detail", l->detail, sizeof(l->detail));
		copy_field(r, "hint", l->hint, sizeof(l->hint));
	} else if (!strcmp(r->event, "summary")) {
		if (r->level == 1) {
			m->summary_seen = 1;
			m->result = outcome_from_name(report_get(r, "result"));
			m->failed_level = (int)report_get_int(r, "failed_level", 0);
			if (report_get_int(r, "deepest", 0) > m->deepest)
				m->deepest = (int)report_get_int(r, "deepest", 0);
		}
	} else if (!strcmp(r->event, "config-error")) {
		note(m, "L%d config error: %s=%s: %s (default used)", r->level,
		     report_get(r, "key") ? report_get(r, "key") : "?",
		     report_get(r, "value") ? report_get(r, "value") : "",
		     report_get(r, "detail") ? report_get(r, "detail") : "");
	} else if (!strcmp(r->event, "warning")) {
		note(m, "L%d warning: %s", r->level,
		     report_get(r, "detail") ? report_get(r, "detail") : "");
	} else if (!strcmp(r->event, "console") || !strcmp(r->event, "qemu")) {
		l->nconsole++;
		if (report_get(r, "garbled"))
			m->garbled++;
	}
	/* unknown events come from a newer launcher: kept in console.log only */
}

/* "[+12.345s] rest": the stamp our console.log puts in front of each line. */
static const char *strip_stamp(const char *line, double *stamp)
{
	char *end;
	double t;

	if (line[0] != '[' || line[1] != '+')
		return line;
	t = strtod(line + 2, &end);
	if (end == line + 2 || end[0] != 's' || end[1] != ']')
		return line;
	*stamp = t;
	return end[2] == ' ' ? end + 3 : end + 2;
}

void events_line(struct run_model *m, const char *line, double host_s)
{
	struct report r;
	double stamp = -1;
	size_t off;
	int rc;

	line = strip_stamp(line, &stamp);
	m->last_s = host_s >= 0 ? host_s : stamp >= 0 ? stamp : m->last_s;
	m->lines++;
	rc = report_parse(line, &r, &off);
	if (rc == 0) {
		on_report(m, &r);
		return;
	}
	if (rc == -EBADMSG) {
		m->garbled++;
		note(m, "garbled report line ignored: %.150s", line + off);
		return;
	}
	/* level 1's own kernel talking: evidence should level 1 die */
	if (*line && m->l1_nconsole < LEVEL_EVIDENCE_MAX) {
		snprintf(m->l1_console[m->l1_nconsole++], sizeof(m->l1_console[0]), "%s", line);
	} else if (*line) {
		memmove(m->l1_console[0], m->l1_console[1],
			sizeof(m->l1_console[0]) * (LEVEL_EVIDENCE_MAX - 1));
		snprintf(m->l1_console[LEVEL_EVIDENCE_MAX - 1], sizeof(m->l1_console[0]), "%s", line);
	}
}

void events_abnormal_end(struct run_model *m, const struct child_end *end)
{
	struct verdict v;
	struct level_record *l;
	int n = 1;

	if (m->summary_seen)
		return;
	/* Stopped from outside (time limit, interrupt) or a log that just
	 * ends: the deepest level that was started or up is where things
	 * stood.  Otherwise level 1's own qemu ended: level 1 failed. */
	for (int i = m->max_level; (!end || end->timed_out) && i >= 1; i--) {
		if (m->level[i].up || m->level[i].started_at_s >= 0) {
			n = i;
			break;
		}
	}
	l = level_at(m, n);
	if (end) {
		const char *lines[LEVEL_EVIDENCE_MAX];
		struct child_end e = *end;

		for (int i = 0; i < m->l1_nconsole; i++)
			lines[i] = m->l1_console[i];
		e.console = lines;
		e.nconsole = (size_t)m->l1_nconsole;
		e.guest_spoke = m->lines > 0;
		classify_child_end(&e, &v);
	} else {
		v.outcome = OUTCOME_NONE;	/* a saved log that just stops */
		snprintf(v.evidence, sizeof(v.evidence), "%s", "log ends before level 1's summary");
	}
	if (l->outcome == OUTCOME_NONE) {
		l->outcome = v.outcome;
		snprintf(l->detail, sizeof(l->detail), "%s", v.evidence);
		if (n == 1)
			for (int i = 0; i < m->l1_nconsole; i++)
				add_evidence(l, m->l1_console[i]);
	}
	m->result = l->outcome;
	m->failed_level = n;
}

void events_finish(struct run_model *m)
{
	for (int i = 1; i <= m->max_level; i++)
		if (m->level[i].up && i > m->deepest)
			m->deepest = i;
	if (!m->summary_seen && m->failed_level == 0)
		events_abnormal_end(m, NULL);
}

int level_has_boot(const struct level_record *l)
{
	return l->boot_s >= 0;
}
