/* outcome.c - names and texts of outcomes, one table. */
#include "outcome.h"

#include <string.h>

static const struct {
	const char *name;
	const char *text;
} outcomes[OUTCOME__COUNT] = {
	[OUTCOME_NONE]       = { "none",            "no outcome reported" },
	[OUTCOME_MAX_DEPTH]  = { "max-depth",       "maximum depth reached" },
	[OUTCOME_NO_VIRT]    = { "no-virt",         "CPU shows no vmx/svm" },
	[OUTCOME_KVM_MODULE] = { "kvm-module",      "KVM module failed to load" },
	[OUTCOME_NESTED_OFF] = { "nested-disabled", "KVM nested virtualization disabled" },
	[OUTCOME_NO_KVM_DEV] = { "no-kvm-dev",      "/dev/kvm missing or unusable" },
	[OUTCOME_NO_MEM]     = { "no-memory",       "not enough memory for the next level" },
	[OUTCOME_QEMU_START] = { "qemu-start",      "qemu failed to start" },
	[OUTCOME_TIMEOUT]    = { "timeout",         "boot timeout: child silent past its budget" },
	[OUTCOME_PANIC]      = { "panic",           "child kernel panic" },
	[OUTCOME_OOM]        = { "oom",             "child ran out of memory" },
	[OUTCOME_KVM_ERROR]  = { "kvm-error",       "KVM internal error or emulation failure" },
	[OUTCOME_QEMU_CRASH] = { "qemu-crash",      "child qemu crashed" },
	[OUTCOME_QEMU_EXIT]  = { "qemu-exit",       "child qemu exited unexpectedly" },
	[OUTCOME_CONFIG]     = { "config-error",    "unusable configuration" },
	[OUTCOME_INTERNAL]   = { "internal-error",  "launcher internal error" },
	[OUTCOME_RUN_LIMIT]  = { "run-limit",       "the run's time limit came: stopped, no verdict" },
};

const char *outcome_name(enum outcome o)
{
	return (unsigned)o < OUTCOME__COUNT ? outcomes[o].name : "unknown";
}

const char *outcome_text(enum outcome o)
{
	return (unsigned)o < OUTCOME__COUNT ? outcomes[o].text : "unknown outcome";
}

enum outcome outcome_from_name(const char *name)
{
	for (int i = 0; i < OUTCOME__COUNT; i++)
		if (name && strcmp(outcomes[i].name, name) == 0)
			return (enum outcome)i;
	return OUTCOME_NONE;
}

int outcome_is_failure(enum outcome o)
{
	return o != OUTCOME_NONE && o != OUTCOME_MAX_DEPTH;
}
