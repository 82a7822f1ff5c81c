/* run_tree.c - a run's report stream as the chains of its tree (run_tree.h). */
#include "run_tree.h"
#include "line_reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line as a console.log holds it: a stamp, and bytes made printable
 * (four for one at most) */
#define RUN_TREE_LINE_MAX (4 * LINE_READER_MAX + 64)

int run_tree_init(struct run_tree *t, int width, int max_depth)
{
	int n;

	memset(t, 0, sizeof(*t));
	if (width < 1 || width > NODE_WIDTH_MAX || max_depth < 0 || max_depth > NODE_LEVEL_MAX ||
	    (width > 1 && max_depth < 1))
		return -ERANGE;
	n = width == 1 ? 1 : tree_leaves(width, max_depth);
	if (n < 1)
		return -ERANGE;
	t->width = width;
	t->depth = width == 1 ? 1 : max_depth;
	t->nleaves = n;
	for (int i = 0; i < n; i++) {
		if (width == 1)
			node_first(&t->leaf[i], 1);
		else
			tree_leaf(width, max_depth, i, &t->leaf[i]);
		t->chain[i] = malloc(sizeof(*t->chain[i]));
		if (!t->chain[i]) {
			run_tree_free(t);
			return -ENOMEM;
		}
		events_init(t->chain[i]);
		if (max_depth > 0)
			events_expect_maxdepth(t->chain[i], max_depth);
	}
	return 0;
}

void run_tree_free(struct run_tree *t)
{
	for (int i = 0; i < TREE_LEAVES_MAX; i++) {
		free(t->chain[i]);
		t->chain[i] = NULL;
	}
	t->nleaves = 0;
}

void run_tree_guest_clock(struct run_tree *t)
{
	for (int i = 0; i < t->nleaves; i++)
		events_guest_clock(t->chain[i]);
}

/* @line with its report's checksum broken: what a chain gets of a report
 * it cannot place, so it is counted and noted as garbled, never lost. */
static void feed_broken(struct run_model *m, const char *line, double host_s)
{
	static char copy[RUN_TREE_LINE_MAX];
	char *crc;

	snprintf(copy, sizeof(copy), "%s", line);
	crc = strstr(copy, " " REPORT_CRC_KEY "=");
	for (char *p = crc; p; p = strstr(p + 1, " " REPORT_CRC_KEY "="))
		crc = p;	/* the last one: the line's own */
	if (crc && crc[REPORT_CRC_LEN - 1])
		crc[REPORT_CRC_LEN - 1] = crc[REPORT_CRC_LEN - 1] == '0' ? '1' : '0';
	events_line(m, copy, host_s);
}

void run_tree_line(struct run_tree *t, const char *line, double host_s)
{
	static char out[RUN_TREE_LINE_MAX];
	struct report in, mine;
	size_t off;
	int placed = 0;

	if (t->width == 1) {	/* a chain: the lines as they are */
		events_line(t->chain[0], line, host_s);
		return;
	}
	if (report_parse(line, &in, &off) != 0) {	/* text, or garbled: every chain's */
		for (int i = 0; i < t->nleaves; i++)
			events_line(t->chain[i], line, host_s);
		return;
	}
	for (int i = 0; i < t->nleaves; i++) {
		int rc = tree_report_on_path(&in, &t->leaf[i], &mine), n;

		if (rc <= 0)
			continue;
		/* the stamp and any text glued in front stay; the report is re-sealed */
		if (off >= sizeof(out) - REPORT_LINE_MAX)
			continue;
		memcpy(out, line, off);
		n = report_format(&mine, out + off, sizeof(out) - off);
		if (n < 0)
			continue;
		events_line(t->chain[i], out, host_s);
		placed = 1;
	}
	if (!placed) {	/* a node beyond the tree, or a field naming no node */
		t->stray++;
		for (int i = 0; i < t->nleaves; i++)
			if (node_on_path(&t->leaf[i], &in.node) || node_on_path(&in.node, &t->leaf[i]) ||
			    i == 0)
				feed_broken(t->chain[i], line, host_s);
	}
}

