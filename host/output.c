/* output.c - table and report.json (see output.h). */
#include "output.h"
#include "clocks.h"
#include "level_status.h"
#include "stats.h"
#include "table.h"
#include "text.h"
#include "verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every string goes out printable and valid UTF-8, whatever its source
 * (a child's bytes, a path on the command line): strict parsers accept it. */
static json_object *clean_string(const char *v)
{
	char buf[REPORT_VALUE_MAX * 2];

	text_printable_str(buf, sizeof(buf), v);
	return json_object_new_string(buf);
}

static void print_exits(FILE *out, const char *what, const struct exit_summary *x)
{
	int first = 1;

	fprintf(out, "      %s:", what);
	for (int k = 0; k < XS_COUNT; k++) {
		if (x->count[k] < 0)
			continue;
		fprintf(out, "%s %s %lld", first ? "" : ",", exit_summary_keys[k], x->count[k]);
		first = 0;
	}
	fputc('\n', out);
	if (x->top[0])
		fprintf(out, "        top reasons: %s\n", x->top);
	if (x->io_ports[0])
		fprintf(out, "        top I/O ports: %s\n", x->io_ports);
	if (x->msrs[0])
		fprintf(out, "        top MSRs: %s\n", x->msrs);
}

void print_exit_profile(FILE *out, const struct run_model *m)
{
	for (int i = 1; i <= m->max_level; i++) {
		const struct level_record *l = &m->level[i];

		if (!l->exits.seen && !l->exits_l1.seen)
			continue;
		fprintf(out, "L%d boot: VM exits\n", i);
		if (l->exits.seen)
			print_exits(out, "handled by its parent's KVM", &l->exits);
		if (l->exits_l1.seen)
			print_exits(out, "handled by level 1's KVM", &l->exits_l1);
	}
}

static void put_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v && *v ? clean_string(v) : NULL);
}

static void put_num(json_object *o, const char *key, double v)
{
	/* negative means unknown; JSON has no Infinity or NaN */
	json_object_object_add(o, key, v >= 0 && isfinite(v) ? json_object_new_double(v) : NULL);
}

