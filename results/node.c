/* node.c - a level's name in a tree of levels (see node.h). */
#include "node.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void node_first(struct node *n, int level)
{
	memset(n, 0, sizeof(*n));
	if (level < 0 || level > NODE_LEVEL_MAX)
		return;
	n->level = level;
	for (int l = 1; l <= level; l++)
		n->step[l] = 1;
}

int node_child(const struct node *parent, int index, struct node *child)
{
	if (parent->level < 1 || parent->level >= NODE_LEVEL_MAX || index < 1 ||
	    index > NODE_WIDTH_MAX)
		return -ERANGE;
	*child = *parent;
	child->level = parent->level + 1;
	child->step[child->level] = (unsigned char)index;
	return 0;
}

int node_is_first(const struct node *n)
{
	for (int l = 1; l <= n->level; l++)
		if (n->step[l] != 1)
			return 0;
	return 1;
}

/* A decimal 1..max with no leading zero at @p; its value, or -1. */
static int small_number(const char *p, size_t len, int max)
{
	int v = 0;

	if (len == 0 || len > 2 || p[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v <= max ? v : -1;
}

int node_parse(const char *text, struct node *n)
{
	const char *p = text, *dot = strchr(text, '.');

	memset(n, 0, sizeof(*n));
	if (!dot) {
		int level = small_number(text, strlen(text), NODE_LEVEL_MAX);

		if (level < 1)
			return -EINVAL;
		node_first(n, level);
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ".");
		int step = small_number(p, len, NODE_WIDTH_MAX);

		if (step < 1 || n->level >= NODE_LEVEL_MAX || (n->level == 0 && step != 1))
			goto bad;
		n->step[++n->level] = (unsigned char)step;
		if (!p[len])
			break;
		p += len + 1;
	}
	if (node_is_first(n))	/* "1.1" is spelt "2" */
		goto bad;
	return 0;
bad:
	memset(n, 0, sizeof(*n));
	return -EINVAL;
}

int node_format_path(const struct node *n, char *buf, size_t len)
{
	size_t at = 0;
	int w;

	if (n->level < 1 || len == 0)
		return -ENOSPC;
	for (int l = 1; l <= n->level; l++) {
		w = snprintf(buf + at, len - at, l == 1 ? "%u" : ".%u", n->step[l]);
		if (w < 0 || (size_t)w >= len - at)
			return -ENOSPC;
		at += (size_t)w;
	}
	return (int)at;
}

int node_format_label(const struct node *n, char *buf, size_t len)
{
	int w;

	if (len < 2)
		return -ENOSPC;
	buf[0] = 'L';
	w = node_format_path(n, buf + 1, len - 1);
	return w < 0 ? w : w + 1;
}

int node_format(const struct node *n, char *buf, size_t len)
{
	int w;

	if (n->level < 1 || len == 0)
		return -ENOSPC;
	if (!node_is_first(n))
		return node_format_path(n, buf, len);
	w = snprintf(buf, len, "%d", n->level);
	return w < (int)len ? w : -ENOSPC;
}

int node_on_path(const struct node *a, const struct node *b)
{
	if (a->level < 1 || a->level > b->level)
		return 0;
	for (int l = 1; l <= a->level; l++)
		if (a->step[l] != b->step[l])
			return 0;
	return 1;
}

int node_equal(const struct node *a, const struct node *b)
{
	return a->level == b->level && (a->level == 0 || node_on_path(a, b));	/* no node is no node */
}
