/* table.c - the depth table and the one-line answer, for people: printed
 * by the host tool and by level 1 itself at the end of a by-hand boot
 * (see table.h). */
#include "table.h"
#include "text.h"
#include "verdict.h"

#include <stdio.h>

const char *level_state(const struct level_record *l)
{
	if (l->outcome != OUTCOME_NONE)
		return outcome_name(l->outcome);
	return l->up ? "ok" : "not up";
}

void fmt_seconds(char *buf, size_t len, double s)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f s", s);
}

void print_table_header(FILE *out, int name_width)
{
	fprintf(out, "%-*s %-6s %-28s %10s %10s %9s  %s\n", name_width, "level", "accel", "cpu",
		"up at", "boot", "memory", "outcome");
}

void print_level_row(FILE *out, const struct run_model *m, int i, const char *name, int name_width)
{
	const struct level_record *l = &m->level[i];
	char up[24], boot[24], mem[24], cpu[29];

	text_printable_str(cpu, sizeof(cpu), l->cpu[0] ? l->cpu : "-");	/* whole characters */
	fmt_seconds(up, sizeof(up), l->up ? l->up_at_s : -1);
	fmt_seconds(boot, sizeof(boot), l->boot_s);
	if (l->mem_mb)
		snprintf(mem, sizeof(mem), "%ld MiB", l->mem_mb);
	else if (m->level[i - 1].child_mem_mb && i > 1)
		snprintf(mem, sizeof(mem), "%ld MiB", m->level[i - 1].child_mem_mb);
	else
		snprintf(mem, sizeof(mem), "-");
	fprintf(out, "%-*s %-6s %-28.28s %10s %10s %9s  %s%s%s\n", name_width, name,
		l->accel[0] ? l->accel : "-", cpu, up, boot, mem,
		level_state(l), l->detail[0] ? ": " : "", l->detail);
	if (l->hint[0])
		fprintf(out, "%*s hint: %s\n", name_width + 38, "", l->hint);
}

void print_table(FILE *out, const struct run_model *m)
{
	print_table_header(out, 5);
	for (int i = 1; i <= m->max_level; i++) {
		char name[16];

		if (!m->level[i].seen)
			continue;
		snprintf(name, sizeof(name), "L%d", i);
		print_level_row(out, m, i, name, 5);
	}
	for (int i = 0; i < m->nnotes; i++)
		fprintf(out, "note: %s\n", m->notes[i]);
}

void print_verdict(FILE *out, const struct run_model *m, int expect_depth)
{
	const char *why = m->level[m->failed_level].detail;
	struct run_verdict v;
	char text[200];

	/* no outcome: what the reader knows instead (run interrupted, ...) */
	if (m->result != OUTCOME_NONE || !why[0])
		why = outcome_text(m->result);
	fprintf(out, "deepest level up: %d; chain ended at L%d: %s (%s)", m->deepest,
		m->failed_level, outcome_name(m->result), why);
	/* the exit status's rule in words (verdict.h); a plain pass says nothing more */
	verdict_run(m, expect_depth, &v);
	if (v.status != VERDICT_PASS || v.expected_given || v.explored) {
		verdict_describe(m, &v, text, sizeof(text));
		fprintf(out, "; %s", text);
	}
	fputc('\n', out);
}

void print_answer(FILE *out, const struct run_model *m)
{
	const struct level_record *f = &m->level[m->failed_level];

	if (m->deepest == 0) {
		fprintf(out, "no level came up: %s\n",
			f->detail[0] ? f->detail : outcome_text(m->result));
		return;
	}
	fprintf(out, "nested KVM reached depth %d on this host", m->deepest);
	if (m->result == OUTCOME_MAX_DEPTH)
		fprintf(out, " (the depth limit: supernested.maxdepth=%d)\n", m->deepest);
	else if (m->failed_level > 0)
		fprintf(out, "; level %d %s: %s\n", m->failed_level,
			m->failed_level == m->deepest ? "stopped" : "failed", outcome_text(m->result));
	else
		fprintf(out, "\n");
	if (f->hint[0])
		fprintf(out, "what to do: %s\n", f->hint);
}

void print_tree_table(FILE *out, const struct run_tree *t)
{
	static struct run_tree_node nodes[RUN_TREE_NODES_MAX];
	int n = run_tree_nodes(t, nodes, RUN_TREE_NODES_MAX), width = 5;
	char name[NODE_NAME_MAX + 1], note[512];

	for (int k = 0; k < n; k++) {
		int len = node_format_label(&nodes[k].node, name, sizeof(name));

		if (len > width)
			width = len;
	}
	print_table_header(out, width);
	for (int k = 0; k < n; k++) {
		node_format_label(&nodes[k].node, name, sizeof(name));
		print_level_row(out, t->chain[nodes[k].chain], nodes[k].node.level, name, width);
	}
	/* each note once: a line every branch saw is noted on every chain */
	for (int i = 0; i < t->nleaves; i++) {
		const struct run_model *m = t->chain[i];

		for (int j = 0; j < m->nnotes; j++) {
			if (run_tree_note_seen_before(t, i, m->notes[j]))
				continue;
			node_format_path(&t->leaf[i], name, sizeof(name));
			run_tree_note_named(t, i, m->notes[j], note, sizeof(note));
			if (i == 0)
				fprintf(out, "note: %s\n", note);
			else
				fprintf(out, "note (branch to L%s): %s\n", name, note);
		}
	}
}

void print_tree_answer(FILE *out, const struct run_tree *t)
{
	const struct run_model *m;
	char name[NODE_NAME_MAX];
	int every, any, end = -1;
	struct node n;

	run_tree_depth(t, &every, &any);
	if (t->width <= 1 || any == 0) {
		print_answer(out, t->chain[0]);
		return;
	}
	for (int i = 0; i < t->nleaves && end < 0; i++)
		if (t->chain[i]->result != OUTCOME_MAX_DEPTH)
			end = i;
	fprintf(out, "nested KVM reached depth %d on all %d branches of a tree %d wide", every,
		t->nleaves, t->width);
	if (any > every)
		fprintf(out, " (depth %d on some)", any);
	if (end < 0) {
		fprintf(out, " (the depth limit: supernested.maxdepth=%d)\n", t->depth);
		return;
	}
	m = t->chain[end];
	run_tree_chain_node(t, end, m->failed_level > 0 ? m->failed_level : 1, &n);
	if (node_format_path(&n, name, sizeof(name)) < 0)
		snprintf(name, sizeof(name), "?");
	fprintf(out, "; L%s %s: %s\n", name, m->failed_level == m->deepest ? "stopped" : "failed",
		outcome_text(m->result));
	if (m->level[m->failed_level].hint[0])
		fprintf(out, "what to do: %s\n", m->level[m->failed_level].hint);
}
