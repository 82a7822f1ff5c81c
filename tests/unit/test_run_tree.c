/* test_run_tree.c - a tree run's stream read as its chains (run_tree.h):
 * a width-2 depth-3 run with all 7 guests up, the same with node 1.2
 * dying after it came up while 1.1's branch goes to depth 3, and width 1
 * read exactly as a chain always was. */
#include "tap.h"
#include "run_tree.h"

#include <errno.h>
#include <string.h>

/* "supernested: L<node> <event> <fields>" sealed, stamped at @t, fed */
static void say(struct run_tree *t, double at, const char *node, const char *event, const char *fields)
{
	char line[REPORT_LINE_MAX + 32], kv[REPORT_LINE_MAX];
	struct report r;
	struct node n;
	int len;

	if (node_parse(node, &n) < 0 || report_init_node(&r, &n, event) < 0) {
		ok(0, "test stream: bad node %s", node);
		return;
	}
	snprintf(kv, sizeof(kv), "%s", fields);
	for (char *save = NULL, *f = strtok_r(kv, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(f, '=');

		*eq = '\0';
		report_add(&r, f, eq + 1);
	}
	len = snprintf(line, sizeof(line), "[+%.3fs] ", at);
	report_format(&r, line + len, sizeof(line) - (size_t)len);
	run_tree_line(t, line, -1);
}

static const char *leaves[] = { "3", "1.1.2", "1.2.1", "1.2.2" };

/* Level 1, its two children up, each starting two of its own. */
static void top_of_tree(struct run_tree *t, int second_starts)
{
	run_tree_line(t, "[+0.500s] [    0.000000] Linux version 6.1.0 (level 1's kernel)", -1);
	say(t, 1.0, "1", "up", "mem_mb=4000 smp=1 accel=tcg maxdepth=3 width=2");
	say(t, 1.1, "1", "child-start", "level=2 mem_mb=1500 budget_s=120");
	say(t, 1.2, "1", "child-start", "level=1.2 mem_mb=1500 budget_s=120");
	say(t, 10.0, "2", "up", "mem_mb=1400 accel=kvm maxdepth=3 width=2");
	say(t, 10.0, "1", "child-up", "level=2 boot_s=8.5");
	say(t, 11.0, "1.2", "up", "mem_mb=1400 accel=kvm maxdepth=3 width=2");
	say(t, 11.0, "1", "child-up", "level=1.2 boot_s=9.5");
	say(t, 12.0, "2", "child-start", "level=3 mem_mb=500 budget_s=240");
	say(t, 12.1, "2", "child-start", "level=1.1.2 mem_mb=500 budget_s=240");
	if (second_starts) {
		say(t, 13.0, "1.2", "child-start", "level=1.2.1 mem_mb=500 budget_s=240");
		say(t, 13.1, "1.2", "child-start", "level=1.2.2 mem_mb=500 budget_s=240");
	}
}

/* A leaf's life: up at @at, relayed by its parent, max depth. */
static void leaf_up(struct run_tree *t, double at, const char *leaf, const char *parent)
{
	char f[64];

	say(t, at, leaf, "up", "mem_mb=450 accel=kvm maxdepth=3 width=2");
	snprintf(f, sizeof(f), "level=%s boot_s=7.5", leaf);
	say(t, at, parent, "child-up", f);
	say(t, at + 0.1, leaf, "stop", "reason=max-depth");
	snprintf(f, sizeof(f), "deepest=3 result=max-depth failed_level=%s", leaf);
	say(t, at + 0.2, leaf, "summary", f);
}

static void branch_summary(struct run_tree *t, double at, const char *who, const char *leaf)
{
	char f[128];

	snprintf(f, sizeof(f), "path=%s deepest=3 result=max-depth failed_level=%s", leaf, leaf);
	say(t, at, who, "summary", f);
}

static int find(const struct run_tree_node *nodes, int n, const char *name)
{
	char buf[NODE_NAME_MAX];

	for (int i = 0; i < n; i++) {
		node_format(&nodes[i].node, buf, sizeof(buf));
		if (!strcmp(buf, name))
			return i;
	}
	return -1;
}

static void all_up(void)
{
	static struct run_tree t;
	struct run_tree_node nodes[RUN_TREE_NODES_MAX];
	struct run_verdict v;
	struct budget_clock c;
	char names[200] = "", buf[NODE_NAME_MAX];
	int every, any, n, worst;

	is_int(run_tree_init(&t, 2, 3), 0, "width 2, depth 3: a tree");
	is_int(t.nleaves, 4, "... of 4 chains");
	top_of_tree(&t, 1);
	leaf_up(&t, 20.0, "3", "2");
	leaf_up(&t, 21.0, "1.1.2", "2");
	say(&t, 21.5, "1.2.1", "console", "text=hello");
	leaf_up(&t, 22.0, "1.2.1", "1.2");
	leaf_up(&t, 23.0, "1.2.2", "1.2");
	branch_summary(&t, 24.0, "2", "3");
	branch_summary(&t, 24.1, "2", "1.1.2");
	branch_summary(&t, 24.2, "1.2", "1.2.1");
	branch_summary(&t, 24.3, "1.2", "1.2.2");
	run_tree_level1_clock(&t, 0, &c);
	is_int(c.summary_at < 0, 1, "level 1 has said nothing last yet: its budget clock runs on");
	for (int i = 0; i < 4; i++)
		branch_summary(&t, 25.0 + i * 0.1, "1", leaves[i]);
	run_tree_level1_clock(&t, 0, &c);
	ok(c.summary_at >= 25.3 && c.last_activity >= 25.3,
	   "level 1's clock: its last summary, on the last chain, ended it (%.1f)", c.summary_at);
	run_tree_finish(&t);
	ok(run_tree_summary_seen(&t), "every chain got level 1's summary");
	for (int i = 0; i < 4; i++) {
		const struct run_model *m = t.chain[i];

		ok(m->deepest == 3 && m->result == OUTCOME_MAX_DEPTH && m->failed_level == 3 &&
		   m->rejected == 0 && m->garbled == 0 && m->damaged == 0,
		   "chain to %s: depth 3, max-depth, nothing refused (deepest %d, %s at L%d, %llu refused%s%s)",
		   leaves[i], m->deepest, outcome_name(m->result), m->failed_level, m->rejected,
		   m->nnotes ? "; " : "", m->nnotes ? m->notes[0] : "");
	}
	is_int(t.chain[2]->level[3].nconsole, 1, "1.2.1's console line is its chain's");
	is_int(t.chain[0]->level[3].nconsole, 0, "... and not the first branch's");
	is_int(t.chain[3]->level[2].boot_s * 10, 95, "1.2's boot time on its chains: 9.5 s");
	is_int(t.chain[0]->level[2].boot_s * 10, 85, "1.1's on the first: 8.5 s");
	n = run_tree_nodes(&t, nodes, RUN_TREE_NODES_MAX);
	is_int(n, 7, "7 guests, 7 nodes");
	for (int i = 0; i < n; i++) {
		node_format_path(&nodes[i].node, buf, sizeof(buf));
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? " " : "", buf);
	}
	is_str(names, "1 1.1 1.1.1 1.1.2 1.2 1.2.1 1.2.2", "depth first");
	is_int(nodes[find(nodes, n, "1.2")].parent, 0, "1.2's parent is level 1");
	is_int(nodes[find(nodes, n, "1.2.2")].parent, find(nodes, n, "1.2"), "1.2.2's is 1.2");
	is_int(nodes[find(nodes, n, "1.2")].chain, 2, "1.2's record is from the chain to 1.2.1");
	ok(nodes[find(nodes, n, "1.2")].rec->up_at_s == 11.0, "... up at 11 s");
	ok(nodes[find(nodes, n, "1.1.2")].rec->up_at_s == 21.0, "1.1.2 up at 21 s");
	run_tree_depth(&t, &every, &any);
	ok(every == 3 && any == 3, "every branch reached depth 3");
	worst = run_tree_verdict(&t, 0, &v);
	ok(v.status == VERDICT_PASS && worst == 0, "the run passes (%d, chain %d)", (int)v.status, worst);
	run_tree_free(&t);
}

