/* events.c - the per-level run model built from report lines (see events.h). */
#include "events.h"
#include "text.h"

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
		m->level[i].launcher_s = -1;
		m->level[i].first_console_at_s = -1;
		m->level[i].child_budget_s = -1;
	}
	m->first_s = -1;
	chain_init(&m->chain, 0, 0);
}

void events_expect_maxdepth(struct run_model *m, int maxdepth)
{
	/* what the run was started with; the first up line that says its
	 * maxdepth is what the levels run with, and every other must agree */
	m->chain.maxdepth = maxdepth;
	m->chain.maxdepth_soft = maxdepth > 0;
}

static void add_note(struct run_model *m, int warning, const char *fmt, va_list ap)
{
	char text[512];
	int *kept = warning ? &m->nwarnings : &m->nplain;

	/* each kind has its room, and one slot stays for "N more notes" */
	if (*kept >= (warning ? RUN_WARNINGS_MAX : RUN_NOTES_MAX) ||
	    m->nnotes >= RUN_NOTES_MAX + RUN_WARNINGS_MAX) {
		if (m->notes_dropped < ~0ULL)
			m->notes_dropped++;
		return;
	}
	vsnprintf(text, sizeof(text), fmt, ap);
	/* a %.Ns cut may split a character: the copy escapes what is left */
	text_printable_str(m->notes[m->nnotes++], sizeof(m->notes[0]), text);
	(*kept)++;
}

/* A note on a line ignored (garbled, refused). */
void events_guest_clock(struct run_model *m)
{
	m->chain.guest_clock = 1;
}

static void note(struct run_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct run_model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_note(m, 0, fmt, ap);
	va_end(ap);
}

