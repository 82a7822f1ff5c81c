/* child.c - child qemu supervision (see child.h). */
#include "chain.h"
#include "child.h"
#include "console.h"
#include "inject.h"
#include "kvm_stats.h"
#include "monitor.h"
#include "report.h"
#include "smp_probe.h"
#include "supervisor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EVIDENCE_MAX 200
#define STDERR_MAX 8192

struct watch {
	const struct settings *s;
	int child_level;
	struct node node;	/* the child's name */
	struct node self;	/* this level's */
	const char *monitor;	/* its qemu's monitor socket */
	/* what the child's subtree may say: one chain, or in a tree one per
	 * leaf below the child, each reading the reports as tree.h says */
	struct chain chain[TREE_LEAVES_MAX];
	struct node leaf[TREE_LEAVES_MAX];
	int nchains, tree;
	struct supervisor sv;
	int ended;		/* stopped by us, or gone by itself */
	int timed_out;
	struct budget_clock clock;
	struct child_result *res;
	char evidence[EVIDENCE_MAX][256];
	int nevidence, evidence_next;
	char qemu_stderr[STDERR_MAX];
	size_t stderr_len;
	int guest_spoke;	/* any line from the guest itself */
	enum outcome fatal;	/* seen live on stderr */
	char fatal_line[256];
	pid_t pid;		/* the child's qemu */
	struct budget budget;	/* its time, extended while it works */
	double window_s;	/* its newest stretch of time: the first budget or an extension */
	long long work;		/* its own work (kvm_stats_child_work) late in that stretch; */
	int work_seen;		/* ... taken once a quarter of the stretch is left */
	struct vcpu_pins pins;	/* its vCPU threads, each kept on one CPU here */
	double pins_looked_at;	/* when we last looked for them */
};

/* Deepest level seen up below this one, on any of its chains. */
static int deepest_up(const struct watch *w)
{
	int d = 0;

	for (int i = 0; i < w->nchains; i++)
		if (w->chain[i].deepest_up > d)
			d = w->chain[i].deepest_up;
	return d;
}

/* The chains' rules (chain.h) for a report from the child's subtree: the
 * one chain, or every chain of the tree the report belongs to (tree.h),
 * tried on a copy first: one refusal refuses it on all, so the chains
 * never disagree about what was relayed.  0, or -errno with @why. */
static int check_report(struct watch *w, const struct report *r, char *why, size_t len)
{
	static struct chain trial;
	struct report view;
	int on_any = 0, rc;

	if (!w->tree)
		return chain_accept(&w->chain[0], r, why, len);
	for (int i = 0; i < w->nchains; i++) {
		int on = tree_report_on_path(r, &w->leaf[i], &view);

		if (on < 0) {
			snprintf(why, len, "a field that names a level names none");
			return -ERANGE;
		}
		if (!on)
			continue;
		on_any = 1;
		trial = w->chain[i];
		rc = chain_accept(&trial, &view, why, len);
		if (rc < 0)	/* refused for real there: what a refusal marks, marked */
			return chain_accept(&w->chain[i], &view, why, len);
	}
	if (!on_any) {
		snprintf(why, len, "names a level outside the subtree of the child it came from");
		return -EPERM;
	}
	for (int i = 0; i < w->nchains; i++)	/* as tried: each accepts */
		if (tree_report_on_path(r, &w->leaf[i], &view) == 1)
			chain_accept(&w->chain[i], &view, why, len);
	return 0;
}

/* The node a report's field names, or @fallback. */
static struct node named_node(const struct report *r, const char *key, const struct node *fallback)
{
	struct node n;
	const char *v = report_get(r, key);