static void put_int(json_object *o, const char *key, long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* A size or count that is never 0 when known (a level's memory, its CPUs,
 * a setting a saved log does not carry): 0 is unknown, and says null. */
static void put_known(json_object *o, const char *key, long v)
{
	json_object_object_add(o, key, v > 0 ? json_object_new_int64(v) : NULL);
}

/* A count where 0 means none and an unknown one is null. */
static void put_count(json_object *o, const char *key, long v)
{
	json_object_object_add(o, key, v >= 0 ? json_object_new_int64(v) : NULL);
}

/* Its CPUs' IPIs around the launcher's workload, null with one CPU. */
static json_object *ipis_json(const struct level_record *l)
{
	json_object *o;

	if (!l->ipis.known)
		return NULL;
	o = json_object_new_object();
	put_count(o, "tlb_shootdowns", l->ipis.tlb);
	put_count(o, "function_calls", l->ipis.call);
	put_count(o, "reschedules", l->ipis.resched);
	return o;
}

/* What its machine made its kernel exercise, as it found them; null from
 * a launcher that did not say. */
static json_object *exercised_json(const struct level_record *l)
{
	const struct exercised *e = &l->exercised.is;
	json_object *o;

	if (!l->exercised.known)
		return NULL;
	o = json_object_new_object();
	put_str(o, "machine", e->machine);
	json_object_object_add(o, "pci_devices", e->pci >= 0 ? json_object_new_int(e->pci) : NULL);
	json_object_object_add(o, "pmu", e->pmu >= 0 ? json_object_new_boolean(e->pmu) : NULL);
	put_str(o, "timer", e->timer);
	put_str(o, "tick", e->tick);
	return o;
}

/* "0,-,2" as [0, null, 2]; a list cut short ("0,1,...") ends there. */
static json_object *int_list_json(const char *list)
{
	json_object *a = json_object_new_array();

	for (const char *p = list; p && *p && *p != '.';) {
		char *end;
		long v = strtol(p, &end, 10);

		json_object_array_add(a, end != p && v >= 0 ? json_object_new_int64(v) : NULL);
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return a;
}

/* Where its vCPUs ran on its parent, null when its parent did not say. */
static json_object *vcpus_json(const struct level_record *l)
{
	json_object *o;

	if (!l->vcpu_cpus[0])
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "parent_cpus", int_list_json(l->vcpu_cpus));
	json_object_object_add(o, "guest_ms", int_list_json(l->vcpu_guest_ms));
	return o;
}

/* The child-exits counts of a level's boot, null when none came. */
static json_object *exits_json(const struct exit_summary *x)
{
	json_object *o;

	if (!x->seen)
		return NULL;
	o = json_object_new_object();
	for (int k = 0; k < XS_COUNT; k++)
		if (x->count[k] >= 0)
			put_int(o, exit_summary_keys[k], (long)x->count[k]);
	put_str(o, "top", x->top);
	put_str(o, "io_ports", x->io_ports);
	put_str(o, "msrs", x->msrs);
	return o;
}

static json_object *phases_json(const struct level_phases *ph)
{
	json_object *o = json_object_new_object();

	put_num(o, "start_at_s", ph->start_at_s);
	put_num(o, "kernel_at_s", ph->kernel_at_s);
	put_num(o, "launcher_at_s", ph->launcher_at_s);
	put_num(o, "up_at_s", ph->up_at_s);
	put_num(o, "qemu_s", ph->qemu_s);
	put_num(o, "kernel_s", ph->kernel_s);
	put_num(o, "launcher_s", ph->launcher_s);
	put_str(o, "kernel_from", ph->kernel_from);
	return o;
}

/* The level's own verdict, as the CI formats give it (level_status.h);
 * beyond the expected depth it is exploration: reported, never failed on. */
static json_object *level_verdict_json(const struct run_model *m, int i, int expected)
{
	json_object *o = json_object_new_object();
	struct level_verdict v;

	level_verdict(m, i, &v);
	put_str(o, "status", level_status_name(v.status));
	json_object_object_add(o, "expected", json_object_new_boolean(i <= expected));
	put_str(o, "message", v.message);
	put_known(o, "blame", v.blame);
	return o;
}

static json_object *level_json(const struct run_model *m, int i, int expected)
{
	const struct level_record *l = &m->level[i];
	json_object *o = json_object_new_object(), *ev = json_object_new_array();
	struct level_phases ph;

	put_int(o, "level", i);
	json_object_object_add(o, "up", json_object_new_boolean(l->up));
	json_object_object_add(o, "verdict", level_verdict_json(m, i, expected));
	put_num(o, "up_at_s", l->up ? l->up_at_s : -1);
	put_num(o, "started_at_s", l->started_at_s);
	put_num(o, "boot_s", l->boot_s);
	put_num(o, "uptime_s", l->uptime_s);
	put_num(o, "launcher_s", l->launcher_s);
	put_str(o, "accel", l->accel);
	put_str(o, "vendor", l->vendor);
	put_str(o, "cpu", l->cpu);
	put_str(o, "virt", l->virt);
	put_str(o, "nested", l->nested);
	put_str(o, "kernel", l->kernel);
	put_str(o, "booted", l->booted);
	put_str(o, "entry", l->entry);
	put_str(o, "version", l->version);
	put_str(o, "qemu", l->qemu);
	put_str(o, "crng", l->crng);
	put_str(o, "thp", l->thp);
	put_known(o, "mem_mb", l->mem_mb ? l->mem_mb : (i > 1 ? m->level[i - 1].child_mem_mb : 0));
	put_known(o, "avail_mb", l->avail_mb);
	put_known(o, "child_mem_mb", l->child_mem_mb);
	put_known(o, "child_need_mb", l->child_need_mb);
	put_known(o, "reserve_mb", l->reserve_mb);
	put_num(o, "child_budget_s", l->child_budget_s);
	put_known(o, "smp", l->smp);
	put_known(o, "tick_stride", l->tick_stride);
	json_object_object_add(o, "ipis", ipis_json(l));
	json_object_object_add(o, "vcpus", vcpus_json(l));
	json_object_object_add(o, "exercised", exercised_json(l));
	put_str(o, "outcome", level_state(l));
	json_object_object_add(o, "failure", json_object_new_boolean(outcome_is_failure(l->outcome)));
	put_str(o, "detail", l->detail);
	put_str(o, "hint", l->hint);
	for (int k = 0; k < l->nevidence; k++)
		json_object_array_add(ev, clean_string(l->evidence[k]));
	json_object_object_add(o, "evidence", ev);
	phases_compute(l, i, &ph);
	json_object_object_add(o, "phases", phases_json(&ph));
	json_object_object_add(o, "exits", exits_json(&l->exits));
	json_object_object_add(o, "exits_l1", exits_json(&l->exits_l1));
	return o;
}

void settings_each(const struct run_info *info,
		   void (*fn)(void *ctx, const char *name, const char *value), void *ctx)
{
	const struct { const char *name; const char *value; int num; } rows[] = {
		{ "accel", info->accel, 0 }, { "cpu", info->cpu, 0 }, { "boot", info->boot, 0 },
		{ "mem_mb", NULL, info->mem_mb }, { "smp", NULL, info->smp },
		{ "max_depth", NULL, info->max_depth }, { "expect_depth", NULL, info->expect_depth },
		{ "level_timeout_s", NULL, info->level_timeout_s },
		{ "run_timeout_s", NULL, info->run_timeout_s },
		{ "kernel_args", info->kernel_args, 0 }, { "profile", info->profile, 0 },
		{ "image", info->image, 0 },
		{ "host_cpu", info->host_cpu, 0 }, { "host_kernel", info->host_kernel, 0 },
		{ "source", info->source, 0 },
	};
	char num[24];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].value) {
			if (*rows[i].value)
				fn(ctx, rows[i].name, rows[i].value);
		} else if (rows[i].num) {
			snprintf(num, sizeof(num), "%d", rows[i].num);
			fn(ctx, rows[i].name, num);
		}
	}
}