void run_tree_level1_evidence(struct run_tree *t, const char *line)
{
	for (int i = 0; i < t->nleaves; i++)
		events_level1_evidence(t->chain[i], line);
}

void run_tree_finish(struct run_tree *t)
{
	for (int i = 0; i < t->nleaves; i++)
		events_finish(t->chain[i]);
}

int run_tree_summary_seen(const struct run_tree *t)
{
	for (int i = 0; i < t->nleaves; i++)
		if (!t->chain[i]->summary_seen)
			return 0;
	return 1;
}

void run_tree_level1_clock(const struct run_tree *t, double explicit_s, struct budget_clock *c)
{
	int all_ended = 1;

	events_level1_clock(t->chain[0], explicit_s, c);
	for (int i = 1; i < t->nleaves; i++) {
		struct budget_clock one;

		events_level1_clock(t->chain[i], explicit_s, &one);
		if (one.last_activity > c->last_activity)
			c->last_activity = one.last_activity;
		if (one.deeper_budget_s > c->deeper_budget_s)
			c->deeper_budget_s = one.deeper_budget_s;
		if (c->up_at < 0)
			c->up_at = one.up_at;
		if (one.summary_at < 0)
			all_ended = 0;
		else if (one.summary_at > c->summary_at)
			c->summary_at = one.summary_at;
	}
	if (!all_ended)
		c->summary_at = -1;	/* level 1 still speaks for a branch */
}

void run_tree_chain_node(const struct run_tree *t, int i, int level, struct node *n)
{
	*n = t->leaf[i];
	if (level <= n->level)
		n->level = level;
	else
		node_first(n, level);	/* beyond the tree: no node of it */
	for (int l = n->level + 1; l <= NODE_LEVEL_MAX; l++)
		n->step[l] = 0;
}

static int visit(const struct run_tree *t, const struct node *n, int parent, struct run_tree_node *out,
		 int count, int max)
{
	int first = 0, nl = 1, me = parent;
	const struct run_model *m;

	if (t->width > 1)
		tree_leaves_under(t->width, t->depth, n, &first, &nl);
	m = t->chain[first];
	if (n->level > m->max_level)
		return count;
	if (m->level[n->level].seen && count < max) {
		out[count] = (struct run_tree_node){ .node = *n, .parent = parent, .chain = first,
						     .rec = &m->level[n->level] };
		me = count++;
	}
	if (t->width == 1) {	/* a chain: every level below, one child each */
		struct node c;

		if (n->level < RUN_MAX_LEVELS && node_child(n, 1, &c) == 0)
			count = visit(t, &c, me, out, count, max);
		return count;
	}
	for (int k = 1; n->level < t->depth && k <= t->width; k++) {
		struct node c;

		if (node_child(n, k, &c) == 0)
			count = visit(t, &c, me, out, count, max);
	}
	return count;
}

int run_tree_nodes(const struct run_tree *t, struct run_tree_node *out, int max)
{
	struct node root;

	node_first(&root, 1);
	return visit(t, &root, -1, out, 0, max);
}

void run_tree_depth(const struct run_tree *t, int *every, int *any)
{
	*every = t->chain[0]->deepest;
	*any = t->chain[0]->deepest;
	for (int i = 1; i < t->nleaves; i++) {
		if (t->chain[i]->deepest < *every)
			*every = t->chain[i]->deepest;
		if (t->chain[i]->deepest > *any)
			*any = t->chain[i]->deepest;
	}
}

int run_tree_verdict(const struct run_tree *t, int expect_depth, struct run_verdict *v)
{
	int worst = 0;

	verdict_run(t->chain[0], expect_depth, v);
	for (int i = 1; i < t->nleaves; i++) {
		struct run_verdict one;

		verdict_run(t->chain[i], expect_depth, &one);
		if (verdict_status_rank((int)one.status) > verdict_status_rank((int)v->status)) {
			*v = one;
			worst = i;
		}
	}
	return worst;
}

