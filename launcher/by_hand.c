/* by_hand.c - the banner and the closing table of a by-hand boot (see by_hand.h). */
#include "by_hand.h"
#include "console.h"
#include "events.h"
#include "system.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct run_model model;
static int following;

static void follow(const char *line)
{
	events_line(&model, line, uptime_s());
}

void by_hand_start(int maxdepth)
{
	char line[REPORT_LINE_MAX];

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
	events_init(&model);
	events_guest_clock(&model);	/* uptime_s() is ours, slow under Bochs */
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
	events_finish(&model);
	out = open_memstream(&text, &len);
	if (!out)
		return;
	fputc('\n', out);
	print_table(out, &model);
	print_answer(out, &model);
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
