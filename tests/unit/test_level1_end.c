/* test_level1_end.c - level 1's end as the host saw it goes into
 * console.log as "[host] " lines and reads back to the same facts and the
 * same verdict; a guest line, stamped, never passes for one. */
#include "tap.h"
#include "level1_end.h"
#include "console_log.h"

#include <signal.h>
#include <sys/wait.h>

static struct run_model live, parsed;

/* a level 1 that came up and started level 2 */
static void feed_start(struct run_model *m)
{
	static const char *const lines[] = {
		"[+0.500s] [    0.400000] Kernel panic - not syncing: VFS: Unable to mount root fs",
	};

	events_init(m);
	events_expect_maxdepth(m, 2);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		events_line(m, lines[i], -1);
}

static void round_trip(const char *name, int status, enum level1_stop why, const char *detail,
		       const char *const *err, int nerr)
{
	static struct level1_end e, back;
	char line[sizeof(e.detail) + 200];

	level1_end_init(&e);
	level1_end_init(&back);
	feed_start(&live);
	feed_start(&parsed);
	for (int i = 0; i < nerr; i++) {
		level1_end_stderr_line(line, sizeof(line), err[i]);
		level1_end_add_stderr(&e, line + strlen(LEVEL1_END_PREFIX "qemu-stderr "));
		is_int(level1_end_read_line(&back, &parsed, line), 1, "%s: stderr line %d is a host line", name, i);
	}
	level1_end_evidence_line(line, sizeof(line), "level 1 monitor: RIP=ffffffff81000000");
	events_level1_evidence(&live, line + strlen(LEVEL1_END_PREFIX "evidence "));
	level1_end_read_line(&back, &parsed, line);
	e.status = status;
	e.why = why;
	snprintf(e.detail, sizeof(e.detail), "%s", detail);
	level1_end_end_line(line, sizeof(line), &e);
	is_int(level1_end_read_line(&back, &parsed, line), 1, "%s: the end line is a host line", name);
	ok(back.seen, "%s: the end read back", name);
	is_int(back.status, e.status, "%s: status", name);
	is_int(back.why, e.why, "%s: why", name);
	is_str(back.detail, e.detail, "%s: detail", name);
	is_str(back.err, e.err, "%s: stderr", name);
	level1_end_judge(&live, &e);
	level1_end_judge(&parsed, &back);
	events_finish(&live);
	events_finish(&parsed);
	is_int(parsed.result, live.result, "%s: same outcome (%s)", name, outcome_name(live.result));
	is_int(parsed.failed_level, live.failed_level, "%s: same failed level", name);
	is_str(parsed.level[parsed.failed_level].detail, live.level[live.failed_level].detail,
	       "%s: same detail", name);
	is_int(parsed.level[1].nevidence, live.level[1].nevidence, "%s: same evidence count", name);
}

int main(void)
{
	static const char *const kvm_err[] = {
		"KVM internal error. Suberror: 1",
		"emulation failure \x1b[31m with a control byte",
	};
	static struct level1_end e;
	static struct run_model m;

	round_trip("qemu exit 1", 1 << 8, L1_RAN_OUT, "", kvm_err, 2);
	round_trip("killed", SIGKILL, L1_RAN_OUT, "", NULL, 0);
	round_trip("run limit", SIGTERM, L1_RUN_LIMIT,
		   "run time limit of 10 s reached while this level ran", NULL, 0);
	round_trip("budget", SIGTERM, L1_BUDGET,
		   "nothing from level 1 for 900 s, more than the budgets of the levels below allow (host clock)",
		   kvm_err, 1);
	round_trip("interrupted", SIGTERM, L1_STOP_SIGNAL, "run interrupted (Interrupt) while this level ran",
		   NULL, 0);

	/* a guest's line is stamped in console.log: never a host line */
	events_init(&m);
	level1_end_init(&e);
	is_int(level1_end_read_line(&e, &m, "[+1.000s] [host] end status=0 why=ran-out "), 0,
	       "a stamped guest line that looks like a host line is not one");
	ok(!e.seen, "and ends nothing");
	is_int(level1_end_read_line(&e, &m, "[host] end status=x why=nonsense"), 1,
	       "a malformed end line is still ours (not the guest's)");
	ok(!e.seen, "but says nothing");
	return tap_done();
}