static void sibling_panics(void)
{
	static struct run_tree t;
	struct run_tree_node nodes[RUN_TREE_NODES_MAX];
	struct run_verdict v;
	int every, any, n, worst, i12;

	run_tree_init(&t, 2, 3);
	top_of_tree(&t, 0);
	say(&t, 14.0, "1", "evidence", "level=1.2 text=Kernel_panic_-_not_syncing");
	say(&t, 14.1, "1", "child-fail", "level=1.2 reason=panic detail=panicked");
	leaf_up(&t, 20.0, "3", "2");
	leaf_up(&t, 21.0, "1.1.2", "2");
	branch_summary(&t, 24.0, "2", "3");
	branch_summary(&t, 24.1, "2", "1.1.2");
	branch_summary(&t, 25.0, "1", "3");
	branch_summary(&t, 25.1, "1", "1.1.2");
	say(&t, 25.2, "1", "summary", "path=1.2 deepest=2 result=panic failed_level=1.2");
	run_tree_finish(&t);
	ok(t.chain[0]->deepest == 3 && t.chain[1]->deepest == 3, "1.1's branches reach depth 3");
	ok(t.chain[2]->deepest == 2 && t.chain[2]->result == OUTCOME_PANIC && t.chain[2]->failed_level == 2,
	   "the chains through 1.2 end there, panic (%d, %s at L%d)", t.chain[2]->deepest,
	   outcome_name(t.chain[2]->result), t.chain[2]->failed_level);
	ok(t.chain[3]->rejected == 0 && t.chain[2]->rejected == 0, "nothing refused on them (%s)",
	   t.chain[3]->nnotes ? t.chain[3]->notes[0] : "");
	run_tree_depth(&t, &every, &any);
	ok(every == 2 && any == 3, "every branch reached 2, one 3 (%d, %d)", every, any);
	worst = run_tree_verdict(&t, 0, &v);
	ok(v.status == VERDICT_FAIL && v.level == 2 && v.outcome == OUTCOME_PANIC && worst == 2,
	   "the run fails: level 2 of the chain to 1.2.1 (status %d, L%d, chain %d)", (int)v.status, v.level,
	   worst);
	worst = run_tree_verdict(&t, 1, &v);
	ok(v.status == VERDICT_PASS, "held to depth 1 only: a pass, the panic beyond it explored (%d)",
	   (int)v.status);
	n = run_tree_nodes(&t, nodes, RUN_TREE_NODES_MAX);
	is_int(n, 5, "5 nodes seen: 1, 1.1, 1.1.1, 1.1.2, 1.2");
	i12 = find(nodes, n, "1.2");
	ok(i12 >= 0 && nodes[i12].rec->up && nodes[i12].rec->outcome == OUTCOME_PANIC,
	   "1.2 came up and panicked");
	is_int(find(nodes, n, "1.2.1"), -1, "1.2.1 never started");
	run_tree_free(&t);
}

