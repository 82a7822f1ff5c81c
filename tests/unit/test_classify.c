/* test_classify.c - failure classification on recorded console, qemu stderr and dmesg text. */
#include "tap.h"
#include "classify.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS SRCDIR "/tests/data/logs/"
#define MAX_LINES 512

/* A recorded console log as the launcher keeps it: one string per line. */
struct console_log {
	char *text;
	const char *line[MAX_LINES];
	size_t n;
};

static int load_console(const char *path, struct console_log *c)
{
	char *p;

	c->n = 0;
	c->text = tap_slurp(path);
	if (!c->text)
		return -1;
	for (p = c->text; *p && c->n < MAX_LINES;) {
		char *nl = strchr(p, '\n');

		c->line[c->n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return 0;
}

static void test_outcome_names(void)
{
	int unique = 1, named = 1, texts = 1;

	for (int i = 0; i < OUTCOME__COUNT; i++) {
		const char *name = outcome_name((enum outcome)i);

		named &= name && *name && strcmp(name, "unknown") != 0;
		texts &= outcome_text((enum outcome)i) && *outcome_text((enum outcome)i);
		unique &= outcome_from_name(name) == (enum outcome)i;
	}
	ok(named, "every outcome has a name");
	ok(texts, "every outcome has a text");
	ok(unique, "outcome_from_name(outcome_name(o)) == o for every outcome");
	is_str(outcome_name(OUTCOME_NO_KVM_DEV), "no-kvm-dev", "name of no-kvm-dev");
	is_str(outcome_name(OUTCOME_OOM), "oom", "name of oom");
	is_str(outcome_name(OUTCOME__COUNT), "unknown", "name out of range");
	is_str(outcome_name((enum outcome)-1), "unknown", "negative outcome");
	is_str(outcome_text(OUTCOME__COUNT), "unknown outcome", "text out of range");
	is_int(outcome_from_name("no-such-outcome"), OUTCOME_NONE, "unknown name -> none");
	is_int(outcome_from_name(NULL), OUTCOME_NONE, "NULL name -> none");
	is_int(outcome_from_name("OOM"), OUTCOME_NONE, "names are case sensitive");
	ok(!outcome_is_failure(OUTCOME_NONE), "none is not a failure");
	ok(!outcome_is_failure(OUTCOME_MAX_DEPTH), "max-depth is not a failure");
	ok(outcome_is_failure(OUTCOME_PANIC), "panic is a failure");
	ok(outcome_is_failure(OUTCOME_NO_VIRT), "no-virt is a failure");
}

/* A child whose guest printed @c and then qemu exited 0 (-no-reboot after panic=-1). */
static void classify_recorded(const struct console_log *c, struct verdict *v)
{
	struct child_end end = {
		.guest_spoke = 1, .exited = 1, .exit_code = 0,
		.console = c->line, .nconsole = c->n, .qemu_stderr = "",
	};

	classify_child_end(&end, v);
}

static void test_recorded_panics(void)
{
	struct console_log c;
	struct verdict v;

	if (load_console(LOGS "recorded-panic-vfs.txt", &c) < 0) {
		ok(0, "read recorded-panic-vfs.txt");
	} else {
		classify_recorded(&c, &v);
		is_str(outcome_name(v.outcome), "panic", "VFS panic: panic");
		is_str(v.evidence, "[    0.781151] Kernel panic - not syncing: VFS: Unable to mount root fs on "
				   "unknown-block(0,0)", "VFS panic: evidence is the panic line");
		free(c.text);
	}

	if (load_console(LOGS "recorded-panic-oom.txt", &c) < 0) {
		ok(0, "read recorded-panic-oom.txt");
	} else {
		classify_recorded(&c, &v);
		is_str(outcome_name(v.outcome), "oom", "OOM panic: the panic names memory: oom");
		is_str(v.evidence, "[    0.651376] Kernel panic - not syncing: System is deadlocked on memory",
		       "OOM panic: evidence is the last fatal line, the panic on memory");
		free(c.text);
	}

	/* the same OOM as a child booted with "quiet" shows it: the pr_warn
	 * lines before the panic never reach the console */
	if (load_console(LOGS "recorded-panic-oom-quiet.txt", &c) < 0) {
		ok(0, "read recorded-panic-oom-quiet.txt");
	} else {
		classify_recorded(&c, &v);
		is_str(outcome_name(v.outcome), "oom", "quiet OOM panic: still oom");
		is_str(v.evidence, "[    0.651376] Kernel panic - not syncing: System is deadlocked on memory",
		       "quiet OOM panic: evidence is the deadlocked-on-memory panic");
		free(c.text);
	}
}

static void test_recorded_stderr(void)
{
	struct child_end end = { .exited = 1, .exit_code = 1 };
	struct verdict v;
	char *text, *line, *save = NULL;
	int fatal = 0, other = 0;

	text = tap_slurp(LOGS "recorded-qemu-kvm-internal-error.txt");
	ok(text != NULL, "read recorded-qemu-kvm-internal-error.txt");
	if (text) {
		/* qemu pauses the VM and keeps running: the parent kills it */
		end = (struct child_end){ .came_up = 1, .guest_spoke = 1, .signaled = 0,
					  .exited = 0, .qemu_stderr = text };
		classify_child_end(&end, &v);
		is_str(outcome_name(v.outcome), "kvm-error", "KVM internal error: kvm-error");
		is_str(v.evidence, "KVM internal error. Suberror: 1", "KVM internal error: evidence line");
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			enum outcome o = classify_fatal_stderr(line);

			if (!strcmp(line, "KVM internal error. Suberror: 1") || !strcmp(line, "emulation failure"))
				fatal += o == OUTCOME_KVM_ERROR;
			else
				other += o != OUTCOME_NONE;
		}
		is_int(fatal, 2, "classify_fatal_stderr: both error lines are fatal");
		is_int(other, 0, "classify_fatal_stderr: register dump lines are not");
		free(text);
	}

	text = tap_slurp(LOGS "recorded-qemu-kvm-permission-denied.txt");
	ok(text != NULL, "read recorded-qemu-kvm-permission-denied.txt");
	if (text) {
		end = (struct child_end){ .exited = 1, .exit_code = 1, .qemu_stderr = text };
		classify_child_end(&end, &v);
		is_str(outcome_name(v.outcome), "no-kvm-dev", "/dev/kvm permission denied: no-kvm-dev");
		is_str(v.evidence, "Could not access KVM kernel module: Permission denied",
		       "/dev/kvm permission denied: evidence is qemu's open error");
		is_int(classify_fatal_stderr("qemu-system-x86_64: failed to initialize kvm: Permission denied"),
		       OUTCOME_NONE, "failed to initialize kvm is not a live fatal line (qemu exits by itself)");
		free(text);
	}

	text = tap_slurp(LOGS "recorded-qemu-no-guest-memory.txt");
	ok(text != NULL, "read recorded-qemu-no-guest-memory.txt");
	if (text) {
		end = (struct child_end){ .exited = 1, .exit_code = 1, .qemu_stderr = text };
		classify_child_end(&end, &v);
		is_str(outcome_name(v.outcome), "no-memory", "cannot set up guest memory: no-memory");
		is_str(v.evidence, "qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory",
		       "cannot set up guest memory: evidence without the newline");
		free(text);
	}
}

static void test_child_end_rules(void)
{
	const char *quiet[] = { "[    1.2] random: crng init done", "[    1.3] Run /init as init process" };
	const char *two_panics[] = { "Kernel panic - not syncing: first", "Kernel panic - not syncing: second" };
	const char *with_null[] = { NULL, "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\r" };
	struct child_end end;
	struct verdict v;
	char long_line[600];

	/* timed out, nothing recognisable */
	end = (struct child_end){ .timed_out = 1, .guest_spoke = 1, .console = quiet, .nconsole = 2,
				  .signaled = 0, .exited = 0 };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_TIMEOUT, "timed out before up: timeout");
	is_str(v.evidence, "child never reported up", "timed out before up: evidence");
	end.came_up = 1;
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_TIMEOUT, "timed out after up: timeout");
	is_str(v.evidence, "child went silent after coming up", "timed out after up: evidence differs");
	end.console = two_panics;
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_PANIC, "timed out with a panic on the console: panic");
	is_str(v.evidence, "Kernel panic - not syncing: second", "newest console line is the evidence");

	/* killed by a signal */
	end = (struct child_end){ .signaled = 1, .signo = SIGSEGV, .guest_spoke = 1, .console = quiet,
				  .nconsole = 2 };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_CRASH, "signal: qemu-crash");
	is_str(v.evidence, "qemu killed by signal 11 (Segmentation fault)", "signal: evidence names it");
	end.signo = SIGABRT;
	end.came_up = 1;
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_CRASH, "abort after up: qemu-crash");
	is_str(v.evidence, "qemu killed by signal 6 (Aborted)", "abort: evidence");

	/* non-zero exit, nothing from the guest: qemu never started */
	end = (struct child_end){ .exited = 1, .exit_code = 1,
				  .qemu_stderr = "qemu-system-x86_64: -drive file=/run/supernested/overlay.qcow2,"
						 "format=qcow2,if=virtio,cache=unsafe: Could not open "
						 "'/run/supernested/overlay.qcow2': No such file or directory\n" };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_START, "exit 1, guest silent: qemu-start");
	is_str(v.evidence, "qemu-system-x86_64: -drive file=/run/supernested/overlay.qcow2,format=qcow2,"
			   "if=virtio,cache=unsafe: Could not open '/run/supernested/overlay.qcow2': No such "
			   "file or directory", "qemu-start: evidence is qemu's line");
	end.qemu_stderr = "cannot execute /usr/bin/qemu-system-x86_64: No such file or directory\n";
	end.exit_code = 127;
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_START, "exec failure: qemu-start");
	is_str(v.evidence, "cannot execute /usr/bin/qemu-system-x86_64: No such file or directory",
	       "exec failure: the line naming qemu");
	end.qemu_stderr = NULL;
	end.exit_code = 3;
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_START, "exit 3, no stderr: qemu-start");
	is_str(v.evidence, "qemu exited with status 3", "no stderr: status in the evidence");
	end.qemu_stderr = "something else\n";
	classify_child_end(&end, &v);
	is_str(v.evidence, "qemu exited with status 3", "stderr without qemu's name: status in the evidence");

	/* non-zero exit after the guest spoke */
	end = (struct child_end){ .exited = 1, .exit_code = 1, .guest_spoke = 1, .console = quiet,
				  .nconsole = 2, .qemu_stderr = "" };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_EXIT, "exit 1 after the guest spoke: qemu-exit");
	is_str(v.evidence, "qemu exited with status 1", "qemu-exit: evidence");
	end.guest_spoke = 0;
	end.came_up = 1;
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_EXIT, "exit 1 after up: qemu-exit");

	/* clean exit without a summary */
	end = (struct child_end){ .exited = 1, .exit_code = 0, .guest_spoke = 1, .console = quiet,
				  .nconsole = 2 };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_EXIT, "exit 0 before up: qemu-exit");
	is_str(v.evidence, "child powered off before reporting up", "exit 0 before up: evidence");
	end.came_up = 1;
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_EXIT, "exit 0 after up: qemu-exit");
	is_str(v.evidence, "child powered off without a summary", "exit 0 after up: evidence");
	end = (struct child_end){ .exited = 1 };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_QEMU_EXIT, "nothing at all, NULL console and stderr: qemu-exit");

	/* NULL console entries are skipped; a trailing \r is not evidence */
	end = (struct child_end){ .exited = 1, .guest_spoke = 1, .console = with_null, .nconsole = 2 };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_PANIC, "NULL console line skipped");
	is_str(v.evidence, "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
	       "trailing \\r trimmed from the evidence");

	/* a pattern inside a long line: evidence is cut to its buffer */
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	memcpy(long_line + 20, "Kernel panic - not syncing", 26);
	{
		const char *one[] = { long_line };

		end = (struct child_end){ .exited = 1, .guest_spoke = 1, .console = one, .nconsole = 1 };
		classify_child_end(&end, &v);
		is_int(v.outcome, OUTCOME_PANIC, "panic inside a long line: panic");
		is_int(strlen(v.evidence), sizeof(v.evidence) - 1, "long evidence cut to the buffer");
		is_int(strncmp(v.evidence, long_line, sizeof(v.evidence) - 1), 0, "cut evidence is the line start");
	}

	/* stderr patterns only look at stderr, console patterns only at the console */
	{
		const char *says[] = { "qemu said: KVM internal error" };

		end = (struct child_end){ .exited = 1, .exit_code = 0, .guest_spoke = 1, .console = says,
					  .nconsole = 1, .qemu_stderr = "Kernel panic - not syncing: x\n" };
		classify_child_end(&end, &v);
		is_int(v.outcome, OUTCOME_QEMU_EXIT, "patterns are bound to their source");
	}

	/* stderr evidence is the one matching line, not its neighbours */
	end = (struct child_end){ .exited = 1, .exit_code = 1,
				  .qemu_stderr = "qemu-system-x86_64: warning: host doesn't support requested "
						 "feature: CPUID.80000001H:ECX.svm [bit 2]\n"
						 "qemu-system-x86_64: kvm run failed Bad address\n"
						 "RAX=0000000000000000\n" };
	classify_child_end(&end, &v);
	is_int(v.outcome, OUTCOME_KVM_ERROR, "kvm run failed: kvm-error");
	is_str(v.evidence, "qemu-system-x86_64: kvm run failed Bad address", "kvm run failed: just that line");
}