int worst_pass(const struct run_results *r)
{
	int w = 0;

	/* the worst verdict first (verdict.h), then the least depth: the
	 * top-level result and exit_status then say what the run's exit says */
	for (int p = 1; p < r->npasses; p++) {
		int a = verdict_status_rank(r->pass[p].info.exit_status);
		int b = verdict_status_rank(r->pass[w].info.exit_status);

		if (a > b || (a == b && r->pass[p].m->deepest < r->pass[w].m->deepest))
			w = p;
	}
	return w;
}

int pass_verdict(const struct pass_result *p, int expect_depth, struct run_verdict *v)
{
	if (!p->tree) {
		verdict_run(p->m, expect_depth, v);
		return 0;
	}
	return run_tree_verdict(p->tree, expect_depth, v);
}

int pass_verdict_exit(const struct pass_result *p, int expect_depth)
{
	struct run_verdict v;

	pass_verdict(p, expect_depth, &v);
	return (int)v.status;
}

/* The chain a pass's result is about: its only one, or a tree's worst. */
static const struct run_model *deciding_chain(const struct pass_result *p)
{
	struct run_verdict v;

	return p->tree ? p->tree->chain[pass_verdict(p, p->info.expect_depth, &v)] : p->m;
}

static json_object *result_json(const struct pass_result *p)
{
	const struct run_model *m = deciding_chain(p);
	const struct run_info *info = &p->info;
	json_object *res = json_object_new_object();
	int every = m->deepest, any = m->deepest;

	if (p->tree)
		run_tree_depth(p->tree, &every, &any);
	json_object_object_add(res, "completed",
			       json_object_new_boolean(p->tree ? run_tree_summary_seen(p->tree) : m->summary_seen));
	put_int(res, "deepest", every);	/* a tree: the depth every branch reached */
	if (p->tree)
		put_int(res, "deepest_any", any);
	put_str(res, "outcome", outcome_name(m->result));
	put_str(res, "text", outcome_text(m->result));
	json_object_object_add(res, "failure", json_object_new_boolean(outcome_is_failure(m->result)));
	put_int(res, "failed_level", m->failed_level);
	if (p->tree) {	/* the worst branch's node where it ended */
		struct node n;
		char name[NODE_NAME_MAX];

		for (int i = 0; i < p->tree->nleaves; i++)
			if (p->tree->chain[i] == m && m->failed_level > 0) {
				run_tree_chain_node(p->tree, i, m->failed_level, &n);
				node_format_path(&n, name, sizeof(name));
				put_str(res, "failed_node", name);
			}
	}
	put_num(res, "duration_s", info->duration_s);
	put_int(res, "exit_status", info->exit_status);
	if (info->image_unchanged >= 0)
		json_object_object_add(res, "image_unchanged",
				       json_object_new_boolean(info->image_unchanged));
	json_object_object_add(res, "garbled_lines", json_object_new_uint64(m->garbled));
	json_object_object_add(res, "rejected_reports", json_object_new_uint64(m->rejected));
	/* structural lines lost and recovered from what followed (docs/trust.md) */
	json_object_object_add(res, "damaged", json_object_new_int(m->damaged));
	return res;
}