static void strays(void)
{
	static struct run_tree t;
	struct budget_clock c;

	run_tree_init(&t, 2, 3);
	top_of_tree(&t, 1);
	say(&t, 30.0, "1.2", "child-extend", "level=1.2.1 budget_s=900 after_s=240 work=5");
	run_tree_level1_clock(&t, 0, &c);
	ok(c.last_activity == 30.0 && t.chain[0]->last_s < 30.0,
	   "level 1's clock: a line on 1.2's branch alone is level 1's activity (%.1f)", c.last_activity);
	ok(c.deeper_budget_s >= 900, "... and the longest budget any branch announced (%.0f)", c.deeper_budget_s);
	say(&t, 12.5, "1.3", "up", "mem_mb=400 maxdepth=3 width=2");
	is_int(t.stray, 1, "a third child of a width-2 tree: on no chain");
	is_int(t.chain[0]->garbled, 1, "... counted on the first chain, not lost");
	is_int(t.chain[2]->garbled, 0, "... and on no chain it is not near");
	say(&t, 12.6, "1", "child-exits", "level=1.2.x total=3");
	is_int(t.stray, 2, "a field that names no node: on no chain");
	run_tree_free(&t);
}

/* A branch's words name its levels by their nodes: the notes each once,
 * and the verdict. */