	if (!v || node_parse(v, &n) < 0)
		return *fallback;
	return n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void keep_evidence(struct watch *w, const char *line)
{
	/* evidence lines are cut to their slot: the start says what happened */
	snprintf(w->evidence[w->evidence_next], sizeof(w->evidence[0]), "%.*s",
		 (int)sizeof(w->evidence[0]) - 1, line);
	w->evidence_next = (w->evidence_next + 1) % EVIDENCE_MAX;
	if (w->nevidence < EVIDENCE_MAX)
		w->nevidence++;
}

/* Wrap a line that is not a report we relay (kernel output, qemu stderr,
 * a report that broke the rules) so the level above can tell whose it is. */
static void relay_wrapped(struct watch *w, const char *event, const char *line,
			  const char *garbled)
{
	struct report r;

	report_init_node(&r, &w->node, event);
	if (garbled)
		report_add(&r, "garbled", garbled);
	report_add(&r, "text", line);
	report_emit(&r);
}

/* A boot at @level failed: this level's exits since the last up were its
 * cost, when it never came up (a failure after up would overwrite that
 * level's own boot profile with what followed it). */
static void failed_boot_exits(struct watch *w, const struct node *n)
{
	if (n->level > deepest_up(w))
		kvm_stats_report(&w->self, n, w->pid);
}

/* A level below came up: our child (time its boot), or deeper. */
static void on_up(struct watch *w, const struct report *r)
{
	if (node_equal(&r->node, &w->node)) {
		struct report up;

		w->res->came_up = 1;
		w->clock.up_at = now_s();
		w->res->boot_s = w->clock.up_at - w->clock.start;
		report_init_node(&up, &w->self, "child-up");
		report_add_node(&up, "level", &w->node);
		report_addf(&up, "boot_s", "%.3f", w->res->boot_s);
		if (w->pins.ncpus > 1) {
			char cpus[VCPU_LIST_MAX], ms[VCPU_LIST_MAX];

			vcpu_pins_where(&w->pins, w->pid, cpus, sizeof(cpus), ms, sizeof(ms));
			report_add(&up, "vcpu_cpus", cpus);
			report_add(&up, "vcpu_guest_ms", ms);
		}
		report_emit(&up);
		inject_child_up(w->s, &w->node, w->pid);
	}
	/* this level's exits during that boot (the exit profile) */
	kvm_stats_report(&w->self, &r->node, w->pid);
}

/* The deepest level seen up on the branch ending at @path (the first of
 * the child's chains through it), this level's own at least. */
static int branch_seen_up(const struct watch *w, const struct node *path)
{
	for (int i = 0; i < w->nchains; i++)
		if (node_on_path(path, &w->leaf[i]))
			return w->chain[i].deepest_up > w->s->level ? w->chain[i].deepest_up : w->s->level;
	return w->s->level;
}

/* Our child's summary: checked by the chain (a started level, the outcome
 * seen there), so it can be kept.  A child with children of its own sends
 * one per branch, each saying how many: it has ended as it meant to only
 * once all have come (a child that dies between them has failed). */
static void on_summary(struct watch *w, const struct report *r)
{
	struct node failed = named_node(r, "failed_level", &w->node);
	long long deepest = w->child_level;

	if (report_get_long(r, "branches", 1, TREE_LEAVES_MAX, &w->res->nbranches_said) < 0 ||
	    !w->tree)
		w->res->nbranches_said = 0;
	w->res->result = outcome_from_name(report_get(r, "result"));
	w->res->failed_level = failed.level;
	if (w->tree && w->res->nbranches < TREE_LEAVES_MAX) {	/* one per branch below */
		struct child_branch *b = &w->res->branch[w->res->nbranches++];
		int seen;

		report_get_long(r, "deepest", 0, REPORT_LEVEL_MAX, &deepest);
		b->path = named_node(r, "path", &r->node);
		/* no deeper than this level saw up on that branch: a level that
		 * stopped before it was up counts itself, which its parent's
		 * chain allows the speaker and ours would refuse from us */
		seen = branch_seen_up(w, &b->path);
		b->deepest = (int)deepest < seen ? (int)deepest : seen;
		b->result = w->res->result;
		b->failed = failed;
	}
	if (w->res->nbranches < w->res->nbranches_said && w->res->nbranches < TREE_LEAVES_MAX)
		return;		/* more to come */
	w->res->summary_seen = 1;
	w->clock.summary_at = now_s();
}

/* A report that passed the chain's rules: relayed verbatim (it names its
 * level and carries its checksum), and what it says about our child kept. */
static void on_report(struct watch *w, const struct report *r, const char *text)
{
	double v;

	console_line(text);
	w->clock.last_activity = now_s();
	w->res->deepest = deepest_up(w);
	if (!strcmp(r->event, "child-start") && r->level > w->s->level &&
	    report_get_real(r, "budget_s", 0, 1e6, &v) == 0)
		/* a deeper level's child may stay quiet this long: so may ours */
		budget_note_announced(&w->clock, v);
	else if (!strcmp(r->event, "child-extend") && r->level > w->s->level &&
		 report_get_real(r, "budget_s", 0, 1e6, &v) == 0)
		budget_note_announced(&w->clock, v);	/* as for child-start */
	else if (!strcmp(r->event, "child-up") && r->level > w->s->level &&
		 report_get_real(r, "boot_s", 0, 1e6, &v) == 0)
		/* ... and so long as that child may wait for its own child */
		budget_note_boot(&w->clock, v, w->s->timeout_s, r->level + 1);
	else if (!strcmp(r->event, "up"))
		on_up(w, r);
	else if (!strcmp(r->event, "child-fail")) {	/* about r's child (the chain checked) */
		struct node failed = named_node(r, "level", &r->node);

		failed_boot_exits(w, &failed);
	} else if (!strcmp(r->event, "summary") && node_equal(&r->node, &w->node))
		on_summary(w, r);
}

/* A line qemu wrote on stderr: evidence, and maybe a sign of death. */
static void on_stderr_line(void *ctx, char *line)
{
	struct watch *w = ctx;
	size_t n = strlen(line);
	enum outcome o = classify_fatal_stderr(line);

	if (n + 2 + w->stderr_len < sizeof(w->qemu_stderr)) {
		memcpy(w->qemu_stderr + w->stderr_len, line, n);
		w->stderr_len += n;
		w->qemu_stderr[w->stderr_len++] = '\n';
		w->qemu_stderr[w->stderr_len] = '\0';
	}
	keep_evidence(w, line);
	relay_wrapped(w, "qemu", line, NULL);
	if (o != OUTCOME_NONE && w->fatal == OUTCOME_NONE) {
		w->fatal = o;
		snprintf(w->fatal_line, sizeof(w->fatal_line), "%s", line);
	}
}

/* A line from the guest, on its serial port or its report console. */
static void on_guest_line(void *ctx, char *line)
{
	struct watch *w = ctx;
	struct report r;
	char why[160];
	size_t off = 0;
	int rc;

	if (!*line)
		return;
	w->guest_spoke = 1;
	rc = report_parse(line, &r, &off);
	if (rc == 0 && (rc = check_report(w, &r, why, sizeof(why))) == 0) {
		if (off > 0) {	/* kernel text glued in front of a report */
			char head[REPORT_LINE_MAX];

			snprintf(head, sizeof(head), "%.*s", (int)off, line);
			keep_evidence(w, head);
			relay_wrapped(w, "console", head, NULL);
		}
		on_report(w, &r, line + off);
		return;
	}
	if (rc == -ENOENT) {
		keep_evidence(w, line);
	} else if (off > 0) {	/* a refused or garbled report is no evidence: text before it is */
		char head[REPORT_LINE_MAX];

		snprintf(head, sizeof(head), "%.*s", (int)off, line);
		keep_evidence(w, head);
	}
	w->clock.last_activity = now_s();
	relay_wrapped(w, "console", line, rc == -ENOENT ? NULL : rc == -EBADMSG ? "1" : why);
}

static void emit_failure(struct watch *w)
{
	const struct verdict *v = &w->res->verdict;
	struct report r;
	int first = w->nevidence > w->s->evidence ? w->nevidence - w->s->evidence : 0;

	report_init_node(&r, &w->self, "child-fail");
	report_add_node(&r, "level", &w->node);
	report_add(&r, "reason", outcome_name(v->outcome));
	report_add(&r, "detail", v->evidence);
	report_emit(&r);
	/* the child's last words, oldest first */
	for (int i = first; i < w->nevidence; i++) {
		int idx = (w->evidence_next - w->nevidence + i + EVIDENCE_MAX) % EVIDENCE_MAX;

		report_init_node(&r, &w->self, "evidence");
		report_add_node(&r, "level", &w->node);
		report_add(&r, "text", w->evidence[idx]);
		report_emit(&r);
	}
}

/* Before up, a look at the child's own work once a quarter of its time
 * is left; when the time runs out, more if that work went on since (a
 * child that hung earlier gets none; one whose qemu had no VM yet at the
 * look and has one now does), said up the chain so that every level
 * above, and the host, waits too.  Returns 1 when extended. */
static int extend_budget(struct watch *w, double left)
{
	long long work;
	double to;
	struct report r;

	if (w->clock.up_at >= 0 || w->fatal != OUTCOME_NONE || w->res->summary_seen)
		return 0;
	if (!w->work_seen && left <= w->window_s / 4) {
		w->work = kvm_stats_child_work(w->pid);
		w->work_seen = 1;
	}
	if (left > 0)
		return 0;
	work = kvm_stats_child_work(w->pid);
	if (w->work < 0)	/* no VM yet then: its qemu was still starting */
		w->work = 0;
	to = budget_extended(&w->budget, w->work_seen && work > w->work);
	if (to <= 0)
		return 0;
	report_init_node(&r, &w->self, "child-extend");
	report_add_node(&r, "level", &w->node);
	report_addf(&r, "budget_s", "%.1f", to);
	report_addf(&r, "after_s", "%.1f", w->budget.up_within_s);
	report_addf(&r, "work", "%lld", work - w->work);
	report_emit(&r);
	w->window_s = to - w->budget.up_within_s;
	w->budget.up_within_s = to;
	w->work_seen = 0;
	return 1;
}

/* Time to look for its vCPU threads again: some not pinned yet, it is not
 * up (they all exist long before), and not more often than a poll's
 * period however many lines wake the loop (each look reads /proc). */
static int pins_due(struct watch *w)
{
	double now = now_s();

	if (w->pins.ncpus < 2 || w->pins.npinned >= w->pins.nvcpus || w->clock.up_at >= 0 ||
	    now - w->pins_looked_at < 0.2)
		return 0;
	w->pins_looked_at = now;
	return 1;
}

/* How its vCPU threads were spread over this level's CPUs, while it runs. */
static void vcpu_evidence(struct watch *w)
{
	char cpus[VCPU_LIST_MAX], ms[VCPU_LIST_MAX], line[2 * VCPU_LIST_MAX + 64];

	if (w->pins.ncpus < 2)
		return;
	vcpu_pins_where(&w->pins, w->pid, cpus, sizeof(cpus), ms, sizeof(ms));
	/* cut to an evidence slot by keep_evidence: the counts come first */
	snprintf(line, sizeof(line), "vCPUs: %d of %d pinned; last on CPUs %s; guest ms %s",
		 w->pins.npinned, w->pins.nvcpus, cpus, ms);
	keep_evidence(w, line);
}

static void keep_monitor_line(void *ctx, const char *line)
{
	keep_evidence(ctx, line);
}

/* How the child ended, when it did not end as it meant to. */
static void judge(struct watch *w, const struct supervisor *sv, int timed_out)
{
	const char *lines[EVIDENCE_MAX];
	struct child_end end = {
		.came_up = w->res->came_up,
		.guest_spoke = w->guest_spoke,
		.console = lines,
		.nconsole = (size_t)w->nevidence,
		.qemu_stderr = w->qemu_stderr,
	};

	child_end_set_status(&end, sv->status, timed_out);
	for (int i = 0; i < w->nevidence; i++)
		lines[i] = w->evidence[(w->evidence_next - w->nevidence + i + EVIDENCE_MAX) %
				       EVIDENCE_MAX];
	if (w->fatal != OUTCOME_NONE) {
		w->res->verdict.outcome = w->fatal;
		snprintf(w->res->verdict.evidence, sizeof(w->res->verdict.evidence), "%s",
			 w->fatal_line);
	} else {
		classify_child_end(&end, &w->res->verdict);
	}
	/* how its qemu ended, when it ended by itself (not stopped by us, on
	 * a timeout or a fatal line of its own) or nothing else was said */
	if (w->nevidence == 0 || (!timed_out && w->fatal == OUTCOME_NONE)) {
		char line[256];

		child_end_describe(&end, now_s() - w->clock.start, line, sizeof(line));
		keep_evidence(w, line);
	}
}

/* Set up the watch of child @c; 0, or -ENOMEM. */
static struct watch *watch_new(const struct settings *s, const struct child_spec *c,
			       struct child_result *res)
{
	struct watch *w = calloc(1, sizeof(*w));