/* A warning: a level's own, more time given, a line lost, a level refused. */
static void warn(struct run_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct run_model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_note(m, 1, fmt, ap);
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

/* Values are printable UTF-8 already (report.c); the copy cuts them on a
 * character boundary. */
static void copy_field(const struct report *r, const char *key, char *out, size_t len)
{
	const char *v = report_get(r, key);

	if (v)
		text_printable_str(out, len, v);
}

static long field_long(const struct report *r, const char *key)
{
	long long n = 0;

	report_get_long(r, key, 0, 1LL << 30, &n);	/* range checked by the chain */
	return (long)n;
}

/* A tick every N jiffies; not said: every jiffy. */
static int field_tick_stride(const struct report *r)
{
	long n = field_long(r, "tick_stride");

	return n > 0 ? (int)n : 1;
}

/* A count that may be unknown: -1 when absent, "-1" or out of range. */
static long field_count(const struct report *r, const char *key)
{
	long long n = -1;

	if (report_get_long(r, key, 0, 1LL << 40, &n) < 0)
		return -1;
	return (long)n;
}

static double field_real(const struct report *r, const char *key)
{
	double d = -1;

	report_get_real(r, key, 0, 1e7, &d);
	return d;
}

static void add_evidence(struct level_record *l, const char *text)
{
	if (l->nevidence < LEVEL_EVIDENCE_MAX)
		text_printable_str(l->evidence[l->nevidence++], sizeof(l->evidence[0]), text);
}

static void on_up(struct run_model *m, struct level_record *l, const struct report *r)
{
	l->up = 1;
	l->up_at_s = m->last_s;
	l->uptime_s = field_real(r, "uptime_s");
	l->launcher_s = field_real(r, "launcher_s");
	copy_field(r, "accel", l->accel, sizeof(l->accel));
	copy_field(r, "vendor", l->vendor, sizeof(l->vendor));
	copy_field(r, "cpu", l->cpu, sizeof(l->cpu));
	copy_field(r, "virt", l->virt, sizeof(l->virt));
	copy_field(r, "nested", l->nested, sizeof(l->nested));
	copy_field(r, "kernel", l->kernel, sizeof(l->kernel));
	copy_field(r, "booted", l->booted, sizeof(l->booted));
	copy_field(r, "entry", l->entry, sizeof(l->entry));
	copy_field(r, "version", l->version, sizeof(l->version));
	copy_field(r, "qemu", l->qemu, sizeof(l->qemu));
	l->tick_stride = field_tick_stride(r);	/* its kernel's own word */
	copy_field(r, "crng", l->crng, sizeof(l->crng));
	copy_field(r, "thp", l->thp, sizeof(l->thp));
	l->mem_mb = field_long(r, "mem_mb");
	l->avail_mb = field_long(r, "avail_mb");
	l->smp = (int)field_long(r, "smp");
	if (report_get(r, "ipi_tlb")) {
		l->ipis.known = 1;
		l->ipis.tlb = field_count(r, "ipi_tlb");
		l->ipis.call = field_count(r, "ipi_call");
		l->ipis.resched = field_count(r, "ipi_resched");
	}
	if (report_get(r, "exercised")) {
		l->exercised.known = 1;
		exercised_parse(report_get(r, "exercised"), &l->exercised.is);
	}
}

static void on_failure(struct level_record *l, const struct report *r)
{
	l->outcome = outcome_from_name(report_get(r, "reason"));
	if (l->outcome == OUTCOME_NONE)	/* a failure that does not say which */
		l->outcome = OUTCOME_INTERNAL;
	copy_field(r, "detail", l->detail, sizeof(l->detail));
	copy_field(r, "hint", l->hint, sizeof(l->hint));
}

/* Record a report that passed the chain's rules: it may only name its own
 * level and that level's child. */
static void on_report(struct run_model *m, const struct report *r)
{
	struct level_record *l = level_at(m, r->level), *child = NULL;

	/* child events name level+1, evidence level+1 or itself (the chain
	 * checked): that row exists now */
	if (!strncmp(r->event, "child-", 6))
		child = level_at(m, r->level + 1);
	else if (!strcmp(r->event, "evidence"))
		child = level_at(m, field_long(r, "level"));
	if (!strcmp(r->event, "up")) {
		on_up(m, l, r);
	} else if (!strcmp(r->event, "child-start")) {
		child->started_at_s = m->last_s;
		child->tick_stride = field_tick_stride(r);	/* asked; its up line says what took */
		l->child_mem_mb = field_long(r, "mem_mb");
		l->child_need_mb = field_long(r, "need_mb");
		l->reserve_mb = field_long(r, "reserve_mb");
		l->child_budget_s = field_real(r, "budget_s");
	} else if (!strcmp(r->event, "child-extend")) {
		double to = field_real(r, "budget_s");

		/* a level still booting, still working: more time, up to 4 times
		 * and the cap; the run's derived limit grows by no more */
		if (to > l->child_budget_s) {
			double from = l->child_budget_s > 0 ? l->child_budget_s : 0;
			double capped = to < BUDGET_CAP_S ? to : BUDGET_CAP_S;

			if (capped > from)
				m->budget_extended_s += capped - from;
			warn(m, "L%d gave L%d more time, %g s in all: still booting and working "
			     "after %g s", r->level, r->level + 1, to, field_real(r, "after_s"));
			l->child_budget_s = to;
		}
	} else if (!strcmp(r->event, "child-up")) {
		child->boot_s = field_real(r, "boot_s");
		copy_field(r, "vcpu_cpus", child->vcpu_cpus, sizeof(child->vcpu_cpus));
		copy_field(r, "vcpu_guest_ms", child->vcpu_guest_ms, sizeof(child->vcpu_guest_ms));
	} else if (!strcmp(r->event, "child-exits")) {
		/* exits of the level it names, counted by its parent's KVM or, for
		 * deeper levels, by level 1's (the TCG level: where depth's cost lands) */
		struct level_record *x = level_at(m, field_long(r, "level"));

		if (x && field_long(r, "level") == r->level + 1)
			exit_summary_from_report(&x->exits, r);
		else if (x && r->level == 1)
			exit_summary_from_report(&x->exits_l1, r);
	} else if (!strcmp(r->event, "child-fail")) {
		on_failure(child, r);
	} else if (!strcmp(r->event, "evidence")) {
		const char *t = report_get(r, "text");

		add_evidence(child, t ? t : "");
	} else if (!strcmp(r->event, "stop")) {
		on_failure(l, r);
	} else if (!strcmp(r->event, "summary")) {
		long long failed = 0;

		/* checked against the chain: believable.  Level 1's ends the run;
		 * the shallowest deeper one stands for it should it be lost */
		report_get_long(r, "failed_level", 1, RUN_MAX_LEVELS, &failed);
		if (r->level == 1) {
			m->summary_seen = 1;
			m->summary_from = 1;
			m->result = outcome_from_name(report_get(r, "result"));
			m->failed_level = (int)failed;
		} else if (!m->deeper_from || r->level < m->deeper_from) {
			m->deeper_from = r->level;
			m->deeper_result = outcome_from_name(report_get(r, "result"));
			m->deeper_failed = (int)failed;
		}
	} else if (!strcmp(r->event, "config-error")) {
		warn(m, "L%d config error: %s=%s: %s (default used)", r->level,
		     report_get(r, "key") ? report_get(r, "key") : "?",
		     report_get(r, "value") ? report_get(r, "value") : "",
		     report_get(r, "detail") ? report_get(r, "detail") : "");
	} else if (!strcmp(r->event, "warning")) {
		warn(m, "L%d warning: %s", r->level,
		     report_get(r, "detail") ? report_get(r, "detail") : "");
	} else if (!strcmp(r->event, "console") || !strcmp(r->event, "qemu")) {
		if (!strcmp(r->event, "console") && l->first_console_at_s < 0)
			l->first_console_at_s = m->last_s;
		l->nconsole++;
		if (report_get(r, "garbled"))
			m->garbled++;
	}
	/* unknown events come from a newer launcher: kept in console.log only */
	m->deepest = m->chain.deepest_up;
}

/* "[+12.345s] rest": the stamp our console.log puts in front of each line.
 * Plain decimals only, so no "[+infs]" becomes a time. */
static const char *strip_stamp(const char *line, double *stamp)
{
	size_t n;
	char *end;
	double t;

	if (line[0] != '[' || line[1] != '+')
		return line;
	n = strspn(line + 2, "0123456789.");
	if (n == 0 || n > 12 || line[2 + n] != 's' || line[3 + n] != ']')
		return line;
	t = strtod(line + 2, &end);
	if (end != line + 2 + n)
		return line;
	*stamp = t;
	return line[4 + n] == ' ' ? line + 5 + n : line + 4 + n;
}

/* The current line's number, saturated. */
static int line_index(const struct run_model *m)
{
	return m->lines < 0x7fffffff ? (int)m->lines : 0x7fffffff;
}

/* A line that ends like a report (" crc=" and 8 hex digits) but holds none:
 * a report whose "supernested: L" prefix was damaged. */
static int damaged_report(const char *line)
{
	size_t n = strlen(line);
	const char *t;

	while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (n < REPORT_CRC_LEN)
		return 0;
	t = line + n - REPORT_CRC_LEN;
	return !strncmp(t, " " REPORT_CRC_KEY "=", 5) && strspn(t + 5, "0123456789abcdef") >= 8;
}

/* Level 1's own kernel talking: the last lines, evidence should level 1 die. */
static void keep_l1_console(struct run_model *m, const char *line)
{
	if (m->l1_nconsole == LEVEL_EVIDENCE_MAX) {
		memmove(m->l1_console[0], m->l1_console[1],
			sizeof(m->l1_console[0]) * (LEVEL_EVIDENCE_MAX - 1));
		memmove(&m->l1_console_line[0], &m->l1_console_line[1],
			sizeof(m->l1_console_line[0]) * (LEVEL_EVIDENCE_MAX - 1));
		m->l1_nconsole--;
	}
	m->l1_console_line[m->l1_nconsole] = line_index(m);
	text_printable_str(m->l1_console[m->l1_nconsole++], sizeof(m->l1_console[0]), line);
}

/* What the chain inferred or refused beyond the report itself: levels
 * found up by a lost line, a subtree refused as implausible. */
static void follow_chain(struct run_model *m, const struct report *r, int accepted,
			 const char *why)
{
	const struct chain *c = &m->chain;

	if (accepted && c->recovered[0]) {
		m->damaged++;
		warn(m, "damaged stream: %s", c->recovered);
	}
	for (int i = 1; i <= RUN_MAX_LEVELS && i <= c->deepest_up; i++)
		if (c->level[i].up && !m->level[i].up)
			level_at(m, i)->up = 1;	/* up_at_s unknown: its line was lost */
	if (c->refused_from && c->refused_from != m->refused_from) {
		struct level_record *l = level_at(m, c->refused_from);

		m->refused_from = c->refused_from;
		for (int i = m->refused_from; i <= RUN_MAX_LEVELS; i++)
			m->level[i].up = 0;
		if (l && !l->detail[0])
			text_printable_str(l->detail, sizeof(l->detail), why);
		warn(m, "refused: %s", why);
	}
	/* a level 1 summary with a valid checksum resting on a refused subtree:
	 * the chain ended, with no word on the kernel below the refused level */
	if (!accepted && r && r->level == 1 && !strcmp(r->event, "summary") && m->refused_from &&
	    !m->summary_seen) {
		m->summary_seen = 1;
		m->summary_from = 1;
		m->result = OUTCOME_NONE;
		m->failed_level = m->refused_from;
	}
	m->deepest = c->deepest_up;
}

void events_line(struct run_model *m, const char *line, double host_s)
{
	struct report r;
	char why[200];
	double stamp = -1, now;
	size_t off;
	int rc;

	/* a stamp behind a stamp (a log converted and stamped again): the
	 * innermost is the one taken when the line was read */
	for (const char *p = strip_stamp(line, &stamp); p != line; p = strip_stamp(line, &stamp))
		line = p;
	now = host_s >= 0 ? host_s : stamp;	/* <0: this line has no time */
	m->last_s = now >= 0 ? now : m->last_s;
	if (now >= 0 && m->first_s < 0)
		m->first_s = now;
	else if (now >= 0 && now != m->first_s)
		m->clock_moves = 1;
	m->lines++;
	rc = report_parse(line, &r, &off);
	if (rc == -ENOENT && damaged_report(line)) {
		/* a report whose prefix was hit: not level 1's own words */
		m->damaged_line = line_index(m);
		m->garbled++;
		note(m, "damaged report line ignored: %.150s", line);
		return;
	}
	if (rc == -ENOENT) {
		if (*line) {
			keep_l1_console(m, line);
			if (m->level[1].first_console_at_s < 0)
				m->level[1].first_console_at_s = m->last_s;
		}
		return;
	}
	if (rc == 0) {
		/* a log whose lines all carry one time (restamped) has no clock */
		chain_clock(&m->chain, m->clock_moves ? now : -1);
		rc = chain_accept(&m->chain, &r, why, sizeof(why));
		if (rc == 0) {
			m->last_report_line = line_index(m);
			on_report(m, &r);
		}
		if (rc < 0 && m->refused_from && m->refused_from == m->chain.refused_from &&
		    (r.level >= m->refused_from || strstr(why, "whose reports were refused"))) {
			/* the refused subtree goes on talking: counted, one note */
			m->rejected++;
			if (m->refused_below < ~0ULL)
				m->refused_below++;
			follow_chain(m, &r, 0, why);
			return;
		}
		follow_chain(m, &r, rc == 0, why);
		if (rc == 0)
			return;
		if (m->refused_from && strstr(why, "refused with its subtree")) {
			m->rejected++;	/* said in follow_chain's note */
			return;
		}
	}
	if (rc == -EBADMSG) {
		m->damaged_line = line_index(m);
		m->garbled++;
		note(m, "garbled report line ignored: %.150s", line + off);
	} else if (rc == -ERANGE) {
		m->garbled++;
		note(m, "report ignored: %s", why);
	} else {
		m->rejected++;
		note(m, "report ignored: %s", why);
	}
}

/* Level 1's summary was lost (a damaged line): the shallowest deeper one,
 * relayed by level 1 and checked by the chain, stands for it. */
static int recover_summary(struct run_model *m)
{
	const struct chain *c = &m->chain;
	int n = m->max_level;

	/* only when a damaged line followed the last report: a log merely
	 * cut there proves nothing about how level 1 ended */
	if (m->summary_seen || m->damaged_line <= m->last_report_line)
		return 0;
	if (!m->deeper_from && n >= 2 && n <= RUN_MAX_LEVELS && c->level[n].failed) {
		/* no summary at all: the deepest level's parent said it failed,
		 * and level 1's summary would have said so */
		m->summary_seen = 1;
		m->summary_from = n - 1;
		m->result = c->level[n].outcome;
		m->failed_level = n;
		m->damaged++;
		warn(m, "damaged stream: level 1's summary was lost; L%d's child-fail for level %d "
		     "(%s) stands for it", n - 1, n, outcome_name(m->result));
		return 1;
	}
	if (!m->deeper_from)
		return 0;
	m->summary_seen = 1;
	m->summary_from = m->deeper_from;
	m->result = m->deeper_result;
	m->failed_level = m->deeper_failed;
	m->damaged++;
	warn(m, "damaged stream: level 1's summary was lost; level %d's (%s at level %d) "
	     "stands for it", m->deeper_from, outcome_name(m->deeper_result), m->deeper_failed);
	return 1;
}

/* Level 1's own kernel lines after the last report: a fatal message there
 * (the newest wins) means level 1 itself died.  Returns 1 and blames it. */
static int level1_died(struct run_model *m)
{
	const char *lines[LEVEL_EVIDENCE_MAX];
	struct level_record *l = &m->level[1];
	struct verdict v;
	int n = 0, at;

	for (int i = 0; i < m->l1_nconsole; i++)
		if (m->l1_console_line[i] > m->last_report_line)
			lines[n++] = m->l1_console[i];
	at = classify_console(lines, (size_t)n, &v);
	if (at < 0)
		return 0;
	level_at(m, 1);
	l->outcome = v.outcome;
	text_printable_str(l->detail, sizeof(l->detail), v.evidence);
	/* its own lines around the event: a few before, all after */
	l->nevidence = 0;
	for (int i = at > 4 ? at - 4 : 0; i < n; i++)
		add_evidence(l, lines[i]);
	m->result = v.outcome;
	m->failed_level = 1;
	return 1;
}

void events_abnormal_end(struct run_model *m, const struct child_end *end)
{
	struct verdict v;
	struct level_record *l;
	int n = 1;

	if (m->summary_seen || level1_died(m) || recover_summary(m))
		return;
	if (m->damaged_line > m->last_report_line) {
		/* nothing after it says what it was: said, and the end judged
		 * on what the intact lines prove */
		m->damaged++;
		warn(m, "damaged stream: a report line after the last accepted one (line %d) was "
		     "lost; nothing after it proves what it said", m->damaged_line);
	}
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

		if (e.timed_out)	/* the level blamed is the one that came up or not */
			e.came_up = l->up;
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
		text_printable_str(l->detail, sizeof(l->detail), v.evidence);
		if (n == 1)
			for (int i = 0; i < m->l1_nconsole; i++)
				add_evidence(l, m->l1_console[i]);
	}
	m->result = l->outcome;
	m->failed_level = n;
}

