/* by_hand.c - the banner and the closing table of a by-hand boot (see by_hand.h). */
#include "by_hand.h"
#include "console.h"
#include "run_tree.h"
#include "system.h"
#include "table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a chain is a tree of width 1: one model fed every line as it is */
static struct run_tree tree;
static int following;

static void follow(const char *line)
{
	run_tree_line(&tree, line, uptime_s());
}

void by_hand_start(int maxdepth, int width)
{
	char line[REPORT_LINE_MAX];
	int rc;

	snprintf(line, sizeof(line), "=== supernested %s: how deep can KVM nest on this host? ===",
		 SUPERNESTED_VERSION);
	console_line(line);
	snprintf(line, sizeof(line),
		 "Level 1 starts this same disk as level 2 under KVM (through an in-memory overlay: "
		 "nothing is written), level 2 starts level 3, and so on up to level %d.", maxdepth);
	console_line(line);
	/* not the report prefix itself: the banner is no (garbled) report */
	console_line("Each level reports in lines that start with its level (L1, L2, ...) after "
		     "'supernested:'; at the end a table and the answer, then level 1 powers off.");
	console_line("Settings: at the 'boot:' prompt (3 s after power-on) type for example: "
		     "supernested supernested.maxdepth=4   (the README lists them all)");
	console_line("To stop: Ctrl-A then X (qemu -nographic), or close qemu's window.");
	rc = run_tree_init(&tree, width, maxdepth);
	if (rc < 0) {
		snprintf(line, sizeof(line), "(no table at the end: following a tree %d wide, %d deep: %s)",
			 width, maxdepth, strerror(-rc));
		console_line(line);
		return;
	}
	run_tree_guest_clock(&tree);	/* uptime_s() is ours, slow under Bochs */
	console_set_tap(follow);
	following = 1;
}

void by_hand_answer(void)
{
	char *text = NULL, *line, *next;
	size_t len = 0;
	FILE *out;

	if (!following)
		return;
	console_set_tap(NULL);
	run_tree_finish(&tree);
	out = open_memstream(&text, &len);
	if (!out)
		return;
	fputc('\n', out);
	if (tree.width > 1)
		print_tree_table(out, &tree);
	else
		print_table(out, tree.chain[0]);
	print_tree_answer(out, &tree);
	fclose(out);
	/* times are level 1's own clock: it started at 0 */
	console_line("=== supernested: the answer (times from level 1's power-on) ===");
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		console_line(line);
	}
	free(text);
}