static void names(void)
{
	static struct run_tree t, chain;
	static char nm[REPORT_LEVEL_MAX + 1][RUN_TREE_NAME_MAX];
	const char *ptr[REPORT_LEVEL_MAX + 1];
	char out[256];
	static const struct {
		int chain;
		const char *note, *want;
	} cases[] = {
		{ 2, "L2 warning: fault injection panic@1.2: crashing", "L1.2 warning: fault injection panic@1.2: crashing" },
		{ 3, "L2 gave L3 more time, 15 s in all", "L1.2 gave L1.2.2 more time, 15 s in all" },
		{ 0, "L1 warning: THP never; L2.", "L1 warning: THP never; L1.1." },
		{ 1, "L4 is no level of it, L1.2 a node, L2x no word, XL2 neither", "L4 is no level of it, L1.2 a node, L2x no word, XL2 neither" },
		{ 3, "level 2 and L0 stay", "level 2 and L0 stay" },
		{ 1, "L99999999999999999999 stays", "L99999999999999999999 stays" },
	};
	struct run_model m;
	struct run_verdict v = { .why = VERDICT_WHY_LEVEL_FAILED, .level = 2, .outcome = OUTCOME_PANIC,
				 .expected = 3, .expected_given = 1 };

	run_tree_init(&t, 2, 3);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		is_int(run_tree_note_named(&t, cases[k].chain, cases[k].note, out, sizeof(out)), 0,
		       "note %zu named", k);
		is_str(out, cases[k].want, "chain %d: '%s'", cases[k].chain, cases[k].note);
	}
	is_int(run_tree_note_named(&t, 2, "L2 warning: a long one", out, 8), -ENOSPC, "cut short: -ENOSPC");
	is_str(out, "L1.2 wa", "... what fits");
	/* a warning both level-2 nodes gave is two notes; one level 1 gave, one */
	snprintf(t.chain[0]->notes[0], sizeof(t.chain[0]->notes[0]), "L2 warning: THP never");
	snprintf(t.chain[0]->notes[1], sizeof(t.chain[0]->notes[1]), "L1 warning: THP never");
	t.chain[0]->nnotes = 2;
	ok(!run_tree_note_seen_before(&t, 2, "L2 warning: THP never"), "1.2's warning is not 1.1's");
	ok(run_tree_note_seen_before(&t, 1, "L2 warning: THP never"), "1.1's is, on its second branch");
	ok(run_tree_note_seen_before(&t, 3, "L1 warning: THP never"), "level 1's is on every branch");
	run_tree_level_names(&t, 3, nm, ptr, REPORT_LEVEL_MAX + 1);
	ok(!ptr[0] && !strcmp(ptr[1], "L1") && !strcmp(ptr[2], "L1.2") && !strcmp(ptr[3], "L1.2.2") && !ptr[4],
	   "chain 3's levels: L1 L1.2 L1.2.2");
	memset(&m, 0, sizeof(m));
	m.level[2].up = 1;
	verdict_describe_named(&m, &v, ptr, out, sizeof(out));
	is_str(out, "expected depth 3: FAILED (L1.2 came up and then failed: panic)", "the verdict names the node");
	run_tree_free(&t);
	run_tree_init(&chain, 1, 3);
	run_tree_note_named(&chain, 0, "L2 warning: x", out, sizeof(out));
	is_str(out, "L2 warning: x", "width 1: a chain's notes as they are");
	run_tree_level_names(&chain, 0, nm, ptr, REPORT_LEVEL_MAX + 1);
	verdict_describe_named(&m, &v, ptr, out, sizeof(out));
	is_str(out, "expected depth 3: FAILED (level 2 came up and then failed: panic)", "... and its verdict");
	run_tree_free(&chain);
}

static void width_one(void)
{
	static struct run_tree t;
	static struct run_model plain;
	char *log = tap_slurp("tests/data/logs/run-depth3-max-depth.log"), *save = NULL;
	int n = 0;

	if (!log) {
		tap_skip("no recorded depth-3 log");
		return;
	}
	is_int(run_tree_init(&t, 1, 3), 0, "width 1: a chain");
	is_int(t.nleaves, 1, "... of one");
	events_init(&plain);
	events_expect_maxdepth(&plain, 3);
	for (char *l = strtok_r(log, "\n", &save); l; l = strtok_r(NULL, "\n", &save), n++) {
		run_tree_line(&t, l, -1);
		events_line(&plain, l, -1);
	}
	run_tree_finish(&t);
	events_finish(&plain);
	ok(n > 10 && !memcmp(&plain, t.chain[0], sizeof(plain)),
	   "a width-1 run is read exactly as a chain always was (%d lines)", n);
	is_int(run_tree_nodes(&t, (struct run_tree_node[RUN_TREE_NODES_MAX]){ 0 }, RUN_TREE_NODES_MAX), 3,
	       "its nodes: its 3 levels");
	free(log);
	run_tree_free(&t);
}

int main(void)
{
	static struct run_tree t;
	int d;

	is_int(run_tree_init(&t, 2, 8), -ERANGE, "width 2, depth 8: 128 chains, refused");
	is_int(run_tree_init(&t, 2, 0), -ERANGE, "a tree needs its depth");
	is_int(run_tree_init(&t, 5, 2), -ERANGE, "width 5: refused");
	is_int(run_tree_width_of_line("[+1.0s] supernested: L1 up maxdepth=3 width=2 crc=9d9e5f6c", &d), 0,
	       "a line whose checksum does not match says nothing");
	{
		char line[200] = "supernested: L1 up mem_mb=10 maxdepth=3 width=2";

		report_seal(line, sizeof(line));
		is_int(run_tree_width_of_line(line, &d), 2, "an up line's width=");
		is_int(d, 3, "... and maxdepth=");
		snprintf(line, sizeof(line), "supernested: L1 up mem_mb=10 maxdepth=3");
		report_seal(line, sizeof(line));
		is_int(run_tree_width_of_line(line, &d), 1, "no width=: 1");
	}
	all_up();
	sibling_panics();
	strays();
	names();
	width_one();
	return tap_done();
}