static void test_fatal_stderr(void)
{
	is_int(classify_fatal_stderr("KVM internal error. Suberror: 1"), OUTCOME_KVM_ERROR, "internal error");
	is_int(classify_fatal_stderr("emulation failure"), OUTCOME_KVM_ERROR, "emulation failure");
	is_int(classify_fatal_stderr("KVM: entry failed, hardware error 0x80000021"), OUTCOME_KVM_ERROR,
	       "entry failed");
	is_int(classify_fatal_stderr("error: kvm run failed Invalid argument"), OUTCOME_KVM_ERROR, "kvm run failed");
	is_int(classify_fatal_stderr(""), OUTCOME_NONE, "empty line");
	is_int(classify_fatal_stderr("qemu-system-x86_64: warning: host doesn't support requested feature: "
				     "CPUID.80000001H:ECX.svm [bit 2]"), OUTCOME_NONE, "warning is not fatal");
	is_int(classify_fatal_stderr("kvm internal error"), OUTCOME_NONE, "matching is case sensitive");
}

struct load_case {
	const char *file;
	enum outcome outcome;
	const char *hint_has;
};

static void test_kvm_load(void)
{
	static const struct load_case cases[] = {
		{ "recorded-dmesg-kvm-intel-disabled-by-bios-5.10.txt", OUTCOME_KVM_MODULE, "enable VT-x/AMD-V" },
		{ "recorded-dmesg-kvm-intel-disabled-by-bios-6.1.txt", OUTCOME_KVM_MODULE, "enable VT-x/AMD-V" },
		{ "recorded-dmesg-kvm-intel-vmx-not-enabled-6.6.txt", OUTCOME_KVM_MODULE, "VMX is not enabled" },
		{ "recorded-dmesg-kvm-amd-svm-disabled-6.6.txt", OUTCOME_KVM_MODULE, "MSR_VM_CR" },
		{ "recorded-dmesg-kvm-amd-no-hardware-support-6.1.txt", OUTCOME_NO_VIRT, "-cpu host or -cpu max" },
		{ "recorded-dmesg-kvm-amd-svm-not-supported-6.6.txt", OUTCOME_NO_VIRT, "-cpu host or -cpu max" },
		{ "recorded-dmesg-kvm-unknown-symbol.txt", OUTCOME_KVM_MODULE, "see the kernel log" },
	};
	const char *hint;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[256];
		char *log;

		snprintf(path, sizeof(path), LOGS "%s", cases[i].file);
		log = tap_slurp(path);
		if (!log) {
			ok(0, "read %s", cases[i].file);
			continue;
		}
		hint = NULL;
		is_str(outcome_name(classify_kvm_load(log, &hint)), outcome_name(cases[i].outcome),
		       "%s: outcome", cases[i].file);
		ok(hint && strstr(hint, cases[i].hint_has), "%s: hint mentions '%s' (%s)", cases[i].file,
		   cases[i].hint_has, hint ? hint : "(null)");
		free(log);
	}

	hint = NULL;
	is_int(classify_kvm_load("kvm_intel: VMX not supported by CPU 1", &hint), OUTCOME_NO_VIRT,
	       "VMX not supported by CPU: no-virt");
	ok(hint && strstr(hint, "vmx"), "VMX not supported: hint about vmx");
	hint = NULL;
	is_int(classify_kvm_load("kvm: support for 'kvm_amd' is broken", &hint), OUTCOME_KVM_MODULE,
	       "other 'kvm: support for' line: kvm-module");
	ok(hint && strstr(hint, "refused to load"), "other 'kvm: support for' line: hint");
	hint = NULL;
	is_int(classify_kvm_load("", &hint), OUTCOME_KVM_MODULE, "empty log: kvm-module");
	is_str(hint, "the KVM module failed to load: see the kernel log", "empty log: fallback hint");
	hint = NULL;
	is_int(classify_kvm_load(NULL, &hint), OUTCOME_KVM_MODULE, "NULL log: kvm-module");
	is_str(hint, "the KVM module failed to load: see the kernel log", "NULL log: fallback hint");
	hint = NULL;
	is_int(classify_kvm_load("x86/cpu: VMX (outside TXT) disabled by BIOS", &hint), OUTCOME_KVM_MODULE,
	       "boot-time VMX line alone: kvm-module");
	is_str(hint, "the KVM module failed to load: see the kernel log",
	       "boot-time VMX line alone: fallback (BIOS in capitals is not the kvm line)");
}