int run_tree_width_of_line(const char *line, int *maxdepth)
{
	struct report r;
	long long w = 1, d = 0;

	if (maxdepth)
		*maxdepth = 0;
	if (report_parse(line, &r, NULL) != 0 || strcmp(r.event, "up"))
		return 0;
	if (report_get_long(&r, "width", 1, NODE_WIDTH_MAX, &w) == -ERANGE)
		w = 1;
	if (maxdepth && report_get_long(&r, "maxdepth", 1, NODE_LEVEL_MAX, &d) == 0)
		*maxdepth = (int)d;
	return (int)w;
}

/* Chain @i's node at @level, labelled as the tree's output writes it. */
static int level_name(const struct run_tree *t, int i, int level, char *out, size_t len)
{
	struct node n;

	run_tree_chain_node(t, i, level, &n);
	return node_format_label(&n, out, len) < 0 ? -ENOSPC : 0;
}

int run_tree_level_names(const struct run_tree *t, int i, char names[][RUN_TREE_NAME_MAX],
			 const char *ptr[], int max)
{
	for (int l = 0; l < max; l++) {
		ptr[l] = NULL;
		if (t->width > 1 && l >= 1 && l <= t->depth && i >= 0 && i < t->nleaves &&
		    level_name(t, i, l, names[l], RUN_TREE_NAME_MAX) == 0)
			ptr[l] = names[l];
	}
	return 0;
}

int run_tree_note_named(const struct run_tree *t, int i, const char *note, char *out, size_t len)
{
	size_t o = 0;
	const char *p = note;

	if (!len)
		return -ENOSPC;
	while (*p) {
		int at_word = p == note || !(isalnum((unsigned char)p[-1]) || p[-1] == '.');
		char name[RUN_TREE_NAME_MAX];
		const char *q = p + 1;
		long level = 0;

		while (at_word && *p == 'L' && isdigit((unsigned char)*q) && level <= t->depth)
			level = level * 10 + (*q++ - '0');
		/* a level of this chain, as a whole word: "L2 warning", "L3." but
		 * not "L1.2" (already a node) nor "L2x" */
		if (t->width > 1 && q > p + 1 && level >= 1 && level <= t->depth &&
		    !isalnum((unsigned char)*q) && !(*q == '.' && isdigit((unsigned char)q[1])) &&
		    level_name(t, i, (int)level, name, sizeof(name)) == 0) {
			size_t n = strlen(name);

			if (o + n >= len)
				break;
			memcpy(out + o, name, n);
			o += n;
			p = q;
			continue;
		}
		if (o + 1 >= len)
			break;
		out[o++] = *p++;
	}
	out[o] = '\0';
	return *p ? -ENOSPC : 0;
}

/* @a and @b are the same text but for the digits after an "L" that
 * starts a word: only then can they be the same note once named. */
static int same_but_levels(const char *a, const char *b)
{
	const char *a0 = a;

	while (*a && *a == *b) {
		int level = *a == 'L' && (a == a0 || !isalnum((unsigned char)a[-1])) &&
			    isdigit((unsigned char)a[1]) && isdigit((unsigned char)b[1]);

		a++, b++;
		while (level && isdigit((unsigned char)*a))
			a++;
		while (level && isdigit((unsigned char)*b))
			b++;
	}
	return *a == *b;
}

int run_tree_note_seen_before(const struct run_tree *t, int i, const char *note)
{
	char named[512], other[512];	/* a note (200) with its levels renamed */

	run_tree_note_named(t, i, note, named, sizeof(named));
	for (int e = 0; e < i && e < t->nleaves; e++)
		for (int k = 0; k < t->chain[e]->nnotes; k++) {
			/* naming is dearer than this look, and seldom needed */
			if (!same_but_levels(t->chain[e]->notes[k], note))
				continue;
			run_tree_note_named(t, e, t->chain[e]->notes[k], other, sizeof(other));
			if (!strcmp(other, named))
				return 1;
		}
	return 0;
}