static json_object *levels_json(const struct pass_result *p)
{
	json_object *levels = json_object_new_array();
	int expected = verdict_expected_depth(p->m, p->info.expect_depth);

	for (int i = 1; i <= p->m->max_level; i++)
		if (p->m->level[i].seen)
			json_object_array_add(levels, level_json(p->m, i, expected));
	return levels;
}

/* A tree's nodes, depth-first, each with what levels[] says of a level. */
static json_object *tree_json(const struct pass_result *p)
{
	static struct run_tree_node nodes[RUN_TREE_NODES_MAX];
	json_object *tree = json_object_new_array();
	int n = run_tree_nodes(p->tree, nodes, RUN_TREE_NODES_MAX);

	for (int k = 0; k < n; k++) {
		const struct run_model *m = p->tree->chain[nodes[k].chain];
		int level = nodes[k].node.level;
		json_object *o = json_object_new_object(), *l;
		char name[NODE_NAME_MAX];

		l = level_json(m, level, verdict_expected_depth(m, p->info.expect_depth));
		node_format_path(&nodes[k].node, name, sizeof(name));
		put_str(o, "node", name);
		if (nodes[k].parent >= 0) {
			node_format_path(&nodes[nodes[k].parent].node, name, sizeof(name));
			put_str(o, "parent", name);
		} else {
			json_object_object_add(o, "parent", NULL);
		}
		json_object_object_foreach(l, key, val)
			json_object_object_add(o, key, json_object_get(val));
		json_object_put(l);
		json_object_array_add(tree, o);
	}
	return tree;
}

/* Each branch of a tree (a chain, from level 1 to a leaf): how it ended. */
static json_object *branches_json(const struct pass_result *p)
{
	json_object *branches = json_object_new_array();

	for (int i = 0; i < p->tree->nleaves; i++) {
		const struct run_model *m = p->tree->chain[i];
		json_object *o = json_object_new_object(), *v = json_object_new_object();
		struct run_verdict rv;
		char name[NODE_NAME_MAX], text[200];
		static char names[REPORT_LEVEL_MAX + 1][RUN_TREE_NAME_MAX];
		const char *ptr[REPORT_LEVEL_MAX + 1];
		struct node n;

		node_format_path(&p->tree->leaf[i], name, sizeof(name));
		put_str(o, "leaf", name);
		put_int(o, "deepest", m->deepest);
		put_str(o, "result", outcome_name(m->result));
		if (m->failed_level > 0) {
			run_tree_chain_node(p->tree, i, m->failed_level, &n);
			node_format_path(&n, name, sizeof(name));
			put_str(o, "failed_node", name);
		} else {
			json_object_object_add(o, "failed_node", NULL);
		}
		verdict_run(m, p->info.expect_depth, &rv);
		run_tree_level_names(p->tree, i, names, ptr, REPORT_LEVEL_MAX + 1);
		verdict_describe_named(m, &rv, ptr, text, sizeof(text));
		put_int(v, "exit_status", (int)rv.status);
		put_str(v, "message", text);
		json_object_object_add(o, "verdict", v);
		json_object_array_add(branches, o);
	}
	return branches;
}