/* Recorded sequences joined in time order: the last fatal event wins. */
static void test_by_time(void)
{
	struct console_log oom, vfs, quiet;
	const char *seq[MAX_LINES];
	struct verdict v;
	size_t n = 0;
	int at;

	if (load_console(LOGS "recorded-panic-oom.txt", &oom) < 0 ||
	    load_console(LOGS "recorded-panic-vfs.txt", &vfs) < 0 ||
	    load_console(LOGS "recorded-panic-oom-quiet.txt", &quiet) < 0) {
		ok(0, "read the recorded panics");
		return;
	}
	/* an OOM kill (its report and trace, recovered: no "no killable"
	 * line), then later a panic of another cause */
	for (size_t i = 4; i < 20; i++)
		seq[n++] = oom.line[i];
	for (size_t i = 0; i < vfs.n; i++)
		seq[n++] = vfs.line[i];
	at = classify_console(seq, n, &v);
	is_str(outcome_name(v.outcome), "panic", "OOM kill, later a VFS panic: panic, not oom");
	ok(strstr(v.evidence, "Kernel panic - not syncing: VFS") != NULL, "... its evidence is the panic (%s)",
	   v.evidence);
	ok(at > 16, "... the deciding line is the later one (%d)", at);
	{
		struct child_end end = { .guest_spoke = 1, .exited = 1, .console = seq, .nconsole = n,
					 .qemu_stderr = "" };

		classify_child_end(&end, &v);
		is_str(outcome_name(v.outcome), "panic", "the same through classify_child_end");
	}
	/* the other way round: a panic, then (a later boot's) OOM panic */
	n = 0;
	for (size_t i = 0; i < vfs.n; i++)
		seq[n++] = vfs.line[i];
	for (size_t i = 0; i < quiet.n; i++)
		seq[n++] = quiet.line[i];
	classify_console(seq, n, &v);
	is_str(outcome_name(v.outcome), "oom", "a panic, later the OOM panic: oom");
	/* a panic whose trace runs through out_of_memory, its message unknown */
	{
		const char *panic_on_oom[] = {
			"[    1.0] Kernel panic - not syncing: some new wording",
			"[    1.0] Call Trace:",
			"[    1.0]  panic+0x118/0x2f4",
			"[    1.0]  out_of_memory.cold+0x2f/0x7e",
		};

		classify_console(panic_on_oom, 4, &v);
		is_str(outcome_name(v.outcome), "oom", "a panic from out_of_memory's path: oom");
		is_str(v.evidence, "[    1.0] Kernel panic - not syncing: some new wording",
		       "... evidence: the panic line");
	}
	/* report lines are not the level's words: relayed or refused */
	{
		const char *relayed[] = {
			"[    2.0] virtio_blk virtio1: [vda] 2097152 512-byte logical blocks",
			"supernested: L3 console text=\"[ 1.0] Kernel panic - not syncing: forged\" crc=00000000",
			"supernested: L2 console text=\"invoked oom-killer\" garbled=\"L2 speaks but was never started\" crc=12345678",
		};
		const char *glued[] = {
			"[    3.0] Kernel panic - not syncing: Fatal exceptionsupernested: L2 up crc=00000000",
		};
		struct child_end end = { .guest_spoke = 1, .exited = 1, .console = relayed, .nconsole = 3,
					 .qemu_stderr = "" };

		is_int(classify_console(relayed, 3, &v), -1, "relayed and refused report lines: no fatal event");
		classify_child_end(&end, &v);
		is_str(outcome_name(v.outcome), "qemu-exit", "... the child just powered off");
		classify_console(glued, 1, &v);
		is_str(outcome_name(v.outcome), "panic", "kernel text glued before a report still counts");
		is_str(v.evidence, "[    3.0] Kernel panic - not syncing: Fatal exception",
		       "... without the report");
	}
	free(oom.text);
	free(vfs.text);
	free(quiet.text);
}