	memset(res, 0, sizeof(*res));
	res->failed_level = c->node.level;
	if (!w) {
		res->result = res->verdict.outcome = OUTCOME_INTERNAL;
		snprintf(res->verdict.evidence, sizeof(res->verdict.evidence), "out of memory");
		return NULL;
	}
	w->s = s;
	w->node = c->node;
	w->self = s->node;
	if (w->self.level != s->level)	/* settings not settled: the first branch's */
		node_first(&w->self, s->level);
	w->child_level = c->node.level;
	w->monitor = c->monitor;
	w->res = res;
	w->tree = s->width > 1;
	if (w->tree) {	/* a chain per leaf below the child */
		int first, count;

		tree_leaves_under(s->width, s->maxdepth, &c->node, &first, &count);
		w->nchains = count < TREE_LEAVES_MAX ? count : TREE_LEAVES_MAX;
		for (int i = 0; i < w->nchains; i++)
			tree_leaf(s->width, s->maxdepth, first + i, &w->leaf[i]);
	} else {
		w->nchains = 1;
	}
	for (int i = 0; i < w->nchains; i++)
		chain_init(&w->chain[i], s->level, s->maxdepth);
	w->clock = (struct budget_clock){ .start = now_s(), .up_at = -1, .summary_at = -1 };
	w->clock.last_activity = w->clock.start;
	w->budget = *c->budget;
	w->window_s = c->budget->up_within_s;
	w->pins = *c->pins;
	return w;
}

/* One turn of the loop for a child still running: pin its vCPUs, extend
 * or end its time, stop it on a fatal line. */
static void watch_turn(struct watch *w)
{
	double left, now;
	int run_limit;

	if (w->ended || w->sv.exited)
		return;		/* gone, or draining what it left */
	if (pins_due(w))
		vcpu_pins_update(&w->pins, w->pid);
	now = now_s();
	left = budget_left(&w->budget, &w->clock, now);
	run_limit = budget_run_limit_reached(&w->budget, &w->clock, now);
	if (!run_limit && extend_budget(w, left))
		return;
	if (w->fatal == OUTCOME_NONE && left > 0)
		return;
	/* the run's limit, not its budget: no verdict on its kernel */
	if (run_limit && w->fatal == OUTCOME_NONE && !w->res->summary_seen) {
		w->fatal = OUTCOME_RUN_LIMIT;
		snprintf(w->fatal_line, sizeof(w->fatal_line),
			 "the run's time limit: stopped %.0f s after its start%s", now - w->clock.start,
			 w->clock.up_at >= 0 ? ", up, its levels below still running" : ", before it came up");
	}
	w->timed_out = w->fatal == OUTCOME_NONE && !w->res->summary_seen;
	if (w->timed_out || w->fatal == OUTCOME_RUN_LIMIT) {	/* where it was, from its qemu, before it goes */
		monitor_evidence(w->monitor, keep_monitor_line, w);
		vcpu_evidence(w);
		failed_boot_exits(w, &w->node);
	}
	supervisor_stop(&w->sv);
	w->ended = 1;
}

/* After its end: how it ended, said up the chain when it failed. */
static void watch_end(struct watch *w)
{
	struct child_result *res = w->res;

	supervisor_finish(&w->sv);
	if (res->summary_seen && w->fatal == OUTCOME_NONE)
		return;		/* the child ended as it meant to */
	judge(w, &w->sv, w->timed_out);
	emit_failure(w);
	res->result = res->verdict.outcome;
	res->failed_level = w->child_level;
	res->nbranches = 0;	/* its branches end at it */
}

void children_run(const struct settings *s, const struct child_spec *c, int n,
		  struct child_result *res)
{
	static const struct supervisor_stream streams[] = {
		{ 1, on_guest_line },	/* serial: the child's kernel */
		{ 3, on_guest_line },	/* the report port (REPORT_PORT_NAME) */
		{ 2, on_stderr_line },	/* qemu itself */
	};
	struct watch *w[SUPERVISOR_MANY_MAX] = { 0 };
	struct supervisor *sv[SUPERVISOR_MANY_MAX];
	int m = 0;

