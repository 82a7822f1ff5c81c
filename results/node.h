/* node.h - a level's name in a tree of levels: its path from level 1.
 *
 * With one child per level (width 1) every level is named by its depth,
 * "3".  With several (supernested.width=W), the c-th child of a node P is
 * "P.c": level 1's second child is "1.2", its first child "1.1".  One
 * spelling per node: a name whose every step is 1 is written as its depth
 * ("1.1.1" is "3"), so a width-1 stream is what it always was, and the
 * first branch of a tree is the chain a width-1 run would have been.
 *
 * Pure logic, shared by launcher and host. */
#ifndef SUPERNESTED_NODE_H
#define SUPERNESTED_NODE_H

#include <stddef.h>

#define NODE_LEVEL_MAX 64	/* deepest level a name may have (REPORT_LEVEL_MAX) */
#define NODE_WIDTH_MAX 4	/* children a level may start */
#define NODE_NAME_MAX (2 * NODE_LEVEL_MAX + 2)	/* "1.2.1...", NUL included */

struct node {
	int level;		/* its depth: 1 for level 1; 0 for no node */
	unsigned char step[NODE_LEVEL_MAX + 1];	/* step[l]: which child (1-based) the
						 * level-l node of its path is; step[1] = 1 */
};

/* The level-@level node of the first branch ("3" is 1.1.1). */
void node_first(struct node *n, int level);

/* The @index-th (1-based) child of @parent.  0, or -ERANGE. */
int node_child(const struct node *parent, int index, struct node *child);

/* Parse a name in its one spelling ("3", "1.2.1"); 0 or -EINVAL. */
int node_parse(const char *text, struct node *n);

/* Write the name; its length, or -ENOSPC. */
int node_format(const struct node *n, char *buf, size_t len);

/* Write it as its path always ("1.1.1"), for people reading a tree. */
int node_format_path(const struct node *n, char *buf, size_t len);

/* Its label in a tree's output: "L" and its path ("L1.2.1"); its length,
 * or -ENOSPC. */
int node_format_label(const struct node *n, char *buf, size_t len);

/* 1 when every step is 1: the node is named by its depth alone. */
int node_is_first(const struct node *n);

/* 1 when @a is @b or an ancestor of it (on @b's path from level 1). */
int node_on_path(const struct node *a, const struct node *b);

/* 1 when @a and @b are the same node (or both none, level 0). */
int node_equal(const struct node *a, const struct node *b);

#endif