static int levels_of(const struct run_results *r)
{
	int n = 0;

	for (int p = 0; p < r->npasses; p++)
		if (r->pass[p].m->max_level > n)
			n = r->pass[p].m->max_level;
	return n;
}

/* Pass @p's model holding node @n's record (in a tree, the chain to the
 * first leaf below it; else the pass's chain, @n's level), or NULL. */
static const struct run_model *model_of_node(const struct run_results *r, int p, const struct node *n)
{
	const struct run_tree *t = r->pass[p].tree;
	int first, count;

	if (!t)		/* a pass has a tree only when wider than 1 */
		return r->pass[p].m;
	tree_leaves_under(t->width, t->depth, n, &first, &count);
	return first >= 0 && first < t->nleaves && count > 0 ? t->chain[first] : NULL;
}

/* Statistics of a level's (a tree's: a node's) boot time and time-to-up
 * over the passes. */
static void level_stats(const struct run_results *r, const struct node *node, struct stats *boot,
			struct stats *up)
{
	double *vb = calloc((size_t)r->npasses, sizeof(double));
	double *vu = calloc((size_t)r->npasses, sizeof(double));
	int n = vb && vu ? r->npasses : 0, i = node->level;

	for (int p = 0; p < n; p++) {
		const struct run_model *m = model_of_node(r, p, node);
		const struct level_record *l = m ? &m->level[i] : NULL;

		vb[p] = m ? level_boot_time(m, i) : -1;
		vu[p] = l && l->up ? l->up_at_s : -1;
	}
	stats_compute(vb, n, boot);
	stats_compute(vu, n, up);
	free(vb);
	free(vu);
}

/* Some pass saw @node. */
static int node_seen(const struct run_results *r, const struct node *node)
{
	for (int p = 0; p < r->npasses; p++) {
		const struct run_model *m = model_of_node(r, p, node);

		if (m && m->level[node->level].seen)
			return 1;
	}
	return 0;
}

/* The rows of the statistics over passes: each level, or in a tree each
 * node (depth-first, as the table) that some pass saw. */
static int stats_rows(const struct run_results *r, struct node *out, int max)
{
	const struct run_tree *t = r->pass[0].tree;
	struct node stack[RUN_TREE_NODES_MAX];
	int n = 0, top = 0;

	if (!t) {
		for (int i = 1; i <= levels_of(r) && n < max; i++)
			node_first(&out[n++], i);
		return n;
	}
	node_first(&stack[top++], 1);
	while (top > 0 && n < max) {
		struct node x = stack[--top], c;

		if (!node_seen(r, &x))
			continue;
		out[n++] = x;
		for (int k = t->width; x.level < t->depth && k >= 1; k--)
			if (top < RUN_TREE_NODES_MAX && node_child(&x, k, &c) == 0)
				stack[top++] = c;
	}
	return n;
}

static json_object *stats_json(const struct stats *s)
{
	json_object *o = json_object_new_object();

	put_int(o, "n", s->n);
	put_num(o, "mean", s->n ? s->mean : -1);
	put_num(o, "sd", s->sd);
	put_num(o, "min", s->n ? s->min : -1);
	put_num(o, "max", s->n ? s->max : -1);
	return o;
}

/* Every note of the run: a tree's from every branch, each once, those
 * of a branch past the first named by it. */
static void notes_json(const struct pass_result *w, json_object *notes)
{
	const struct run_tree *t = w->tree;
	char name[NODE_NAME_MAX], line[NODE_NAME_MAX + 540], note[512];

	if (!t) {
		for (int i = 0; i < w->m->nnotes; i++)
			json_object_array_add(notes, clean_string(w->m->notes[i]));
		return;
	}
	for (int i = 0; i < t->nleaves; i++)
		for (int j = 0; j < t->chain[i]->nnotes; j++) {
			if (run_tree_note_seen_before(t, i, t->chain[i]->notes[j]))
				continue;
			node_format_path(&t->leaf[i], name, sizeof(name));
			run_tree_note_named(t, i, t->chain[i]->notes[j], note, sizeof(note));
			if (i == 0)
				snprintf(line, sizeof(line), "%s", note);
			else
				snprintf(line, sizeof(line), "(branch to L%s) %s", name, note);
			json_object_array_add(notes, clean_string(line));
		}
}

