/* test_phases.c - boot phases from the recorded console.log of a real run
 * (tests/data/logs/run-depth2-max-depth.log) through the run model, and
 * from hand-made level records. */
#include "tap.h"
#include "events.h"
#include "phases.h"

#include <math.h>

static struct run_model m;

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

int main(void)
{
	char path[512], line[4096];
	struct level_phases ph;
	struct level_record l;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/logs/run-depth2-max-depth.log", SRCDIR);
	f = fopen(path, "r");
	ok(f != NULL, "recorded log opens");
	if (!f)
		return tap_done();
	events_init(&m);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';	/* the log has no line near 4096 bytes */
		events_line(&m, line, -1);
	}
	fclose(f);
	events_finish(&m);

	ok(near(m.level[1].launcher_s, 2.176) && near(m.level[2].launcher_s, 6.443),
	   "launcher_s read from both up lines");
	ok(near(m.level[1].first_console_at_s, 17.899), "L1's first own kernel line at 17.899 s");
	ok(near(m.level[2].first_console_at_s, 28.698), "L2's first console event at 28.698 s");

	phases_compute(&m.level[2], 2, &ph);
	ok(near(ph.start_at_s, 5.739), "L2 qemu start: L1's child-start at 5.739 s");
	ok(near(ph.kernel_at_s, 28.554 - 15.449), "L2 kernel start: up at 28.554 - uptime 15.449");
	is_str(ph.kernel_from, "uptime", "kernel start from the level's uptime");
	ok(near(ph.launcher_at_s, 28.554 - 6.443), "L2 launcher start: up - launcher_s");
	ok(near(ph.qemu_s + ph.kernel_s + ph.launcher_s, 28.554 - 5.739),
	   "L2 phases add up to child-start -> up");
	ok(near(ph.launcher_s, 6.443), "L2 launcher phase = launcher_s");

	phases_compute(&m.level[1], 1, &ph);
	ok(near(ph.start_at_s, 0) && near(ph.kernel_at_s, 5.574 - 4.934),
	   "L1 starts at 0 (the host starts qemu), kernel at up - uptime");

	/* no uptime: the first console line before up stands in */
	memset(&l, 0, sizeof(l));
	l.up = 1;
	l.up_at_s = 20;
	l.uptime_s = -1;
	l.started_at_s = 5;
	l.first_console_at_s = 9;
	l.launcher_s = 2;
	phases_compute(&l, 3, &ph);
	ok(near(ph.kernel_at_s, 9) && !strcmp(ph.kernel_from, "console"),
	   "without uptime_s the first console line is the kernel start");
	ok(near(ph.qemu_s, 4) && near(ph.kernel_s, 9) && near(ph.launcher_s, 2), "phases 4 + 9 + 2");
	l.first_console_at_s = 25;	/* after up: says nothing about the boot */
	phases_compute(&l, 3, &ph);
	ok(ph.kernel_at_s < 0 && ph.qemu_s < 0 && near(ph.launcher_s, 2),
	   "a console line after up is not a kernel start");
	l.up = 0;
	phases_compute(&l, 3, &ph);
	ok(!ph.known && ph.up_at_s < 0, "a level never up has no phases");
	return tap_done();
}
