/* test_child.c - child_run() against a stand-in qemu, no VM: what a
 * level 1 launcher says on its console (the real output path of
 * launcher/console.c, into a file) and what child_run returns for a child
 * that comes up and sums up, one that panics, one that stays silent past
 * its budget, one that forges reports, and qemus that fail on stderr.
 *
 * The stand-in is this binary run again as "test_child fake-qemu MODE DIR":
 * it speaks as a child level would, kernel text on fd 1 (its serial), report
 * lines on fd 3 (the report port) and qemu's own words on fd 2, with report
 * lines built by results/report.c, and writes its pid to DIR/pid. */
#include "tap.h"
#include "child.h"
#include "console.h"
#include "monitor.h"
#include "report.h"
#include "settings.h"
#include "smp_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the stand-in qemu ---- */

/* One write per line (a line's end is never left for later). */
static void put(int fd, const char *line)
{
	char buf[REPORT_LINE_MAX + 2];
	int n = snprintf(buf, sizeof(buf), "%s\n", line);

	if (n < 0 || (size_t)n >= sizeof(buf) || write(fd, buf, (size_t)n) != n)
		_exit(99);
}

/* Add @ap's key, value pairs (NULL terminated) to @r and format it. */
static void fields_and_format(struct report *r, char *line, size_t len, va_list ap)
{
	const char *k;

	while ((k = va_arg(ap, const char *)))
		report_add(r, k, va_arg(ap, const char *));
	if (report_format(r, line, len) < 0)
		_exit(98);
}

/* A report line: @fields are key, value pairs, NULL terminated. */
static void build(char *line, size_t len, int level, const char *event, ...)
{
	struct report r;
	va_list ap;

	report_init(&r, level, event);
	va_start(ap, event);
	fields_and_format(&r, line, len, ap);
	va_end(ap);
}

/* A report line of node @name ("1.2"): @fields as for build. */
static void build_node(char *line, size_t len, const char *name, const char *event, ...)
{
	struct report r;
	struct node n;
	va_list ap;

	if (node_parse(name, &n) < 0)
		_exit(95);
	report_init_node(&r, &n, event);
	va_start(ap, event);
	fields_and_format(&r, line, len, ap);
	va_end(ap);
}

#define SAYN(name, event, ...) do { \
	char l_[REPORT_LINE_MAX]; \
	build_node(l_, sizeof(l_), name, event, ##__VA_ARGS__, NULL); \
	put(3, l_); \
} while (0)

#define SAY(level, event, ...) do { \
	char l_[REPORT_LINE_MAX]; \
	build(l_, sizeof(l_), level, event, ##__VA_ARGS__, NULL); \
	put(3, l_); \
} while (0)

