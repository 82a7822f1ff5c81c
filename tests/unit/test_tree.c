/* test_tree.c - names of levels in a tree (node.h) and a tree run read as
 * its chains (tree.h): spellings, leaves, and which report belongs to
 * which chain, as the launcher and the host read them. */
#include "tap.h"
#include "node.h"
#include "tree.h"

#include <errno.h>
#include <string.h>

static const char *name_of(const struct node *n)
{
	static char buf[NODE_NAME_MAX];

	if (node_format(n, buf, sizeof(buf)) < 0)
		return "(none)";
	return buf;
}

static const char *parse_back(const char *text)
{
	struct node n;

	if (node_parse(text, &n) < 0)
		return "(bad)";
	return name_of(&n);
}

static struct report parsed(const char *line)
{
	struct report r;
	char buf[REPORT_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	report_seal(buf, sizeof(buf));
	if (report_parse(buf, &r, NULL) != 0)
		memset(&r, 0, sizeof(r));
	return r;
}

/* @line as the chain of leaf @leaf reads it: "(other)", "(bad)" or the line */
static const char *on_path(const char *line, const char *leaf)
{
	static char buf[REPORT_LINE_MAX];
	struct report in = parsed(line), out;
	struct node l;
	int rc;

	node_parse(leaf, &l);
	rc = tree_report_on_path(&in, &l, &out);
	if (rc == 0)
		return "(other)";
	if (rc < 0)
		return "(bad)";
	if (report_format(&out, buf, sizeof(buf)) < 0)
		return "(too long)";
	*strstr(buf, " crc=") = '\0';
	return buf;
}

int main(void)
{
	struct node n, c, leaf;
	struct report r;
	char line[REPORT_LINE_MAX];
	int first, count;

	/* names */
	node_first(&n, 3);
	is_str(name_of(&n), "3", "the first branch is named by its depth");
	node_child(&n, 2, &c);
	is_str(name_of(&c), "1.1.1.2", "a second child is named by its path");
	is_int(c.level, 4, "... at depth 4");
	node_first(&n, 1);
	node_child(&n, 1, &c);
	is_str(name_of(&c), "2", "level 1's first child is level 2");
	is_int(node_child(&n, NODE_WIDTH_MAX + 1, &c), -ERANGE, "no child beyond the widest");
	is_int(node_child(&n, 0, &c), -ERANGE, "children count from 1");
	node_first(&n, 3);
	node_format_path(&n, line, sizeof(line));
	is_str(line, "1.1.1", "for people: the first branch's level 3 as its path, 1.1.1");
	is_int(node_format_label(&n, line, sizeof(line)), 6, "its label: 6 characters");
	is_str(line, "L1.1.1", "... L1.1.1");
	is_int(node_format_label(&n, line, 6), -ENOSPC, "a label cut short: -ENOSPC");
	is_str(parse_back("1.2.1"), "1.2.1", "1.2.1 parses and prints back");
	is_str(parse_back("4"), "4", "a depth parses as the first branch");
	is_str(parse_back("1.1"), "(bad)", "one spelling: 1.1 is written 2");
	is_str(parse_back("2.1"), "(bad)", "every path starts at level 1");
	is_str(parse_back("1.0"), "(bad)", "no child 0");
	is_str(parse_back("1.5"), "(bad)", "no child beyond the widest (4)");
	is_str(parse_back("1..2"), "(bad)", "an empty step");
	is_str(parse_back("1.2."), "(bad)", "a trailing dot");
	is_str(parse_back("0"), "(bad)", "no level 0");
	is_str(parse_back("65"), "(bad)", "no level beyond 64");
	is_str(parse_back("1.02"), "(bad)", "no leading zero");
	is_str(parse_back(""), "(bad)", "empty");
	node_parse("1.2", &n);
	node_parse("1.2.1", &c);
	ok(node_on_path(&n, &c) && !node_on_path(&c, &n), "1.2 is on 1.2.1's path, not the reverse");
	node_parse("1.3.1", &c);
	ok(!node_on_path(&n, &c), "1.2 is not on 1.3.1's path");
	node_parse("1", &c);
	ok(node_on_path(&c, &n), "level 1 is on every path");
	{
		struct node none1, none2;

		node_first(&none1, 0);
		node_first(&none2, 0);
		ok(node_equal(&none1, &none2) && !node_equal(&none1, &c), "no node equals no node, not level 1");
	}

	/* report lines name nodes */
	node_parse("1.2.1", &n);
	report_init_node(&r, &n, "up");
	report_add(&r, "mem_mb", "512");
	report_format(&r, line, sizeof(line));
	ok(!strncmp(line, "supernested: L1.2.1 up mem_mb=512 crc=", 38), "a node's report: L1.2.1 (%s)", line);
	r = parsed("supernested: L1.2.1 up mem_mb=512");
	ok(r.level == 3 && r.node.step[2] == 2, "parsed back: level 3, second child of level 1");
	r = parsed("supernested: L3 up mem_mb=512");
	ok(r.level == 3 && node_is_first(&r.node), "L3 is the first branch's level 3");
	r = parsed("supernested: L1.1 up");
	is_int(r.level, 0, "L1.1 is not a report (one spelling)");

	/* leaves */
	is_int(tree_leaves(1, 5), 1, "width 1: one chain");
	is_int(tree_leaves(2, 3), 4, "width 2, depth 3: 4 chains (7 guests)");
	is_int(tree_leaves(3, 2), 3, "width 3, depth 2: 3 chains");
	is_int(tree_leaves(2, 8), -ERANGE, "width 2, depth 8: 128 chains, too many");
	is_int(tree_leaves(5, 2), -ERANGE, "width 5: wider than 4");
	tree_leaf(2, 3, 0, &leaf);
	is_str(name_of(&leaf), "3", "leaf 0 of a width-2 depth-3 tree: 3");
	tree_leaf(2, 3, 1, &leaf);
	is_str(name_of(&leaf), "1.1.2", "leaf 1: 1.1.2");
	tree_leaf(2, 3, 2, &leaf);
	is_str(name_of(&leaf), "1.2.1", "leaf 2: 1.2.1");
	tree_leaf(2, 3, 3, &leaf);
	is_str(name_of(&leaf), "1.2.2", "leaf 3: 1.2.2");
	node_parse("1.2", &n);
	tree_leaves_under(2, 3, &n, &first, &count);
	ok(first == 2 && count == 2, "under 1.2: leaves 2 and 3 (%d, %d)", first, count);
	node_parse("1", &n);
	tree_leaves_under(2, 3, &n, &first, &count);
	ok(first == 0 && count == 4, "under 1: all 4");
	node_parse("1.2.2", &n);
	tree_leaves_under(2, 3, &n, &first, &count);
	ok(first == 3 && count == 1, "under leaf 1.2.2: itself");
	tree_leaves_under(4, 64, &n, &first, &count);
	ok(first == 0 && count == 0, "no such tree (4^63 leaves): none, no overflow");

	/* which chain a report belongs to */
	is_str(on_path("supernested: L1 up mem_mb=2000", "1.2.1"), "supernested: L1 up mem_mb=2000",
	       "level 1 speaks to every chain");
	is_str(on_path("supernested: L1 child-start level=1.2 mem_mb=600", "1.2.1"),
	       "supernested: L1 child-start level=2 mem_mb=600", "its child-start of 1.2: level=2 on 1.2.1's chain");
	is_str(on_path("supernested: L1 child-start level=1.2 mem_mb=600", "3"), "(other)",
	       "... and not on the first branch's");
	is_str(on_path("supernested: L1.2 up", "1.2.2"), "supernested: L2 up", "1.2's up: L2 on 1.2.2's chain");
	is_str(on_path("supernested: L1.2 up", "1.1.2"), "(other)", "... not on 1.1.2's");
	is_str(on_path("supernested: L1.2 summary path=1.2.1 deepest=3 result=max-depth failed_level=1.2.1",
		       "1.2.1"),
	       "supernested: L2 summary deepest=3 result=max-depth failed_level=3",
	       "a branch's summary: path= dropped, failed_level as a depth");
	is_str(on_path("supernested: L1.2 summary path=1.2.1 deepest=3 result=max-depth failed_level=1.2.1",
		       "1.2.2"), "(other)", "... and not the sibling branch's");
	is_str(on_path("supernested: L1 summary path=1.2 deepest=2 result=panic failed_level=1.2", "1.2.2"),
	       "supernested: L1 summary deepest=2 result=panic failed_level=2",
	       "a branch that ended at 1.2 ends every chain below it");
	is_str(on_path("supernested: L1 child-exits level=1.2.1 total=9", "1.2.1"),
	       "supernested: L1 child-exits level=3 total=9", "exits named by node");
	is_str(on_path("supernested: L1 child-exits level=1.2.x total=9", "1.2.1"), "(bad)",
	       "a node field that names no node");
	is_str(on_path("supernested: L3 stop reason=max-depth", "3"), "supernested: L3 stop reason=max-depth",
	       "width 1 reads as it is");
	return tap_done();
}