json_object *report_json(const struct run_results *r)
{
	const struct pass_result *w = &r->pass[worst_pass(r)];
	const struct run_info *info = &w->info;
	json_object *root = json_object_new_object(), *set = json_object_new_object();
	json_object *notes = json_object_new_array(), *passes = json_object_new_array();
	json_object *stats = json_object_new_array();
	static struct node rows[RUN_TREE_NODES_MAX];
	int nrows;

	put_str(root, "tool", "supernested");
	put_int(root, "format", 1);
	put_str(root, "tool_version", SUPERNESTED_VERSION);
	put_str(root, "source", info->source);
	put_str(root, "image", info->image);
	put_str(root, "image_version", info->image_version);
	put_str(root, "image_kernel", info->image_kernel);
	put_str(root, "started", r->pass[0].info.started);
	put_str(root, "host_cpu", info->host_cpu);
	put_str(root, "host_kernel", info->host_kernel);

	put_str(set, "accel", info->accel);
	put_str(set, "cpu", info->cpu);
	put_str(set, "boot", info->boot);
	put_known(set, "mem_mb", info->mem_mb);
	put_known(set, "smp", info->smp);
	put_known(set, "max_depth", info->max_depth);
	put_int(set, "expect_depth", info->expect_depth);
	put_int(set, "level_timeout_s", info->level_timeout_s);
	put_known(set, "run_timeout_s", info->run_timeout_s);
	put_str(set, "kernel_args", info->kernel_args);
	put_str(set, "profile", info->profile);
	put_int(set, "passes", r->npasses);
	json_object_object_add(root, "settings", set);
	json_object_object_add(root, "clock", clocks_json(w->m));	/* whose clock each figure is on */

	json_object_object_add(root, "result", result_json(w));
	json_object_object_add(root, "levels", levels_json(w));	/* a tree: its first branch */
	if (w->tree) {
		put_int(root, "width", w->tree->width);
		json_object_object_add(root, "tree", tree_json(w));
		json_object_object_add(root, "branches", branches_json(w));
	}
	notes_json(w, notes);
	json_object_object_add(root, "notes", notes);

	for (int p = 0; p < r->npasses; p++) {
		json_object *o = json_object_new_object();

		put_int(o, "pass", p + 1);
		put_str(o, "started", r->pass[p].info.started);
		json_object_object_add(o, "result", result_json(&r->pass[p]));
		json_object_object_add(o, "levels", levels_json(&r->pass[p]));
		json_object_array_add(passes, o);
	}
	json_object_object_add(root, "passes", passes);
	nrows = stats_rows(r, rows, RUN_TREE_NODES_MAX);
	for (int k = 0; k < nrows; k++) {
		json_object *o = json_object_new_object();
		struct stats boot, up;
		char name[NODE_NAME_MAX];

		level_stats(r, &rows[k], &boot, &up);
		put_int(o, "level", rows[k].level);
		if (w->tree && node_format_path(&rows[k], name, sizeof(name)) >= 0)
			put_str(o, "node", name);
		put_int(o, "passes_up", up.n);
		json_object_object_add(o, "boot_s", stats_json(&boot));
		json_object_object_add(o, "up_at_s", stats_json(&up));
		json_object_array_add(stats, o);
	}
	json_object_object_add(root, "stats", stats);
	return root;
}

static int report_json_to(const char *path, const struct run_results *r)
{
	json_object *root = report_json(r);
	int rc = 0;

	if (json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED) < 0)
		rc = errno ? -errno : -EIO;
	json_object_put(root);
	return rc;
}

int write_report_json(const char *path, const struct run_results *r)
{
	return write_results_atomic(path, report_json_to, r);
}

/* fsync, as a -errno */
static int sync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL)	/* some filesystems cannot sync a directory */
		rc = -errno;
	close(fd);
	return rc;
}

