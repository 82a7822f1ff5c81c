/* tree.c - a tree of levels as the chains it is made of (see tree.h). */
#include "tree.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int tree_leaves(int width, int depth)
{
	long n = 1;

	if (width < 1 || width > NODE_WIDTH_MAX || depth < 1 || depth > NODE_LEVEL_MAX)
		return -ERANGE;
	for (int l = 2; l <= depth; l++) {
		n *= width;
		if (n > TREE_LEAVES_MAX)
			return -ERANGE;
	}
	return (int)n;
}

void tree_leaf(int width, int depth, int i, struct node *leaf)
{
	node_first(leaf, depth);
	/* i written in base width, most significant digit at level 2 */
	for (int l = depth; l >= 2; l--) {
		leaf->step[l] = (unsigned char)(1 + i % width);
		i /= width;
	}
}

void tree_leaves_under(int width, int depth, const struct node *n, int *first, int *count)
{
	int i = 0, c = 1;

	if (tree_leaves(width, depth) < 0 || n->level < 1 || n->level > depth) {
		*first = *count = 0;	/* no such tree, or no node of it */
		return;
	}

	for (int l = 2; l <= depth; l++) {
		i *= width;
		if (l <= n->level)
			i += n->step[l] - 1;
		else
			c *= width;
	}
	*first = i;
	*count = c;
}

int tree_report_on_path(const struct report *in, const struct node *leaf, struct report *out)
{
	static const char *const named[] = TREE_NODE_FIELDS;

	if (!node_on_path(&in->node, leaf))
		return 0;
	*out = *in;
	node_first(&out->node, in->level);
	out->nfields = 0;
	for (int i = 0; i < in->nfields; i++) {
		const struct report_field *f = &in->field[i];
		int is_node = 0;

		for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
			is_node |= !strcmp(f->key, named[k]);
		if (is_node) {
			struct node n;

			if (node_parse(f->value, &n) < 0)
				return -EINVAL;
			if (!node_on_path(&n, leaf))
				return 0;
			if (!strcmp(f->key, "path"))
				continue;	/* said which chain: no field of it */
			out->field[out->nfields] = *f;
			snprintf(out->field[out->nfields].value, sizeof(f->value), "%d", n.level);
			out->nfields++;
			continue;
		}
		out->field[out->nfields++] = *f;
	}
	return 1;
}
