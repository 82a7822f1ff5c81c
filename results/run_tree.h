/* run_tree.h - a run's report stream read as the chains of its tree.
 *
 * A run whose levels start W children each (supernested.width=W) is a tree
 * W wide and as deep as its max depth: W^(depth-1) chains, one per leaf
 * (tree.h).  Each chain gets its own run model (events.h), fed what that
 * chain would have seen alone: a report of a node on its path, with every
 * node named as its depth (tree_report_on_path, sealed again), and all
 * kernel text and garbled lines.  So every rule and record made for a
 * chain holds for each branch as it is.  Width 1 is one model fed the raw
 * lines: exactly what a chain always was.
 *
 * The tree as a whole: its nodes (each with its record from the first
 * chain through it), how deep every branch went and how deep any did, and
 * one verdict, the worst chain's: a sibling that failed is a failure of
 * its branch, and so of the run.
 *
 * Pure logic, no I/O; the models are on the heap (run_tree_free). */
#ifndef SUPERNESTED_RUN_TREE_H
#define SUPERNESTED_RUN_TREE_H

#include "budget.h"
#include "events.h"
#include "tree.h"
#include "verdict.h"

/* Nodes of the widest tree allowed: fewer than twice its leaves. */
#define RUN_TREE_NODES_MAX (2 * TREE_LEAVES_MAX)

struct run_tree {
	int width;		/* children per level: 1 for a chain */
	int depth;		/* its leaves' level: the run's max depth (1 for width 1) */
	int nleaves;		/* chains: width^(depth-1) */
	struct node leaf[TREE_LEAVES_MAX];	/* leaf[i] ends chain i; leaf[0] is the first branch */
	struct run_model *chain[TREE_LEAVES_MAX];	/* chain[0] is the first branch */
	unsigned long long stray;	/* reports on no chain of the tree (a node beyond it) */
};

/* One node of the tree that some line named. */
struct run_tree_node {
	struct node node;
	int parent;		/* index of its parent in the list; -1 for level 1 */
	int chain;		/* the first chain through it: its record is that chain's */
	const struct level_record *rec;
};

/* @width 1: one chain (@max_depth may be 0, unknown).  @width > 1 needs
 * the max depth, which fixes the leaves.  The chains expect @max_depth as
 * events_expect_maxdepth says when @max_depth > 0.  0, -ERANGE (too wide,
 * too many chains, no depth) or -ENOMEM. */
int run_tree_init(struct run_tree *t, int width, int max_depth);
void run_tree_free(struct run_tree *t);

/* Like events_guest_clock, for every chain. */
void run_tree_guest_clock(struct run_tree *t);

/* Feed one console line (as events_line): a report to every chain it
 * belongs to, rewritten for it; any other line to every chain. */
void run_tree_line(struct run_tree *t, const char *line, double host_s);

/* Level 1's own evidence (events_level1_evidence), for every chain. */
void run_tree_level1_evidence(struct run_tree *t, const char *line);

/* events_finish on every chain; call once at the end. */
void run_tree_finish(struct run_tree *t);

/* Level 1's summary arrived on every chain: the run's last word came. */
int run_tree_summary_seen(const struct run_tree *t);

/* Level 1's budget clock (events_level1_clock) over the whole tree:
 * activity in any chain is level 1's activity, its summary is the last
 * chain's, and a level below may wait as long as the longest any announced. */
void run_tree_level1_clock(const struct run_tree *t, double explicit_s, struct budget_clock *c);

/* A level's name in a tree's output: "L" and its node's path ("L1.2.1"). */
#define RUN_TREE_NAME_MAX (NODE_NAME_MAX + 1)

/* Chain @i's levels named by their nodes: @ptr[l] = @names[l] ("L1.2")
 * for each level l of the tree (1..depth, below @max), NULL for the rest
 * and for a tree of width 1 (a chain's levels are their depths).  For
 * verdict_describe_named.  Returns 0. */
int run_tree_level_names(const struct run_tree *t, int i, char names[][RUN_TREE_NAME_MAX],
			 const char *ptr[], int max);

/* Chain @i's @note (its model's words, levels by depth) with each "L<n>"
 * that is a whole word naming one of its levels written as that level's
 * node: "L2 warning: ..." on the branch to 1.2.1 is "L1.2 warning: ...".
 * A tree of width 1 keeps its notes as they are.  0, or -ENOSPC when
 * @out (@len) cut it short. */
int run_tree_note_named(const struct run_tree *t, int i, const char *note, char *out, size_t len);

/* Chain @i's @note, named, was noted on an earlier chain too (a line
 * every branch saw is noted on each, a shared level's warning named the
 * same): to print each note once. */
int run_tree_note_seen_before(const struct run_tree *t, int i, const char *note);

/* The nodes seen, depth-first (1, 1.1, 1.1.1, 1.1.2, 1.2, ...), into @out
 * (room for @max); returns how many. */
int run_tree_nodes(const struct run_tree *t, struct run_tree_node *out, int max);

/* Chain @i's level-@level node (the ancestor of its leaf at that depth). */
void run_tree_chain_node(const struct run_tree *t, int i, int level, struct node *n);

/* How deep the tree went: @every, the shallowest chain's deepest level up
 * (every branch reached it); @any, the deepest any branch reached. */
void run_tree_depth(const struct run_tree *t, int *every, int *any);

/* The run's verdict: the worst chain's (verdict_status_rank; the first of
 * equals).  Returns that chain's index. */
int run_tree_verdict(const struct run_tree *t, int expect_depth, struct run_verdict *v);

/* The width an up line says (its width= field), 1 when it says none, 0
 * when @line holds no up report; for a reader finding a log's tree before
 * it reads it.  @maxdepth (may be NULL) gets its maxdepth=, or 0. */
int run_tree_width_of_line(const char *line, int *maxdepth);

#endif