int write_results_atomic(const char *path, results_writer fn, const struct run_results *r)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	mode_t mask;
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	/* the mode a plain create would give, not mkstemp's 0600 */
	mask = umask(0);
	umask(mask);
	rc = fchmod(fd, 0666 & ~mask) < 0 ? -errno : 0;
	close(fd);
	if (rc == 0)
		rc = fn(tmp, r);
	if (rc == 0)
		rc = sync_path(tmp, O_RDONLY);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		errno = -rc;	/* for the caller's message */
		return rc;
	}
	/* the rename itself survives a crash once the directory is synced */
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
		 slash ? path : ".");
	sync_path(dir, O_RDONLY | O_DIRECTORY);
	return 0;
}

static void fmt_stats(char *buf, size_t len, const struct stats *s)
{
	if (s->n == 0)
		snprintf(buf, len, "-");
	else if (s->sd < 0)
		snprintf(buf, len, "%.1f s", s->mean);
	else
		snprintf(buf, len, "%.1f \u00b1 %.1f s", s->mean, s->sd);
}

void put_col(FILE *out, const char *s, int width)
{
	int chars = 0;

	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	fprintf(out, " %*s%s", width > chars ? width - chars : 0, "", s);
}

void print_stats_table(FILE *out, const struct run_results *r)
{
	static struct node rows[RUN_TREE_NODES_MAX];
	int nrows = stats_rows(r, rows, RUN_TREE_NODES_MAX), namew = 5;
	const int tree = r->pass[0].tree != NULL;
	char name[RUN_TREE_NAME_MAX];

	for (int k = 0; tree && k < nrows; k++) {
		int len = node_format_label(&rows[k], name, sizeof(name));

		namew = len > namew ? len : namew;
	}
	fprintf(out, "%-*s %7s", namew, "level", "up");
	put_col(out, "boot (mean \u00b1 sd)", 18);
	fprintf(out, " %8s %8s", "min", "max");
	put_col(out, "up at (mean \u00b1 sd)", 19);
	fputc('\n', out);
	for (int k = 0; k < nrows; k++) {
		struct stats boot, up;
		char b[48], u[48], mn[24], mx[24];

		if (tree)
			node_format_label(&rows[k], name, sizeof(name));
		else
			snprintf(name, sizeof(name), "L%d", rows[k].level);
		level_stats(r, &rows[k], &boot, &up);
		fmt_stats(b, sizeof(b), &boot);
		fmt_stats(u, sizeof(u), &up);
		fmt_seconds(mn, sizeof(mn), boot.n ? boot.min : -1);
		fmt_seconds(mx, sizeof(mx), boot.n ? boot.max : -1);
		fprintf(out, "%-*s %4d/%-2d", namew, name, up.n, r->npasses);
		put_col(out, b, 18);
		fprintf(out, " %8s %8s", mn, mx);
		put_col(out, u, 19);
		fputc('\n', out);
	}
}

/* One row of the timeline: level @level's record @l, named @name. */
static void timeline_row(FILE *out, const struct level_record *l, int level, const char *name, int namew)
{
	struct level_phases ph;
	char c[7][24];

	phases_compute(l, level, &ph);
	fmt_seconds(c[0], sizeof(c[0]), ph.start_at_s);
	fmt_seconds(c[1], sizeof(c[1]), ph.kernel_at_s);
	fmt_seconds(c[2], sizeof(c[2]), ph.launcher_at_s);
	fmt_seconds(c[3], sizeof(c[3]), ph.up_at_s);
	fmt_seconds(c[4], sizeof(c[4]), ph.qemu_s);
	fmt_seconds(c[5], sizeof(c[5]), ph.kernel_s);
	fmt_seconds(c[6], sizeof(c[6]), ph.launcher_s);
	fprintf(out, "%-*s %9s %9s %9s %9s   %12s %12s %12s\n", namew, name, c[0], c[1], c[2], c[3],
		c[4], c[5], c[6]);
}

