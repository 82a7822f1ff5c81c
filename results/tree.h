/* tree.h - a run whose levels start several children each (width W) seen
 * as the chains it is made of: one per leaf, from level 1 down to one of
 * the W^(depth-1) nodes at the deepest level.  Every rule and record made
 * for a chain (chain.h, events.h, verdict.h) applies to each of them as it
 * is: a report of node S belongs to the chain of leaf P when S is on P's
 * path and every node it names (level=, failed_level=, path=) is too, and
 * is read there with its nodes as plain depths.
 *
 * A node with children ends with one summary per branch below it,
 * "summary path=X ...": X is where that branch ended (a leaf, or a node
 * that failed or stopped), so that each chain gets exactly one summary
 * from each of its levels.  A width-1 stream names no node and carries no
 * path=: it is its own and only chain, unchanged.
 *
 * Pure logic, shared by launcher and host. */
#ifndef SUPERNESTED_TREE_H
#define SUPERNESTED_TREE_H

#include "node.h"
#include "report.h"

#define TREE_LEAVES_MAX 64	/* chains a run may be made of: W^(depth-1) */

/* Leaves of a tree @width wide and @depth deep (the chains of its run):
 * W^(depth-1), or -ERANGE beyond TREE_LEAVES_MAX or NODE_WIDTH_MAX. */
int tree_leaves(int width, int depth);

/* The @i-th leaf (0-based, in order: 0 is the first branch, "depth"). */
void tree_leaf(int width, int depth, int i, struct node *leaf);

/* The leaves below (or at) node @n of such a tree: first and count. */
void tree_leaves_under(int width, int depth, const struct node *n, int *first, int *count);

/* Fields whose value names a node. */
#define TREE_NODE_FIELDS { "level", "failed_level", "path" }

/* Report @in as the chain ending at @leaf sees it: 1 with @out set (every
 * node named as its depth, path= dropped), 0 when it is about another
 * chain, -EINVAL when a field that names a node does not. */
int tree_report_on_path(const struct report *in, const struct node *leaf, struct report *out);

#endif