	if (n > SUPERVISOR_MANY_MAX)
		n = SUPERVISOR_MANY_MAX;
	for (int i = 0; i < n; i++) {
		int rc;

		w[i] = watch_new(s, &c[i], &res[i]);
		if (!w[i])
			continue;
		rc = supervisor_start(&w[i]->sv, c[i].argv, streams, 3, w[i]);
		if (rc < 0) {
			res[i].verdict.outcome = OUTCOME_QEMU_START;
			snprintf(res[i].verdict.evidence, sizeof(res[i].verdict.evidence),
				 "starting %s: %s", c[i].argv[0], strerror(-rc));
			emit_failure(w[i]);
			res[i].result = res[i].verdict.outcome;
			free(w[i]);
			w[i] = NULL;
			continue;
		}
		w[i]->pid = w[i]->sv.pid;
		inject_child_started(s, &w[i]->node, w[i]->monitor, w[i]->sv.pid);
		sv[m++] = &w[i]->sv;
	}
	while (m > 0) {
		int rc = supervisor_poll_many(sv, m, 200);

		if (rc < 0) {	/* cannot watch them any more: none runs unwatched */
			for (int i = 0; i < n; i++)
				if (w[i] && !w[i]->ended) {
					keep_evidence(w[i], "its parent could not wait for its output: stopped");
					supervisor_stop(&w[i]->sv);
					w[i]->ended = 1;
				}
			break;
		}
		if (rc == 0)
			break;
		for (int i = 0; i < n; i++)
			if (w[i])
				watch_turn(w[i]);
	}
	for (int i = 0; i < n; i++) {
		if (!w[i])
			continue;
		watch_end(w[i]);
		free(w[i]);
	}
}

void child_run(const struct settings *s, char *const argv[], const struct vcpu_pins *pins,
	       const struct budget *b, struct child_result *res)
{
	struct child_spec c = { .argv = argv, .pins = pins, .budget = b, .monitor = MONITOR_SOCKET };

	if (s->node.level != s->level || node_child(&s->node, 1, &c.node) < 0)
		node_first(&c.node, s->level + 1);
	children_run(s, &c, 1, res);
}