void print_timeline(FILE *out, const struct pass_result *p)
{
	static struct run_tree_node nodes[RUN_TREE_NODES_MAX];
	char name[RUN_TREE_NAME_MAX];
	int n = p->tree ? run_tree_nodes(p->tree, nodes, RUN_TREE_NODES_MAX) : 0, namew = 5;

	for (int k = 0; k < n; k++) {
		int len = node_format_label(&nodes[k].node, name, sizeof(name));

		namew = len > namew ? len : namew;
	}
	fprintf(out, "%-*s %9s %9s %9s %9s   %12s %12s %12s\n", namew, "level", "qemu", "kernel",
		"launcher", "up", "qemu>kernel", "kernel>init", "init>up");
	if (p->tree) {	/* a tree (a pass has one only when wider than 1): a row per node */
		for (int k = 0; k < n; k++) {
			node_format_label(&nodes[k].node, name, sizeof(name));
			timeline_row(out, nodes[k].rec, nodes[k].node.level, name, namew);
		}
		return;
	}
	for (int i = 1; i <= p->m->max_level; i++) {
		if (!p->m->level[i].seen)
			continue;
		snprintf(name, sizeof(name), "L%d", i);
		timeline_row(out, &p->m->level[i], i, name, namew);
	}
}

void print_tree_verdict(FILE *out, const struct pass_result *p, int expect_depth)
{
	const struct run_tree *t = p->tree;
	struct run_verdict v;
	char name[NODE_NAME_MAX], end[NODE_NAME_MAX], text[200];
	static char names[REPORT_LEVEL_MAX + 1][RUN_TREE_NAME_MAX];
	const char *ptr[REPORT_LEVEL_MAX + 1];
	int every, any, worst = pass_verdict(p, expect_depth, &v);

	for (int i = 0; i < t->nleaves; i++) {
		const struct run_model *m = t->chain[i];
		struct node n;

		node_format_path(&t->leaf[i], name, sizeof(name));
		run_tree_chain_node(t, i, m->failed_level > 0 ? m->failed_level : 1, &n);
		node_format_path(&n, end, sizeof(end));
		fprintf(out, "branch to L%s: deepest level up %d; ended at L%s: %s\n", name, m->deepest,
			m->failed_level > 0 ? end : "-", outcome_name(m->result));
	}
	run_tree_depth(t, &every, &any);
	fprintf(out, "tree of width %d: every branch reached depth %d, the deepest %d", t->width, every,
		any);
	if (v.status != VERDICT_PASS || v.expected_given || v.explored) {
		node_format_path(&t->leaf[worst], name, sizeof(name));
		run_tree_level_names(t, worst, names, ptr, REPORT_LEVEL_MAX + 1);
		verdict_describe_named(t->chain[worst], &v, ptr, text, sizeof(text));
		fprintf(out, "; branch to L%s: %s", name, text);
	}
	fputc('\n', out);
}

static int tree_tests(const struct run_tree *t, const struct node *n, struct pass_test *out, int count,
		      int max)
{
	int first, nl;

	if (count >= max)
		return count;
	tree_leaves_under(t->width, t->depth, n, &first, &nl);
	out[count].m = t->chain[first];
	out[count].level = n->level;
	node_format_path(n, out[count].name, sizeof(out[count].name));
	snprintf(out[count].id, sizeof(out[count].id), "%s", out[count].name);
	for (char *c = strchr(out[count].id, '.'); c; c = strchr(c, '.'))
		*c = '-';
	count++;
	for (int k = 1; n->level < t->depth && k <= t->width; k++) {
		struct node c;

		if (node_child(n, k, &c) == 0)
			count = tree_tests(t, &c, out, count, max);
	}
	return count;
}

int pass_tests(const struct pass_result *p, int max_depth, struct pass_test *out, int max)
{
	struct node root;
	int n;

	if (p->tree) {
		node_first(&root, 1);
		return tree_tests(p->tree, &root, out, 0, max);
	}
	n = verdict_levels(p->m, max_depth);
	if (n > max)
		n = max;
	for (int i = 1; i <= n; i++) {
		out[i - 1].m = p->m;
		out[i - 1].level = i;
		snprintf(out[i - 1].name, sizeof(out[i - 1].name), "%d", i);
		snprintf(out[i - 1].id, sizeof(out[i - 1].id), "%d", i);
	}
	return n;
}
