/* classify.c - failure patterns as data, and the rules that apply them. */
#include "classify.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

enum source { CONSOLE, STDERR };

struct pattern {
	enum source source;
	const char *needle;
	enum outcome outcome;
};

/* Most specific first: an OOM panic is an OOM, not just a panic. */
static const struct pattern child_patterns[] = {
	{ CONSOLE, "Out of memory and no killable processes", OUTCOME_OOM },
	/* under "quiet" only the panic line and the trace reach the console */
	{ CONSOLE, "System is deadlocked on memory", OUTCOME_OOM },
	{ CONSOLE, " out_of_memory", OUTCOME_OOM },
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

static int match_pattern(const struct pattern *p, const struct child_end *end,
			 char *evidence, size_t len)
{
	if (p->source == STDERR)
		return end->qemu_stderr &&
		       line_containing(end->qemu_stderr, p->needle, evidence, len);
	/* Newest console line first: the last words are the cause. */
	for (size_t i = end->nconsole; i-- > 0;)
		if (end->console[i] && line_containing(end->console[i], p->needle, evidence, len))
			return 1;
	return 0;
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
	v->outcome = OUTCOME_NONE;
	v->evidence[0] = '\0';

	for (size_t i = 0; i < sizeof(child_patterns) / sizeof(child_patterns[0]); i++) {
		if (match_pattern(&child_patterns[i], end, v->evidence, sizeof(v->evidence))) {
			v->outcome = child_patterns[i].outcome;
			return;
		}
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
