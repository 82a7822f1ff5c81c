/* test_events.c - the host's run model, fed with recorded real serial logs
 * (tests/data/logs/run-*.log, written by real runs) and with damaged streams. */
#include "saved_log.h"
#include "tap.h"
#include "seal.h"
#include "events.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct run_model m;

static int feed_file(const char *name)
{
	char path[512];

	/* read as parse reads a console.log */
	snprintf(path, sizeof(path), "%s/tests/data/logs/%s", SRCDIR, name);
	if (saved_log_read(path, &m, 0) < 0)
		return -1;
	return 0;
}

/* A negative number in @text: "-" before a digit. */
static int negative(const char *text)
{
	for (const char *p = text; (p = strchr(p, '-')); p++)
		if (p[1] >= '0' && p[1] <= '9')
			return 1;
	return 0;
}

static void feed(const char *const *lines)
{
	events_init(&m);
	for (int i = 0; lines[i]; i++)
		events_line(&m, sealed(lines[i]), i);
}

int main(void)
{
	ok(feed_file("run-depth2-max-depth.log") == 0, "recorded depth-2 run read");
	is_int(m.summary_seen, 1, "depth 2: level 1 summary seen");
	is_int(m.deepest, 2, "depth 2: deepest 2");
	is_str(outcome_name(m.result), "max-depth", "depth 2: ended at max depth");
	is_int(m.level[1].up, 1, "depth 2: L1 up");
	is_str(m.level[1].accel, "tcg", "depth 2: L1 accel tcg");
	is_str(m.level[2].accel, "kvm", "depth 2: L2 accel kvm");
	ok(m.level[2].boot_s > 1 && m.level[2].boot_s < 60, "depth 2: L2 boot time from L1 (%.3f)", m.level[2].boot_s);
	ok(m.level[2].up_at_s > m.level[1].up_at_s, "depth 2: host stamps order L1 before L2");
	ok(m.level[1].boot_s < 0, "depth 2: nobody measured L1's boot from inside");
	is_int(m.garbled, 0, "depth 2: no garbled lines");

	ok(feed_file("run-l2-oom-panic.log") == 0, "recorded OOM run read");
	is_int(m.summary_seen, 1, "oom: summary seen");
	is_int(m.deepest, 1, "oom: deepest 1");
	is_str(outcome_name(m.level[2].outcome), "oom", "oom: L2 failed by OOM");
	is_int(m.level[2].up, 0, "oom: L2 never up");
	is_int(m.failed_level, 2, "oom: failed level 2");
	ok(m.level[2].nevidence > 0, "oom: evidence lines kept (%d)", m.level[2].nevidence);
	ok(strstr(m.level[2].detail, "deadlocked on memory") != NULL, "oom: detail quotes the panic");
	is_int(m.level[1].child_mem_mb, 80, "oom: L1 gave L2 80 MiB (supernested.mem=80M)");

	ok(feed_file("run-depth3-exit-profile.log") == 0, "recorded depth-3 run with exit profiles read");
	ok(m.level[2].exits.seen && m.level[2].exits.count[XS_TOTAL] == 8722,
	   "profile: L1 counted 8722 exits in L2's boot");
	ok(m.level[2].exits.count[XS_IO] == 2483 && m.level[2].exits.count[XS_NPF] == 2322,
	   "profile: L2 io and npf");
	ok(!strncmp(m.level[2].exits.top, "io:2483,npf:2322,", 17), "profile: L2 top reasons %s",
	   m.level[2].exits.top);
	ok(!strncmp(m.level[2].exits.io_ports, "0xcf8:", 6), "profile: L2 I/O ports %s",
	   m.level[2].exits.io_ports);
	ok(!strncmp(m.level[2].exits.msrs, "0x6e0:", 6), "profile: L2 MSRs %s", m.level[2].exits.msrs);
	ok(!m.level[2].exits_l1.seen, "profile: L2's parent is level 1: no second view");
	ok(m.level[3].exits.count[XS_TOTAL] == 14249, "profile: L2 counted 14249 exits in L3's boot");
	ok(m.level[3].exits_l1.seen && m.level[3].exits_l1.count[XS_TOTAL] == 112624,
	   "profile: level 1 handled 112624 exits meanwhile");
	ok(!strncmp(m.level[3].exits_l1.top, "vmload:", 7), "profile: L1's top reason during L3's boot %s",
	   m.level[3].exits_l1.top);
	ok(m.level[1].exits.seen == 0, "profile: nobody counts level 1's exits");

	ok(feed_file("run-depth3-max-depth.log") == 0, "recorded depth-3 run read");
	is_int(m.deepest, 3, "depth 3: deepest 3");
	is_int(m.level[3].up, 1, "depth 3: L3 up");
	ok(m.level[3].boot_s > m.level[2].boot_s, "depth 3: L3 boots slower than L2");
	is_str(outcome_name(m.level[3].outcome), "max-depth", "depth 3: L3 stopped at max depth");

	{	/* a stream cut short: the log ends while L2 boots */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg mem_mb=1000",
			"supernested: L1 child-start level=2 mem_mb=500",
			NULL,
		};
		feed(lines);
		events_finish(&m);
		is_int(m.summary_seen, 0, "truncated: no summary");
		is_int(m.failed_level, 2, "truncated: stopped where L2 was starting");
		is_str(outcome_name(m.result), "none", "truncated: outcome unknown, not invented");
	}
	{	/* garbled bytes, a broken report, text glued before a report */
		static const char *const lines[] = {
			"\x01\x02garbage\xff",
			"supernested: L1 up accel=tcg cpu=\"unterminated",
			"[    3.1] some kernel text supernested: L1 up accel=tcg mem_mb=900",
			"supernested: L1 child-start level=2 mem_mb=400",
			"supernested: L2 up accel=kvm",
			"supernested: L1 child-up level=2 boot_s=1.5",
			"supernested: Lx up",
			"supernested: L999 up",
			"supernested: L2 stop reason=max-depth detail=\"level 2 is supernested.maxdepth\"",
			"supernested: L2 summary deepest=2 result=max-depth failed_level=2",
			"supernested: L1 summary deepest=2 result=max-depth failed_level=2",
			NULL,
		};
		feed(lines);
		events_finish(&m);
		is_int(m.garbled, 3, "garbled: three broken report lines counted");
		ok(m.nnotes >= 2, "garbled: notes say what was ignored (%d)", m.nnotes);
		is_int(m.level[1].up, 1, "garbled: report after kernel text still parsed");
		is_int(m.level[1].mem_mb, 900, "garbled: fields of that report kept");
		is_int(m.deepest, 2, "garbled: results not lost");
		ok(m.level[2].boot_s > 1.4 && m.level[2].boot_s < 1.6, "garbled: boot time kept");
		is_int(m.summary_seen, 1, "garbled: summary kept");
	}
	{	/* stamps written by our console.log override the feed time */
		events_init(&m);
		events_line(&m, sealed("[+12.500s] supernested: L1 up accel=kvm"), -1);
		ok(m.level[1].up_at_s > 12.4 && m.level[1].up_at_s < 12.6, "stamp: [+12.500s] read");
		events_line(&m, sealed("[+x] supernested: L1 child-start level=2"), -1);
		ok(m.level[2].started_at_s > 12.4 && m.level[2].started_at_s < 12.6,
		   "stamp: a broken stamp does not hide the report, nor is it read as a time");
		events_line(&m, sealed("[+infs] supernested: L2 up accel=kvm"), -1);
		ok(m.level[2].up_at_s > 12.4 && m.level[2].up_at_s < 12.6, "stamp: [+infs] is no time");
		events_line(&m, sealed("[+1e999s] supernested: L1 child-up level=2 boot_s=1"), -1);
		ok(m.level[2].boot_s == 1 && m.last_s < 13, "stamp: [+1e999s] is no time");
		events_line(&m, sealed("[+13s] supernested: L1 up launcher_s=999"), -1);
		ok(m.level[1].launcher_s < 0, "a second (forged) up does not set launcher_s");
		events_line(&m, sealed("[+14s] supernested: L2 console text=x"), -1);
		ok(m.level[2].first_console_at_s > 13.9 && m.level[2].first_console_at_s < 14.1,
		   "L2's first console line at 14 s, for its boot phases");
	}
	{	/* a config error and a failing child with evidence */
		static const char *const lines[] = {
			"supernested: L1 config-error key=supernested.timeout value=soon detail=\"not a whole number\" using=default",
			"supernested: L1 up accel=tcg",
			"supernested: L1 child-start level=2 mem_mb=300",
			"supernested: L1 child-fail level=2 reason=panic detail=\"Kernel panic - not syncing: VFS\"",
			"supernested: L1 evidence level=2 text=\"line one\"",
			"supernested: L1 evidence level=2 text=\"line two\"",
			"supernested: L1 summary deepest=1 result=panic failed_level=2",
			NULL,
		};
		feed(lines);
		events_finish(&m);
		ok(strstr(m.notes[0], "supernested.timeout=soon") != NULL, "config error noted: %s", m.notes[0]);
		is_str(outcome_name(m.level[2].outcome), "panic", "child-fail: outcome");
		is_int(m.level[2].nevidence, 2, "child-fail: evidence lines");
		is_str(m.level[2].evidence[1], "line two", "child-fail: evidence in order");
		is_str(outcome_name(m.result), "panic", "child-fail: run result");
	}
	{	/* level 1's own qemu dies while level 3 boots: level 1 failed */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg",
			"supernested: L1 child-start level=2 mem_mb=700",
			"supernested: L2 up accel=kvm",
			"supernested: L2 child-start level=3 mem_mb=256",
			"[   40.1] Kernel panic - not syncing: Fatal exception",
			NULL,
		};
		struct child_end end = { .came_up = 1 };

		feed(lines);
		child_end_set_status(&end, 0, 0);
		events_abnormal_end(&m, &end);
		events_finish(&m);
		is_int(m.failed_level, 1, "L1 dies: failed level 1, not the deepest started");
		is_str(outcome_name(m.level[1].outcome), "panic", "L1 dies: its panic");
		ok(m.level[1].nevidence > 0, "L1 dies: its console kept as evidence");
		is_str(outcome_name(m.level[3].outcome), "none", "L1 dies: L3 not blamed");

		feed(lines);	/* the same, stopped by the run's time limit */
		end = (struct child_end){ .came_up = 1 };
		child_end_set_status(&end, SIGKILL, 1);
		events_abnormal_end(&m, &end);
		is_int(m.failed_level, 1, "time limit after level 1's own panic: level 1 failed, "
		       "not L3 that was booting");
		is_str(outcome_name(m.level[1].outcome), "panic", "time limit after the panic: a panic");
	}
	{	/* stopped from outside while level 3 boots, nothing on the console */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg",
			"supernested: L1 child-start level=2 mem_mb=700",
			"supernested: L2 up accel=kvm",
			"supernested: L2 child-start level=3 mem_mb=256",
			NULL,
		};
		struct child_end end = { .came_up = 1 };	/* level 1 came up */

		feed(lines);
		child_end_set_status(&end, SIGKILL, 1);
		events_abnormal_end(&m, &end);
		is_int(m.failed_level, 3, "stopped: blamed on L3, the level booting");
		ok(strstr(m.level[3].detail, "never reported up") != NULL,
		   "stopped: L3 never came up, not 'went silent' (%s)", m.level[3].detail);
	}
	{	/* level 1's budget clock: the host budgets level 1 like a child */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg",				/* t=0 */
			"supernested: L1 child-start level=2 budget_s=120",	/* 1 */
			"supernested: L2 up accel=kvm",				/* 2 */
			"supernested: L2 child-start level=3 budget_s=400",	/* 3 */
			"[   40.1] a kernel line from level 3",			/* 4 */
			NULL,
		};
		struct budget b = { .up_within_s = 120, .levels_below = 3, .child_level = 1 };
		struct budget_clock c;

		events_init(&m);
		events_level1_clock(&m, 0, &c);
		ok(c.up_at < 0 && c.summary_at < 0 && c.last_activity == 0 && c.deeper_budget_s == 0,
		   "L1 clock before any line: not up, nothing announced");
		ok(budget_left(&b, &c, 119) > 0 && budget_left(&b, &c, 121) <= 0,
		   "L1 clock: level 1 not up within its 120 s is stopped");
		events_line(&m, sealed(lines[0]), 9);
		events_level1_clock(&m, 0, &c);
		ok(c.up_at == 9 && c.last_activity == 9, "L1 clock: up at its up line's host time");
		events_init(&m);
		for (int i = 0; lines[i]; i++)	/* level 2 up 21 s after its child-start */
			events_line(&m, sealed(lines[i]), i < 2 ? i : i + 20);
		events_level1_clock(&m, 0, &c);
		ok(c.up_at == 0 && c.last_activity == 24, "L1 clock: activity is the newest line, report or not");
		ok(c.deeper_budget_s == 400, "L1 clock: the longest announced budget (%.0f)", c.deeper_budget_s);
		ok(budget_left(&b, &c, 24 + 400 + 4 * BUDGET_GRACE_S - 1) > 0 &&
		   budget_left(&b, &c, 24 + 400 + 4 * BUDGET_GRACE_S + 1) <= 0,
		   "L1 clock: silence may last the deepest budget plus grace per level");
		/* level 2 came up after 20 s: it may give level 3 40 x 20 s */
		events_line(&m, sealed("supernested: L1 child-up level=2 boot_s=20"), 25);
		events_level1_clock(&m, 0, &c);
		ok(c.deeper_budget_s == 800, "L1 clock: what a level derives from its boot counts too (%.0f)",
		   c.deeper_budget_s);
		events_level1_clock(&m, 30, &c);
		ok(c.deeper_budget_s == 400, "L1 clock: with --level-timeout 30 the announced 400 s stays longest");
		events_line(&m, sealed("supernested: L2 child-fail level=3 reason=timeout"), 49);
		events_line(&m, sealed("supernested: L1 summary deepest=2 result=timeout failed_level=3"), 50);
		events_level1_clock(&m, 0, &c);
		ok(c.summary_at == 50, "L1 clock: summary time kept, for qemu's exit wait");
	}
	{	/* a level's tick: asked by its parent, said by its kernel */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg",
			"supernested: L1 child-start level=2 tick_stride=8",
			"supernested: L2 up accel=kvm",
			"supernested: L2 child-start level=3 tick_stride=8",
			"supernested: L3 up accel=kvm tick_stride=8",
			NULL,
		};

		events_init(&m);
		feed(lines);
		is_int(m.level[2].tick_stride, 1, "tick: asked every 8 jiffies, its up line says every jiffy");
		is_int(m.level[3].tick_stride, 8, "tick: its up line says every 8 jiffies");
	}
	{	/* more time for a child still booting: the host waits as long */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg",
			"supernested: L1 child-start level=2 budget_s=120",
			"supernested: L2 up accel=kvm",
			"supernested: L2 child-start level=3 tick_stride=8 budget_s=1920",
			"supernested: L2 child-extend level=3 budget_s=2880.0 after_s=1920.0 work=412",
			"supernested: L2 child-extend level=3 budget_s=2000 after_s=2880.0 work=3",
			"supernested: L2 child-extend level=3 budget_s=9000000 after_s=2880.0 work=3",
			NULL,
		};
		struct budget_clock c;

		events_init(&m);
		feed(lines);
		ok(m.level[2].child_budget_s == 9000000, "extend: L3's budget is the newest, longest (%.0f)",
		   m.level[2].child_budget_s);
		is_int(m.level[1].tick_stride, 1, "tick: an up line without tick_stride: every jiffy");
		is_int(m.level[2].tick_stride, 1, "tick: a child-start without tick_stride: every jiffy");
		is_int(m.level[3].tick_stride, 8, "tick: tick_stride=8 asked for the child, not up yet");

		ok(m.budget_extended_s == BUDGET_CAP_S - 1920,
		   "extend: the run's limit grows by what the levels added, to the cap only (%.0f)",
		   m.budget_extended_s);
		ok(m.nnotes >= 1 && !strcmp(m.notes[0], "L2 gave L3 more time, 2880 s in all: still booting "
					    "and working after 1920 s"), "extend: a note says so (%s)", m.notes[0]);
		events_level1_clock(&m, 0, &c);
		ok(c.deeper_budget_s == 9000000, "extend: level 1's silence follows it");
		ok(m.rejected == 0, "extend: every child-extend passed the chain's rules");
	}
	{	/* level 1 came up, an OOM kill, later a panic: level 1 panicked
		 * (recorded sequences: recorded-panic-oom.txt's kill, then
		 * recorded-panic-vfs.txt's panic, as level 1's own console) */
		static const char *const head[] = {
			"[+1.4s] supernested: L1 up accel=tcg maxdepth=3",
			"[+1.5s] supernested: L1 child-start level=2 mem_mb=700",
			"[+4.0s] supernested: L2 up accel=kvm maxdepth=3",
			"[+4.0s] supernested: L1 child-up level=2 boot_s=2.4",
			NULL,
		};
		char path[512], buf[512];
		FILE *f;
		int found = 0;

		events_init(&m);
		for (int i = 0; head[i]; i++)
			events_line(&m, sealed(head[i]), -1);
		snprintf(path, sizeof(path), "%s/tests/data/logs/recorded-panic-oom.txt", SRCDIR);
		f = fopen(path, "r");
		for (int i = 0; f && fgets(buf, sizeof(buf), f) && i < 20; i++)
			if (i >= 4) {
				buf[strcspn(buf, "\n")] = '\0';
				events_line(&m, buf, 5 + i * 0.01);
			}
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "%s/tests/data/logs/recorded-panic-vfs.txt", SRCDIR);
		f = fopen(path, "r");
		while (f && fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			events_line(&m, buf, 9);
		}
		if (f)
			fclose(f);
		events_finish(&m);
		is_int(m.failed_level, 1, "L1 up, OOM kill, later a panic: level 1 failed");
		is_str(outcome_name(m.level[1].outcome), "panic", "... it panicked, not oom, not 'ok'");
		ok(strstr(m.level[1].detail, "Kernel panic - not syncing: VFS") != NULL,
		   "... the detail is the panic line (%s)", m.level[1].detail);
		for (int i = 0; i < m.level[1].nevidence; i++)
			found |= strstr(m.level[1].evidence[i], "Kernel panic - not syncing") != NULL;
		ok(found && m.level[1].nevidence <= 20, "... its evidence is the lines around the panic (%d)",
		   m.level[1].nevidence);
		ok(!strstr(m.level[1].detail, "log ends"), "... not 'log ends before level 1's summary'");
		is_int(m.deepest, 2, "... the depth it reached is kept");
	}
	{	/* the same kill, recovered: the chain goes on, nobody is blamed */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg maxdepth=2",
			"supernested: L1 child-start level=2 mem_mb=700",
			"[    0.616920] kworker/u2:1 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE)",
			"supernested: L2 up accel=kvm maxdepth=2",
			"supernested: L2 stop reason=max-depth",
			"supernested: L2 summary deepest=2 result=max-depth failed_level=2",
			NULL,
		};

		feed(lines);
		events_finish(&m);
		is_str(outcome_name(m.level[1].outcome), "none", "an OOM kill before more reports: level 1 not blamed");
		is_int(m.failed_level, 2, "... the log ends where level 2 stood");
	}
	{	/* level 1's summary lost: a deeper one stands for it, when a damaged line says so */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg maxdepth=2",
			"supernested: L1 child-start level=2 mem_mb=700",
			"supernested: L2 up accel=kvm maxdepth=2",
			"supernested: L1 child-up level=2 boot_s=1",
			"supernested: L2 stop reason=max-depth",
			"supernested: L2 summary deepest=2 result=max-depth failed_level=2",
			NULL,
		};

		feed(lines);
		events_line(&m, "supernested: L1 summary deepest=2 result=max-depth failed_level=2 crc=00000000", 9);
		events_finish(&m);
		is_int(m.summary_seen, 1, "L1's summary garbled: the run is finished");
		is_str(outcome_name(m.result), "max-depth", "... with level 2's result");
		is_int(m.damaged, 1, "... marked damaged");
		ok(m.nnotes > 0 && strstr(m.notes[m.nnotes - 1], "level 1's summary was lost"),
		   "... a note says which line (%s)", m.nnotes ? m.notes[m.nnotes - 1] : "");
		feed(lines);	/* the log merely ends there: nothing proves how level 1 ended */
		events_finish(&m);
		is_int(m.summary_seen, 0, "a log cut after level 2's summary is not finished");
	}
	{	/* what each level's machine exercised, from its up line */
		events_init(&m);
		events_line(&m, sealed("supernested: L1 up accel=tcg maxdepth=3 "
				       "exercised=machine:pc,pci:6,pmu:off,timer:lapic,tick:tickless"), 1);
		events_line(&m, sealed("supernested: L1 child-start level=2 budget_s=120"), 2);
		events_line(&m, sealed("supernested: L2 up accel=kvm maxdepth=3"), 3);
		is_int(m.level[1].exercised.known, 1, "level 1 said what it exercised");
		is_str(m.level[1].exercised.is.machine, "pc", "... its machine");
		is_int(m.level[1].exercised.is.pci, 6, "... its PCI devices");
		is_int(m.level[1].exercised.is.pmu, 0, "... no PMU");
		is_str(m.level[1].exercised.is.timer, "lapic", "... its timer");
		is_str(m.level[1].exercised.is.tick, "tickless", "... its tick");
		is_int(m.level[2].exercised.known, 0, "an up line without it: not known");
	}
	{	/* notes: ignored lines have their room, warnings theirs, the rest is counted */
		events_init(&m);
		events_line(&m, sealed("supernested: L1 up accel=tcg maxdepth=3"), 1);
		events_line(&m, sealed("supernested: L1 child-start level=2 budget_s=120"), 2);
		for (int i = 0; i < RUN_NOTES_MAX + 8; i++)
			events_line(&m, "supernested: L1 up garbage crc=00000000", 3);
		events_line(&m, sealed("supernested: L1 warning detail=\"THP is never\""), 4);
		events_line(&m, sealed("supernested: L1 warning detail=\"random pool waiting\""), 4);
		events_line(&m, sealed("supernested: L1 child-extend level=2 budget_s=180 after_s=120"), 5);
		events_finish(&m);
		{
			int thp = 0, crng = 0, extend = 0, more = 0;

			for (int i = 0; i < m.nnotes; i++) {
				thp |= strstr(m.notes[i], "THP is never") != NULL;
				crng |= strstr(m.notes[i], "random pool") != NULL;
				extend |= strstr(m.notes[i], "more time") != NULL;
				more |= !strcmp(m.notes[i], "8 more notes");
			}
			ok(thp && crng && extend, "after %d ignored lines, warnings and child-extend still noted",
			   RUN_NOTES_MAX + 8);
			ok(more, "the 8 ignored lines beyond the room are counted: '8 more notes'");
			is_int(m.nplain, RUN_NOTES_MAX, "ignored lines: RUN_NOTES_MAX kept");
		}
	}
	{	/* exit counts near 2^62 from a child: the starved hint neither overflows nor lies */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg maxdepth=2",
			"supernested: L1 child-start level=2 mem_mb=700",
			"supernested: L1 child-exits level=2 total=4611686018427387904 irq=4611686018427387903 "
			"io=4611686018427387904 mmio=4611686018427387904 npf=4611686018427387904",
			"supernested: L1 child-fail level=2 reason=timeout",
			"supernested: L1 summary deepest=1 result=timeout failed_level=2",
			NULL,
		};

		feed(lines);
		events_finish(&m);
		ok(strstr(m.level[2].hint, "4611686018427387903 of its 4611686018427387904 exits") &&
		   strstr(m.level[2].hint, "13835058055282163712 its own") && !negative(m.level[2].hint),
		   "2^62 counts: the hint says them as sent, own work summed without overflow (%s)",
		   m.level[2].hint);
	}
	{	/* a log restamped with one time for every line has no clock */
		static const char *const lines[] = {
			"[+0.000s] supernested: L1 up accel=tcg maxdepth=2",
			"[+0.000s] supernested: L1 child-start level=2 mem_mb=700",
			"[+0.000s] supernested: L2 up accel=kvm maxdepth=2",
			"[+0.000s] supernested: L1 child-up level=2 boot_s=22.8",
			NULL,
		};

		events_init(&m);
		for (int i = 0; lines[i]; i++)
			events_line(&m, sealed(lines[i]), -1);
		is_int(m.deepest, 2, "one stamp for all lines: no clock to refuse level 2 by");
		is_int(m.clock_moves, 0, "... the clock never moved");
	}
	{	/* parse --max-depth on a log whose up lines do not say */
		static const char *const lines[] = {
			"supernested: L1 up accel=tcg",
			"supernested: L1 child-start level=2",
			"supernested: L2 up accel=kvm",
			"supernested: L1 child-up level=2 boot_s=1",
			"supernested: L2 child-start level=3",
			"supernested: L3 up accel=kvm",
			"supernested: L2 child-up level=3 boot_s=1",
			"supernested: L3 child-start level=4",
			"supernested: L4 up accel=kvm",
			NULL,
		};

		events_init(&m);
		events_expect_maxdepth(&m, 3);
		for (int i = 0; lines[i]; i++)
			events_line(&m, sealed(lines[i]), i * 2);
		is_int(m.deepest, 3, "--max-depth 3, no maxdepth in the log: depth 3 kept");
		ok(m.rejected >= 1, "... level 4 beyond it refused");
		events_init(&m);	/* level 1's up without maxdepth, level 2's with */
		events_line(&m, sealed("supernested: L1 up accel=tcg"), 0);
		events_line(&m, sealed("supernested: L1 child-start level=2"), 1);
		events_line(&m, sealed("supernested: L2 up accel=kvm maxdepth=3"), 5);
		events_line(&m, sealed("supernested: L2 child-start level=3"), 6);
		events_line(&m, sealed("supernested: L3 up accel=kvm maxdepth=3"), 12);
		is_int(m.deepest, 3, "L1 up without maxdepth: the deeper levels are kept (%d)", m.deepest);
		is_int(m.chain.maxdepth, 3, "... maxdepth from level 2's up");
	}
	return tap_done();
}
