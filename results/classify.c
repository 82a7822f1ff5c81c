/* classify.c - failure patterns as data, and the rules that apply them. */
#include "classify.h"
#include "report.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

enum source { CONSOLE, STDERR, FRAME };

struct pattern {
	enum source source;	/* FRAME: a console call-trace frame, not a message */
	const char *needle;
	enum outcome outcome;
};

/* Console messages: the newest one decides (the last fatal event wins: a
 * panic after a recovered OOM kill is a panic); in one line, the most
 * specific first (an OOM panic is an OOM, not just a panic).  Frames only
 * refine the panic they follow (a panic from out_of_memory is an OOM). */
static const struct pattern child_patterns[] = {
	{ CONSOLE, "Out of memory and no killable processes", OUTCOME_OOM },
	/* under "quiet" only the panic line and the trace reach the console */
	{ CONSOLE, "System is deadlocked on memory", OUTCOME_OOM },
	{ CONSOLE, "panic_on_oom", OUTCOME_OOM },
	{ FRAME,   " out_of_memory", OUTCOME_OOM },
	{ CONSOLE, "invoked oom-killer", OUTCOME_OOM },
	{ CONSOLE, "Out of memory: Killed process", OUTCOME_OOM },
	{ CONSOLE, "Initramfs unpacking failed", OUTCOME_OOM },
	{ STDERR,  "KVM internal error", OUTCOME_KVM_ERROR },
	{ STDERR,  "emulation failure", OUTCOME_KVM_ERROR },
	{ STDERR,  "KVM: entry failed", OUTCOME_KVM_ERROR },
	{ STDERR,  "kvm run failed", OUTCOME_KVM_ERROR },
	/* qemu follows this line with "failed to initialize kvm": it must come first */
	{ STDERR,  "Could not access KVM kernel module", OUTCOME_NO_KVM_DEV },
	{ STDERR,  "failed to initialize kvm", OUTCOME_KVM_ERROR },
	{ STDERR,  "cannot set up guest memory", OUTCOME_NO_MEM },
	{ STDERR,  "Cannot allocate memory", OUTCOME_NO_MEM },
	{ CONSOLE, "Kernel panic - not syncing", OUTCOME_PANIC },
	{ CONSOLE, "BUG: kernel NULL pointer dereference", OUTCOME_PANIC },
};

/* Seen on qemu's stderr while the VM is frozen: no point waiting. */
static const struct pattern fatal_stderr[] = {
	{ STDERR, "KVM internal error", OUTCOME_KVM_ERROR },
	{ STDERR, "emulation failure", OUTCOME_KVM_ERROR },
	{ STDERR, "KVM: entry failed", OUTCOME_KVM_ERROR },
	{ STDERR, "kvm run failed", OUTCOME_KVM_ERROR },
};

struct load_pattern {
	const char *needle;
	enum outcome outcome;
	const char *hint;
};

/* Kernel messages printed when kvm_intel / kvm_amd refuse to load. */
static const struct load_pattern kvm_load_patterns[] = {
	{ "disabled by bios", OUTCOME_KVM_MODULE,
	  "virtualization is disabled in firmware: enable VT-x/AMD-V (SVM) in the BIOS/UEFI setup" },
	{ "VMX not enabled", OUTCOME_KVM_MODULE,
	  "VMX is not enabled: enable VT-x in the BIOS/UEFI setup" },
	{ "SVM disabled", OUTCOME_KVM_MODULE,
	  "SVM is disabled in MSR_VM_CR: enable AMD-V (SVM) in the BIOS/UEFI setup" },
	{ "no hardware support", OUTCOME_NO_VIRT,
	  "the CPU offers no usable vmx/svm: give this level a CPU model with it (-cpu host or -cpu max)" },
	{ "VMX not supported", OUTCOME_NO_VIRT,
	  "the CPU offers no usable vmx: give this level a CPU model with it (-cpu host)" },
	{ "not supported by CPU", OUTCOME_NO_VIRT,
	  "the CPU offers no usable vmx/svm: give this level a CPU model with it (-cpu host or -cpu max)" },
	{ "kvm: support for", OUTCOME_KVM_MODULE,
	  "the KVM vendor module refused to load: see the kernel log line above" },
};

/* The last line of @text containing @needle: the last words are the cause. */
static const char *line_containing(const char *text, const char *needle,
				   char *line, size_t len)
{
	const char *hit = NULL, *b, *e;
	size_t n;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		hit = p;
	if (!hit)
		return NULL;
	for (b = hit; b > text && b[-1] != '\n'; b--)
		;
	e = strchr(hit, '\n');
	n = e ? (size_t)(e - b) : strlen(b);
	if (n >= len)
		n = len - 1;
	memcpy(line, b, n);
	while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	line[n] = '\0';
	return line;
}

/* A console line as the level's own words: a report line (its own, or one
 * relayed from deeper, accepted or refused) is not; text glued in front of
 * one is. */
static const char *own_text(const char *line, char *buf, size_t len)
{
	const char *r = strstr(line, REPORT_PREFIX);
	size_t n;

	if (!r)
		return line;
	n = (size_t)(r - line) < len ? (size_t)(r - line) : len - 1;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return buf;
}

/* The first pattern of @source (table order) in @line, or NULL. */
static const struct pattern *match_line(const char *line, enum source source)
{
	for (size_t i = 0; i < sizeof(child_patterns) / sizeof(child_patterns[0]); i++)
		if (child_patterns[i].source == source && strstr(line, child_patterns[i].needle))
			return &child_patterns[i];
	return NULL;
}