void events_level1_evidence(struct run_model *m, const char *line)
{
	add_evidence(&m->level[1], line);
}

void events_level1_clock(const struct run_model *m, double explicit_s, struct budget_clock *c)
{
	*c = (struct budget_clock){
		.start = 0,
		.up_at = m->level[1].up ? m->level[1].up_at_s : -1,
		.last_activity = m->lines ? m->last_s : 0,
		.summary_at = m->summary_seen ? m->last_s : -1,
	};
	for (int i = 1; i <= m->max_level; i++) {
		if (m->level[i].child_budget_s > 0)
			budget_note_announced(c, m->level[i].child_budget_s);
		if (i >= 2 && m->level[i].boot_s >= 0)
			budget_note_boot(c, m->level[i].boot_s, explicit_s, i);
	}
}

void events_finish(struct run_model *m)
{
	if (!m->summary_seen && m->failed_level == 0)
		events_abnormal_end(m, NULL);
	m->deepest = m->chain.deepest_up;
	/* the level the summary names lost its own line (its stop, or its
	 * parent's child-fail, recovered by evidence): the summary says */
	if (m->summary_seen && m->result != OUTCOME_NONE && m->failed_level >= 1 &&
	    m->failed_level <= RUN_MAX_LEVELS && m->level[m->failed_level].outcome == OUTCOME_NONE) {
		m->level[m->failed_level].outcome = m->result;
		if (m->result == OUTCOME_MAX_DEPTH && !m->chain.level[m->failed_level].stopped) {
			m->damaged++;
			warn(m, "damaged stream: L%d's stop line was lost; the summary says max-depth",
			     m->failed_level);
		}
	}
	/* a level up whose parent's child-up never came, though the chain went
	 * on past it: that line was lost, with the level's boot time */
	for (int i = 2; i <= m->max_level; i++) {
		const struct chain_level *p = &m->chain.level[i - 1], *k = &m->chain.level[i];

		if (m->level[i].up && !p->child_up && (k->child_started || k->summary ||
						       m->chain.ended_from) &&
		    (!m->refused_from || i < m->refused_from)) {
			m->damaged++;
			warn(m, "damaged stream: L%d's child-up for level %d was lost: its boot time "
			     "is unknown", i - 1, i);
		}
	}
	/* a level that never came up while taking only its parent's interrupts */
	for (int i = 2; i <= m->max_level; i++) {
		struct level_record *l = &m->level[i];

		if (!l->up && l->outcome == OUTCOME_TIMEOUT && !l->hint[0])
			exit_summary_starved(&l->exits, l->hint, sizeof(l->hint));
	}
	if (m->refused_below)
		warn(m, "%llu more reports from level %d's refused subtree ignored", m->refused_below,
		     m->refused_from);
	/* what did not fit is counted, never silently lost */
	if (m->notes_dropped && m->nnotes < RUN_NOTES_MAX + RUN_WARNINGS_MAX + 1)
		snprintf(m->notes[m->nnotes++], sizeof(m->notes[0]), "%llu more notes",
			 m->notes_dropped);
}