int main(void)
{
	test_outcome_names();
	test_recorded_panics();
	test_by_time();
	test_recorded_stderr();
	test_child_end_rules();
	test_fatal_stderr();
	test_kvm_load();
	{	/* a user-space trap is not a kernel death */
		const char *trap[] = { "traps: qemu-system-x86[212] general protection fault ip:7f0 sp:7ff error:0 in libc.so.6" };
		struct verdict v2;
		struct child_end end2 = (struct child_end){ .exited = 1, .exit_code = 1, .guest_spoke = 1, .console = trap, .nconsole = 1 };
		classify_child_end(&end2, &v2);
		is_int(v2.outcome, OUTCOME_QEMU_EXIT, "user-space general protection fault is not a panic");
	}
	{	/* wait statuses: exit code, a crash signal, our own kill */
		struct child_end e = { 0 };

		child_end_set_status(&e, 3 << 8, 0);
		ok(e.exited && e.exit_code == 3 && !e.signaled, "status: exit 3");
		child_end_set_status(&e, SIGSEGV, 0);
		ok(!e.exited && e.signaled && e.signo == SIGSEGV, "status: killed by SIGSEGV");
		child_end_set_status(&e, SIGKILL, 1);
		ok(!e.signaled && e.timed_out && e.signo == SIGKILL, "status: our SIGKILL is a timeout, not a crash");
	}
	{	/* how qemu ended, said in one line when the child left none */
		struct child_end e = { 0 };
		char line[256];

		child_end_set_status(&e, SIGSEGV, 0);
		e.came_up = 1;
		child_end_describe(&e, 19.44, line, sizeof(line));
		is_str(line, "qemu killed by signal 11 (Segmentation fault) 19.4 s after it started, its guest up; "
			     "no console line from the guest, nothing on qemu's stderr", "describe: a crash once up");
		e.guest_spoke = 1;	/* the guest said something: the end alone */
		child_end_describe(&e, 19.44, line, sizeof(line));
		is_str(line, "qemu killed by signal 11 (Segmentation fault) 19.4 s after it started, its guest up",
		       "describe: a crash once up, after the guest spoke");
		e.guest_spoke = 0;
		child_end_set_status(&e, 1 << 8, 0);
		e.came_up = 0;
		child_end_describe(&e, 0.25, line, sizeof(line));
		ok(!strncmp(line, "qemu exited with status 1 0.2 s after it started, its guest never up", 68),
		   "describe: an exit before up: %s", line);
		child_end_set_status(&e, SIGKILL, 1);
		child_end_describe(&e, 80, line, sizeof(line));
		ok(!strncmp(line, "qemu stopped by its parent 80.0 s", 33), "describe: our own kill: %s", line);
		child_end_describe(&e, 1, line, 10);
		is_int(strlen(line), 9, "describe: cut to the buffer");
	}
	return tap_done();
}