static void set_evidence(struct verdict *v, const char *line)
{
	size_t n = strlen(line);

	if (n >= sizeof(v->evidence))
		n = sizeof(v->evidence) - 1;
	memcpy(v->evidence, line, n);
	while (n && (v->evidence[n - 1] == '\r' || v->evidence[n - 1] == ' '))
		n--;
	v->evidence[n] = '\0';
}

int classify_console(const char *const *console, size_t n, struct verdict *v)
{
	char buf[1024];
	const struct pattern *p = NULL;
	size_t at = 0;

	v->outcome = OUTCOME_NONE;
	v->evidence[0] = '\0';
	for (size_t i = n; !p && i-- > 0;) {
		if (console[i] && (p = match_line(own_text(console[i], buf, sizeof(buf)), CONSOLE)))
			at = i;
	}
	if (p) {
		v->outcome = p->outcome;
		set_evidence(v, own_text(console[at], buf, sizeof(buf)));
		/* its trace, up to the next message: a panic from the OOM path */
		for (size_t i = at + 1; v->outcome == OUTCOME_PANIC && i < n; i++)
			if (console[i] && match_line(own_text(console[i], buf, sizeof(buf)), FRAME))
				v->outcome = OUTCOME_OOM;
		return (int)at;
	}
	/* no message at all, only a trace: its newest frame */
	for (size_t i = n; i-- > 0;) {
		if (console[i] && (p = match_line(own_text(console[i], buf, sizeof(buf)), FRAME))) {
			v->outcome = p->outcome;
			set_evidence(v, own_text(console[i], buf, sizeof(buf)));
			return (int)i;
		}
	}
	return -1;
}

void child_end_set_status(struct child_end *end, int status, int timed_out)
{
	end->timed_out = timed_out;
	end->exited = WIFEXITED(status);
	end->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	end->signaled = !timed_out && WIFSIGNALED(status);
	end->signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

void child_end_describe(const struct child_end *end, double ran_s, char *buf, size_t len)
{
	char how[96];

	if (end->timed_out)
		snprintf(how, sizeof(how), "stopped by its parent");
	else if (end->signaled)
		snprintf(how, sizeof(how), "killed by signal %d (%s)", end->signo, strsignal(end->signo));
	else if (end->exited)
		snprintf(how, sizeof(how), "exited with status %d", end->exit_code);
	else
		snprintf(how, sizeof(how), "ended");
	snprintf(buf, len, "qemu %s %.1f s after it started, %s%s", how, ran_s,
		 end->came_up ? "its guest up" : "its guest never up",
		 end->guest_spoke || (end->qemu_stderr && *end->qemu_stderr)
			? "" : "; no console line from the guest, nothing on qemu's stderr");
}

void classify_child_end(const struct child_end *end, struct verdict *v)
{
	struct verdict con;

	v->outcome = OUTCOME_NONE;
	v->evidence[0] = '\0';

	/* the console's last fatal event; an OOM outranks what qemu said, qemu
	 * outranks a console panic (a KVM error can leave a guest to panic) */
	classify_console(end->console, end->nconsole, &con);
	if (con.outcome == OUTCOME_OOM) {
		*v = con;
		return;
	}
	for (size_t i = 0; i < sizeof(child_patterns) / sizeof(child_patterns[0]); i++) {
		if (child_patterns[i].source == STDERR && end->qemu_stderr &&
		    line_containing(end->qemu_stderr, child_patterns[i].needle, v->evidence,
				    sizeof(v->evidence))) {
			v->outcome = child_patterns[i].outcome;
			return;
		}
	}
	if (con.outcome != OUTCOME_NONE) {
		*v = con;
		return;
	}

	if (end->timed_out) {
		v->outcome = OUTCOME_TIMEOUT;
		snprintf(v->evidence, sizeof(v->evidence), "%s",
			 end->came_up ? "child went silent after coming up"
				      : "child never reported up");
	} else if (end->signaled) {
		v->outcome = OUTCOME_QEMU_CRASH;
		snprintf(v->evidence, sizeof(v->evidence), "qemu killed by signal %d (%s)",
			 end->signo, strsignal(end->signo));
	} else if (end->exited && end->exit_code != 0) {
		/* Nothing came out of the guest at all: qemu never got going. */
		v->outcome = (end->came_up || end->guest_spoke) ? OUTCOME_QEMU_EXIT : OUTCOME_QEMU_START;
		if (!end->qemu_stderr || !line_containing(end->qemu_stderr, "qemu",
							   v->evidence, sizeof(v->evidence)))
			snprintf(v->evidence, sizeof(v->evidence), "qemu exited with status %d",
				 end->exit_code);
	} else {
		v->outcome = OUTCOME_QEMU_EXIT;
		snprintf(v->evidence, sizeof(v->evidence), "%s",
			 end->came_up ? "child powered off without a summary"
				      : "child powered off before reporting up");
	}
}

enum outcome classify_fatal_stderr(const char *line)
{
	for (size_t i = 0; i < sizeof(fatal_stderr) / sizeof(fatal_stderr[0]); i++)
		if (strstr(line, fatal_stderr[i].needle))
			return fatal_stderr[i].outcome;
	return OUTCOME_NONE;
}

enum outcome classify_kvm_load(const char *kernel_log, const char **hint)
{
	for (size_t i = 0; i < sizeof(kvm_load_patterns) / sizeof(kvm_load_patterns[0]); i++) {
		if (kernel_log && strstr(kernel_log, kvm_load_patterns[i].needle)) {
			*hint = kvm_load_patterns[i].hint;
			return kvm_load_patterns[i].outcome;
		}
	}
	*hint = "the KVM module failed to load: see the kernel log";
	return OUTCOME_KVM_MODULE;
}