static void nap_ms(int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* The forged lines of mode "forged", shared with the checks. */
static void forged_lines(char lines[4][REPORT_LINE_MAX])
{
	char *crc;

	/* L2's up with a checksum one digit off */
	build(lines[0], REPORT_LINE_MAX, 2, "up", "maxdepth", "3", NULL);
	crc = strstr(lines[0], " crc=") + 5;
	*crc = *crc == '0' ? '1' : '0';
	/* well formed, but from the parent's own level */
	build(lines[1], REPORT_LINE_MAX, 1, "up", "maxdepth", "3", NULL);
	/* well formed, deeper than the chain's maxdepth */
	build(lines[2], REPORT_LINE_MAX, 4, "up", NULL);
	/* a summary claiming more than was ever seen up */
	build(lines[3], REPORT_LINE_MAX, 2, "summary", "deepest", "5", "failed_level", "2",
	      "result", "no-virt", NULL);
}

static int fake_qemu(const char *mode, const char *dir)
{
	char path[PATH_MAX], pid[32];
	int fd;

	snprintf(path, sizeof(path), "%s/pid", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return 97;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	put(fd, pid);
	close(fd);

	if (!strcmp(mode, "up")) {
		put(1, "Linux version 6.1.0 (fake) #1 SMP");
		nap_ms(100);	/* a boot that takes some time */
		SAY(2, "up", "maxdepth", "3", "mem_mb", "1024");
		SAY(2, "child-start", "level", "3", "mem_mb", "512", "budget_s", "120.0");
		SAY(3, "up", "maxdepth", "3", "mem_mb", "512");
		SAY(2, "child-up", "level", "3", "boot_s", "0.500");
		SAY(3, "stop", "reason", "max-depth");
		SAY(3, "summary", "deepest", "3", "failed_level", "3", "result", "max-depth");
		SAY(2, "summary", "deepest", "3", "failed_level", "3", "result", "max-depth");
		return 0;
	}
	if (!strcmp(mode, "panic")) {
		char line[80];

		for (int i = 0; i < 15; i++) {
			snprintf(line, sizeof(line), "[    0.%06d] kernel chatter %d", i * 1000, i);
			put(1, line);
		}
		put(1, "[    1.000000] Kernel panic - not syncing: VFS: Unable to mount root fs");
		put(1, "[    1.000100] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1");
		return 0;
	}
	if (!strcmp(mode, "silent") || !strcmp(mode, "kvm-error")) {
		if (!strcmp(mode, "kvm-error")) {
			put(1, "Linux version 6.1.0 (fake) #1 SMP");
			/* qemu pauses the VM and stays: the parent must not wait.
			 * Its two lines in one write: the parent stops it on the
			 * first, and would be free to miss a second written later. */
			put(2, "KVM internal error. Suberror: 1\nemulation failure");
		}
		for (;;)
			pause();
	}
	if (!strcmp(mode, "forged")) {
		char lines[4][REPORT_LINE_MAX];

		forged_lines(lines);
		for (int i = 0; i < 4; i++)
			put(3, lines[i]);
		return 0;
	}
	/* siblings at depth 2 of a width-2 tree: node 2 ends at max depth,
	 * node 1.2 panics once up */
	if (!strcmp(mode, "sib-leaf")) {
		nap_ms(150);
		SAYN("2", "up", "maxdepth", "2", "width", "2", "mem_mb", "512");
		SAYN("2", "stop", "reason", "max-depth");
		SAYN("2", "summary", "deepest", "2", "result", "max-depth", "failed_level", "2");
		return 0;
	}
	if (!strcmp(mode, "sib-panic")) {
		nap_ms(50);
		SAYN("1.2", "up", "maxdepth", "2", "width", "2", "mem_mb", "512");
		SAYN("2", "up", "maxdepth", "2", "width", "2");	/* its brother's name: forged */
		put(1, "[    1.000000] Kernel panic - not syncing: sysrq triggered crash");
		return 0;
	}
	/* node 2 of a width-2 tree to depth 3: its children 3 and 1.1.2 up to
	 * max depth, then its summary of each branch; "tree-partial" exits 0
	 * after the first of its two */
	if (!strcmp(mode, "tree-whole") || !strcmp(mode, "tree-partial")) {
		static const char *const leaf[2] = { "3", "1.1.2" };

		nap_ms(50);
		SAYN("2", "up", "maxdepth", "3", "width", "2", "mem_mb", "1024");
		for (int i = 0; i < 2; i++)
			SAYN("2", "child-start", "level", leaf[i], "mem_mb", "256", "budget_s", "120.0");
		for (int i = 0; i < 2; i++) {
			SAYN(leaf[i], "up", "maxdepth", "3", "width", "2", "mem_mb", "256");
			SAYN("2", "child-up", "level", leaf[i], "boot_s", "0.500");
			SAYN(leaf[i], "stop", "reason", "max-depth");
			SAYN(leaf[i], "summary", "deepest", "3", "failed_level", leaf[i], "result", "max-depth");
		}
		for (int i = 0; i < (strcmp(mode, "tree-whole") ? 1 : 2); i++)
			SAYN("2", "summary", "path", leaf[i], "branches", "2", "deepest", "3", "failed_level",
			     leaf[i], "result", "max-depth");
		return 0;
	}
	/* leaf 1.1.2 stops before it is up, its summary counting itself */
	if (!strcmp(mode, "leaf-stop-early")) {
		nap_ms(50);
		SAYN("1.1.2", "stop", "reason", "internal-error", "detail", "boot disk not found");
		SAYN("1.1.2", "summary", "deepest", "3", "failed_level", "1.1.2", "result", "internal-error");
		return 0;
	}
	if (!strcmp(mode, "no-kvm-dev")) {
		put(2, "Could not access KVM kernel module: No such file or directory");
		put(2, "qemu-system-x86_64: failed to initialize kvm: No such file or directory");
		return 1;
	}
	if (!strcmp(mode, "kvm-init")) {
		put(2, "qemu-system-x86_64: failed to initialize kvm: Invalid argument");
		return 1;
	}
	return 96;
}

/* ---- the launcher's side ---- */

static char exe[PATH_MAX], dir[PATH_MAX], out_path[PATH_MAX + 16];
static int out_fd = -1;
static off_t out_off;

/* What the launcher wrote on its console during one child_run. */
#define OUT_LINES 256
static char out_text[256 * 1024];
static char *out[OUT_LINES];
static int nout;

static int tapped;

static void count_tap(const char *line)
{
	(void)line;
	tapped++;
}

static void read_output(void)
{
	ssize_t n = pread(out_fd, out_text, sizeof(out_text) - 1, out_off);
	char *p, *nl;

	nout = 0;
	if (n < 0)
		n = 0;
	out_text[n] = '\0';
	out_off += n;
	for (p = out_text; *p && nout < OUT_LINES; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;	/* a line without its newline: none expected */
		*nl = '\0';
		out[nout++] = p;
	}
}

static int has_line(const char *line)
{
	for (int i = 0; i < nout; i++)
		if (!strcmp(out[i], line))
			return 1;
	return 0;
}

/* The @nth (0: first) output line that parses as @level @event and, when
 * @key, has @key=@value (@value NULL: any); *@r filled.  Returns its index or -1. */
static int find_nth(int nth, int level, const char *event, const char *key, const char *value,
		    struct report *r)
{
	for (int i = 0; i < nout; i++) {
		size_t off = 0;

		if (report_parse(out[i], r, &off) != 0 || off != 0 || r->level != level ||
		    strcmp(r->event, event))
			continue;
		if (key && (!report_get(r, key) || (value && strcmp(report_get(r, key), value))))
			continue;
		if (nth-- == 0)
			return i;
	}
	return -1;
}

static int find(int level, const char *event, const char *key, const char *value,
		struct report *r)
{
	return find_nth(0, level, event, key, value, r);
}

static int count(int level, const char *event)
{
	struct report r;
	int n = 0;

	while (find_nth(n, level, event, NULL, NULL, &r) >= 0)
		n++;
	return n;
}

/* Every output line is a whole report of this level (1) or a wrapped or
 * relayed line of a level below: nothing raw from the child. */
static int all_reports(void)
{
	for (int i = 0; i < nout; i++) {
		struct report r;
		size_t off = 0;

		if (report_parse(out[i], &r, &off) != 0 || off != 0)
			return 0;
	}
	return 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t fake_pid(void)
{
	char path[PATH_MAX + 8], *text;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/pid", dir);
	text = tap_slurp(path);
	pid = text ? (pid_t)atoi(text) : 0;
	free(text);
	unlink(path);
	return pid;
}

/* The fake's process is gone (reaped by child_run: not even a zombie). */
static int gone(pid_t pid)
{
	return pid > 0 && kill(pid, 0) < 0 && errno == ESRCH;
}

static const struct settings *S;
static struct vcpu_pins pins;

/* @stop_by_s: the run's limit (budget.stop_by_s), 0: none */
static double run_until(const char *mode, double budget_s, double stop_by_s,
			struct child_result *res)
{
	char *argv[] = { exe, "fake-qemu", (char *)mode, dir, NULL };
	struct budget b = {
		.up_within_s = budget_s, .up_limit_s = budget_s, .explicit_s = budget_s,
		.stop_by_s = stop_by_s, .levels_below = 1, .child_level = 2,
	};
	char pidfile[PATH_MAX];
	double t = now_s();

	/* no pid left by an earlier case: a fake killed before it wrote its
	 * own must not pass for killed by an old, reaped pid */
	if (snprintf(pidfile, sizeof(pidfile), "%s/pid", dir) < (int)sizeof(pidfile))
		unlink(pidfile);
	child_run(S, argv, &pins, &b, res);
	t = now_s() - t;
	read_output();
	return t;
}

static double run(const char *mode, double budget_s, struct child_result *res)
{
	return run_until(mode, budget_s, 0, res);
}

/* After a case: when one of its checks failed, what the console said. */
static void show_output_if(int failed_before)
{
	if (tap_failed == failed_before)
		return;
	for (int i = 0; i < nout; i++)
		printf("#   console: %s\n", out[i]);
}

static void test_up(void)
{
	struct child_result res;
	struct report r;
	double t = run("up", 30, &res);
	int relayed = 1;
	char line[REPORT_LINE_MAX];

	printf("# a child that comes up, goes one level deeper and sums up (%.2f s)\n", t);
	ok(res.came_up, "came_up");
	ok(res.boot_s >= 0.09 && res.boot_s < t, "boot_s %.3f: the child's 100 ms before up",
	   res.boot_s);
	ok(res.summary_seen, "summary_seen");
	is_int(res.deepest, 3, "deepest level seen up");
	is_str(outcome_name(res.result), "max-depth", "result from the child's summary");
	is_int(res.failed_level, 3, "failed_level from the child's summary");
	is_int(res.verdict.outcome, OUTCOME_NONE, "no verdict: it ended as it meant to");

	build(line, sizeof(line), 2, "up", "maxdepth", "3", "mem_mb", "1024", NULL);
	relayed &= has_line(line);
	build(line, sizeof(line), 2, "child-start", "level", "3", "mem_mb", "512", "budget_s",
	      "120.0", NULL);
	relayed &= has_line(line);
	build(line, sizeof(line), 3, "up", "maxdepth", "3", "mem_mb", "512", NULL);
	relayed &= has_line(line);
	build(line, sizeof(line), 3, "summary", "deepest", "3", "failed_level", "3", "result",
	      "max-depth", NULL);
	relayed &= has_line(line);
	build(line, sizeof(line), 2, "summary", "deepest", "3", "failed_level", "3", "result",
	      "max-depth", NULL);
	relayed &= has_line(line);
	ok(relayed, "L2's and L3's reports relayed verbatim");
	ok(find(1, "child-up", "level", "2", &r) >= 0, "L1 child-up level=2");
	snprintf(line, sizeof(line), "%.3f", res.boot_s);
	is_str(report_get(&r, "boot_s"), line, "its boot_s is what child_run returned");
	ok(find(2, "console", "text", "Linux version 6.1.0 (fake) #1 SMP", &r) >= 0 &&
	   !report_get(&r, "garbled"), "kernel text wrapped as L2 console");
	ok(find(1, "child-exits", "level", "2", &r) >= 0, "L2's boot exits reported (no KVM stats here: zeros)");
	is_int(count(1, "child-fail") + count(1, "evidence"), 0, "no child-fail, no evidence");
	ok(all_reports(), "every output line a whole report (%d lines)", nout);
	is_int(tapped, nout, "the console tap saw each line written");
}

/* The run's limit (supernested.deadline) comes long before the child's
 * budget: stopped then, as run-limit, with its exits and its evidence. */
static void test_run_limit(void)
{
	struct child_result res;
	struct report r;
	double t = run_until("silent", 30, 0.5, &res);
	pid_t pid = fake_pid();

	printf("# a silent child, a 30 s budget, the run's limit in 0.5 s (%.2f s)\n", t);
	is_str(outcome_name(res.result), "run-limit", "result run-limit, not timeout");
	ok(!strncmp(res.verdict.evidence, "the run's time limit: stopped ", 30) &&
	   strstr(res.verdict.evidence, " s after its start, before it came up"),
	   "evidence says so: %s", res.verdict.evidence);
	ok(t >= 0.5 && t < 0.5 + MONITOR_WAIT_MS / 1000.0 + 2, "stopped at the limit, not at the budget (%.2f s)", t);
	ok(gone(pid), "its qemu (pid %d) killed and reaped", (int)pid);
	ok(find(1, "child-fail", "reason", "run-limit", &r) >= 0, "L1 child-fail reason=run-limit");
	ok(find(1, "child-exits", "level", "2", &r) >= 0, "its boot's exits reported");
	is_int(count(1, "child-extend"), 0, "no extension past the run's limit");
}

static void test_panic(void)
{
	struct child_result res;
	struct report r;
	double t = run("panic", 30, &res);
	const char *text;
	int panic_at, cpu_at;

	printf("# a child whose kernel panics, and its qemu exits (%.2f s)\n", t);
	ok(!res.came_up && !res.summary_seen, "never up, no summary");
	is_str(outcome_name(res.result), "panic", "result panic");
	is_str(outcome_name(res.verdict.outcome), "panic", "verdict panic");
	is_str(res.verdict.evidence, "[    1.000000] Kernel panic - not syncing: VFS: Unable to mount root fs",
	       "the panic line is the evidence");
	is_int(res.failed_level, 2, "failed at level 2");
	ok(find(1, "child-fail", "level", "2", &r) >= 0, "L1 child-fail level=2");
	is_str(report_get(&r, "reason"), "panic", "its reason");
	is_str(report_get(&r, "detail"), res.verdict.evidence, "its detail");
	is_int(count(1, "evidence"), 10, "settings.evidence (10) evidence lines");
	panic_at = find(1, "evidence", "text",
			"[    1.000000] Kernel panic - not syncing: VFS: Unable to mount root fs", &r);
	cpu_at = find(1, "evidence", "text",
		      "[    1.000100] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1", &r);
	ok(panic_at >= 0 && cpu_at > panic_at, "the panic and its next line, oldest first");
	ok(find(1, "evidence", "text", "[    0.000000] kernel chatter 0", &r) < 0,
	   "the oldest lines beyond the 10 left out");
	text = find_nth(9, 1, "evidence", NULL, NULL, &r) >= 0 ? report_get(&r, "text") : NULL;
	ok(text && !strncmp(text, "qemu exited with status 0", 25),
	   "the last evidence says how qemu ended: %s", text);
	is_int(count(2, "console"), 17, "every kernel line relayed wrapped as L2 console");
	ok(all_reports(), "every output line a whole report");
}

static void test_silent(void)
{
	struct child_result res;
	struct report r;
	int monitor_missing = access(MONITOR_SOCKET, F_OK) < 0;
	double t = run("silent", 0.5, &res);
	pid_t pid = fake_pid();

	printf("# a child that says nothing, with a 0.5 s budget (%.2f s)\n", t);
	is_str(outcome_name(res.result), "timeout", "result timeout");
	is_str(res.verdict.evidence, "child never reported up", "verdict evidence");
	ok(!res.came_up && !res.summary_seen, "never up, no summary");
	/* the budget, the monitor's bounded wait, the stop (SIGTERM obeyed) */
	ok(t >= 0.5 && t < 0.5 + MONITOR_WAIT_MS / 1000.0 + 2, "stopped within its bound (%.2f s)", t);
	ok(gone(pid), "its qemu (pid %d) killed and reaped", (int)pid);
	ok(find(1, "child-fail", "reason", "timeout", &r) >= 0, "L1 child-fail reason=timeout");
	is_str(report_get(&r, "level"), "2", "about level 2");
	if (monitor_missing) {
		const char *text = find(1, "evidence", NULL, NULL, &r) >= 0 ? report_get(&r, "text") : NULL;

		ok(text && !strncmp(text, "monitor: no answer", 18),
		   "evidence: the monitor did not answer (%s)", text);
		is_int(count(1, "evidence"), 1, "and nothing else to show");
	} else {
		tap_skip("a socket at " MONITOR_SOCKET " on this machine: not ours to ask");
		tap_skip("a socket at " MONITOR_SOCKET " on this machine");
	}
	ok(find(1, "child-exits", "level", "2", &r) >= 0, "the failed boot's exits reported");
	is_int(count(2, "console"), 0, "nothing relayed from the child");
	ok(all_reports(), "every output line a whole report");
}

static void test_forged(void)
{
	static const char *const why[4] = {
		"1", "report from level 1, outside the chain", "report from level 4, outside the chain",
		"L2 summary claims depth 5, deepest seen up is 2",
	};
	char lines[4][REPORT_LINE_MAX];
	struct child_result res;
	struct report r;
	double t = run("forged", 30, &res);

	printf("# a child that forges reports (%.2f s)\n", t);
	forged_lines(lines);
	for (int i = 0; i < 4; i++) {
		ok(!has_line(lines[i]), "forged line %d not relayed verbatim", i + 1);
		ok(find(2, "console", "text", lines[i], &r) >= 0, "forged line %d wrapped as L2 console", i + 1);
		is_str(report_get(&r, "garbled"), why[i], "forged line %d: why", i + 1);
	}
	is_int(count(1, "up") + count(2, "up") + count(4, "up") + count(2, "summary"), 0,
	       "no up, no summary passes as one");
	ok(!res.came_up && !res.summary_seen, "child_run believed none of them");
	is_int(res.deepest, 0, "no level seen up");
	is_str(outcome_name(res.result), "qemu-exit", "result: qemu-exit (it just powered off)");
	is_str(res.verdict.evidence, "child powered off before reporting up", "verdict evidence");
	ok(find(1, "child-fail", "reason", "qemu-exit", &r) >= 0, "L1 child-fail reason=qemu-exit");
	/* a refused report is no evidence: only how qemu ended */
	is_int(count(1, "evidence"), 1, "one evidence line");
	ok(find(1, "evidence", NULL, NULL, &r) >= 0 && report_get(&r, "text") &&
	   !strncmp(report_get(&r, "text"), "qemu exited with status 0", 25), "it says how qemu ended");
	ok(all_reports(), "every output line a whole report");
}

static void test_kvm_error(void)
{
	struct child_result res;
	struct report r;
	double t = run("kvm-error", 30, &res);
	pid_t pid = fake_pid();

	printf("# a qemu that says KVM internal error and stays (%.2f s)\n", t);
	is_str(outcome_name(res.result), "kvm-error", "result kvm-error");
	is_str(res.verdict.evidence, "KVM internal error. Suberror: 1", "the fatal line is the evidence");
	ok(t < 3, "stopped at once, not at the end of its 30 s budget (%.2f s)", t);
	ok(gone(pid), "its qemu (pid %d) killed and reaped", (int)pid);
	ok(find(2, "qemu", "text", "KVM internal error. Suberror: 1", &r) >= 0 &&
	   find(2, "qemu", "text", "emulation failure", &r) >= 0, "qemu's stderr relayed wrapped as L2 qemu");
	ok(find(1, "child-fail", "reason", "kvm-error", &r) >= 0, "L1 child-fail reason=kvm-error");
	is_str(report_get(&r, "detail"), "KVM internal error. Suberror: 1", "its detail");
	ok(find(1, "evidence", "text", "KVM internal error. Suberror: 1", &r) >= 0,
	   "stderr lines are evidence");
	ok(all_reports(), "every output line a whole report");
}

static void test_stderr_exit(const char *mode, const char *outcome, const char *evidence)
{
	struct child_result res;
	struct report r;
	double t = run(mode, 30, &res);

	printf("# a qemu that fails on stderr and exits 1: %s (%.2f s)\n", mode, t);
	is_str(outcome_name(res.result), outcome, "result %s", outcome);
	is_str(res.verdict.evidence, evidence, "verdict evidence");
	ok(find(1, "child-fail", "reason", outcome, &r) >= 0, "L1 child-fail reason=%s", outcome);
	ok(find(2, "qemu", "text", evidence, &r) >= 0, "the line relayed wrapped as L2 qemu");
	ok(find_nth(count(1, "evidence") - 1, 1, "evidence", NULL, NULL, &r) >= 0 &&
	   report_get(&r, "text") && !strncmp(report_get(&r, "text"), "qemu exited with status 1", 25),
	   "the last evidence says how qemu ended");
}

static void test_missing(void)
{
	char *argv[] = { "/nonexistent/qemu-system-x86_64", NULL };
	struct budget b = { .up_within_s = 30, .up_limit_s = 30, .explicit_s = 30,
			    .levels_below = 1, .child_level = 2 };
	struct child_result res;
	struct report r;

	child_run(S, argv, &pins, &b, &res);
	read_output();
	printf("# a qemu that is not there\n");
	is_str(outcome_name(res.result), "qemu-start", "result qemu-start");
	ok(strstr(res.verdict.evidence, "cannot execute /nonexistent/qemu-system-x86_64") != NULL,
	   "evidence: %s", res.verdict.evidence);
	ok(find(1, "child-fail", "reason", "qemu-start", &r) >= 0, "L1 child-fail reason=qemu-start");
}

/* Two children at once (width 2): one loop, each judged on its own, each
 * speaking under its own name, and a brother's name refused. */
static void test_siblings(void)
{
	char *argv1[] = { exe, "fake-qemu", "sib-leaf", dir, NULL };
	char *argv2[] = { exe, "fake-qemu", "sib-panic", dir, NULL };
	struct budget b = { .up_within_s = 30, .up_limit_s = 30, .explicit_s = 30,
			    .levels_below = 0, .child_level = 2 };
	struct settings s2 = *S;
	struct child_spec c[2] = {
		{ .argv = argv1, .pins = &pins, .budget = &b, .monitor = MONITOR_SOCKET },
		{ .argv = argv2, .pins = &pins, .budget = &b, .monitor = MONITOR_SOCKET },
	};
	struct child_result res[2];
	char line[REPORT_LINE_MAX];
	struct report r;
	double t = now_s();

	s2.width = 2;
	s2.maxdepth = 2;
	settings_settle_node(&s2);
	node_parse("2", &c[0].node);
	node_parse("1.2", &c[1].node);
	children_run(&s2, c, 2, res);
	t = now_s() - t;
	read_output();
	printf("# two children at once: node 2 to max depth, node 1.2 panics (%.2f s)\n", t);
	ok(res[0].came_up && res[0].summary_seen, "node 2: up, and its summary");
	is_int(res[0].nbranches, 1, "node 2: one branch");
	ok(res[0].branch[0].path.level == 2 && node_is_first(&res[0].branch[0].path),
	   "... ending at node 2 itself");
	is_str(outcome_name(res[0].branch[0].result), "max-depth", "... at max depth");
	ok(res[1].came_up && !res[1].summary_seen, "node 1.2: up, no summary");
	is_str(outcome_name(res[1].result), "panic", "node 1.2: a kernel panic");
	is_int(res[1].nbranches, 0, "node 1.2: its branch ends at it");
	build_node(line, sizeof(line), "1.2", "up", "maxdepth", "2", "width", "2", "mem_mb", "512", NULL);
	ok(has_line(line), "L1.2's up relayed verbatim");
	ok(find(1, "child-up", "level", "1.2", &r) >= 0 && find(1, "child-up", "level", "2", &r) >= 0,
	   "L1 child-up for level=2 and level=1.2");
	ok(find(1, "child-fail", "level", "1.2", &r) >= 0 &&
	   !strcmp(report_get(&r, "reason"), "panic"), "L1 child-fail level=1.2 reason=panic");
	ok(find(1, "child-fail", "level", "2", &r) < 0, "no child-fail for node 2");
	ok(find(2, "console", "garbled", NULL, &r) >= 0, "node 1.2 speaking as node 2: refused, wrapped");
	ok(t < 10, "both watched at once (%.2f s)", t);
}

/* Level @level of a width-2 tree to depth 3 runs its one child @node, a
 * fake qemu in @mode, to its end; what it kept in @res. */
static void run_tree_child(const char *mode, int level, const char *node, struct child_result *res)
{
	char *argv[] = { exe, "fake-qemu", (char *)mode, dir, NULL };
	struct budget b = { .up_within_s = 30, .up_limit_s = 30, .explicit_s = 30,
			    .levels_below = 3 - (level + 1), .child_level = level + 1 };
	struct settings s2 = *S;
	struct child_spec c = { .argv = argv, .pins = &pins, .budget = &b, .monitor = MONITOR_SOCKET };

	s2.level = level;
	s2.width = 2;
	s2.maxdepth = 3;
	settings_settle_node(&s2);
	node_parse(node, &c.node);
	children_run(&s2, &c, 1, res);
	read_output();
}

/* A tree child's summaries, one per branch, each saying how many: its end
 * is clean once all have come, and a failure when it ends before. */
static void test_tree_summaries(const char *mode, int whole)
{
	struct child_result res;
	struct report r;

	run_tree_child(mode, 1, "2", &res);
	printf("# node 2 of a tree sends %s of its 2 branch summaries\n", whole ? "both" : "one");
	is_int(res.nbranches, whole ? 2 : 0, "%s: %d branches kept", mode, whole ? 2 : 0);
	is_int((int)res.nbranches_said, 2, "%s: its summaries say 2", mode);
	ok(whole ? res.summary_seen && find(1, "child-fail", NULL, NULL, &r) < 0
		 : !res.summary_seen && find(1, "child-fail", "level", "2", &r) >= 0,
	   whole ? "%s: a clean end, no child-fail" : "%s: not a clean end: L1 child-fail level=2", mode);
	if (!whole)
		is_str(outcome_name(res.result), "qemu-exit", "%s: its qemu exited before its last word",
		       mode);
}

/* A child of a tree that stopped before it was up says deepest = its own
 * level (allowed to it); the branch this level reports up is capped at
 * what it saw up there, or its own parent's chain would refuse it. */
static void test_branch_capped(void)
{
	struct child_result res;

	run_tree_child("leaf-stop-early", 2, "1.1.2", &res);
	printf("# leaf 1.1.2 stops before up, its summary saying deepest=3\n");
	ok(!res.came_up && res.summary_seen, "never up, its summary taken");
	is_int(res.nbranches, 1, "one branch");
	is_int(res.branch[0].deepest, 2, "its branch's deepest: level 2, this one, not the 3 it claimed");
	is_str(outcome_name(res.branch[0].result), "internal-error", "... ending in its internal error");
}

int main(int argc, char **argv)
{
	struct settings s;
	ssize_t n;

	if (argc == 4 && !strcmp(argv[1], "fake-qemu"))
		return fake_qemu(argv[2], argv[3]);

	alarm(60);	/* whatever child_run does, this test ends */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		printf("Bail out! cannot find this program: %s\n", strerror(errno));
		return 1;
	}
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s/test_child.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}

	/* level 1's console: a file, written as any report console is
	 * (console_open names a device under /dev: /dev/fd/N is this file) */
	snprintf(out_path, sizeof(out_path), "%s/console", dir);
	out_fd = open(out_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	settings_defaults(&s);
	s.level = 1;
	s.maxdepth = 3;
	s.evidence = 10;
	snprintf(s.report_console, sizeof(s.report_console), "fd/%d", out_fd);
	n = out_fd >= 0 ? console_open(&s, 0) : -1;
	ok(n == 1 && !strcmp(console_name(), s.report_console), "the console writes to a file (%s)",
	   console_name());
	if (n != 1)
		return tap_done();
	console_set_tap(count_tap);
	S = &s;
	vcpu_pins_init(&pins, 1, 1);	/* one CPU: nothing to pin */

#define CASE(call) do { int f_ = tap_failed; call; show_output_if(f_); } while (0)
	CASE(test_up());
	CASE(test_tree_summaries("tree-whole", 1));
	CASE(test_tree_summaries("tree-partial", 0));
	CASE(test_branch_capped());
	CASE(test_panic());
	CASE(test_silent());
	CASE(test_run_limit());
	CASE(test_forged());
	CASE(test_kvm_error());
	CASE(test_stderr_exit("no-kvm-dev", "no-kvm-dev",
			      "Could not access KVM kernel module: No such file or directory"));
	CASE(test_stderr_exit("kvm-init", "kvm-error",
			      "qemu-system-x86_64: failed to initialize kvm: Invalid argument"));
	CASE(test_missing());
	CASE(test_siblings());

	console_set_tap(NULL);
	close(out_fd);
	unlink(out_path);
	fake_pid();	/* a pid file left by a failed case */
	rmdir(dir);
	return tap_done();
}
