/* outcome.h - why a level stopped going deeper: the shared vocabulary of
 * the launcher (which reports it) and the host tool (which tabulates it). */
#ifndef SUPERNESTED_OUTCOME_H
#define SUPERNESTED_OUTCOME_H

enum outcome {
	OUTCOME_NONE = 0,	/* not decided yet */
	OUTCOME_MAX_DEPTH,	/* limit reached: success, not a failure */
	OUTCOME_NO_VIRT,	/* CPU shows no vmx/svm */
	OUTCOME_KVM_MODULE,	/* kvm / kvm_amd / kvm_intel would not load */
	OUTCOME_NESTED_OFF,	/* module loaded, nested parameter off */
	OUTCOME_NO_KVM_DEV,	/* /dev/kvm missing or unusable */
	OUTCOME_NO_MEM,		/* not enough memory for the next level */
	OUTCOME_QEMU_START,	/* qemu failed to start */
	OUTCOME_TIMEOUT,	/* child silent past its budget, killed */
	OUTCOME_PANIC,		/* child kernel panic */
	OUTCOME_OOM,		/* child ran out of memory */
	OUTCOME_KVM_ERROR,	/* KVM internal error / emulation failure */
	OUTCOME_QEMU_CRASH,	/* child qemu died by a signal */
	OUTCOME_QEMU_EXIT,	/* child qemu exited unexpectedly */
	OUTCOME_CONFIG,		/* unusable configuration */
	OUTCOME_INTERNAL,	/* the launcher itself hit an error */
	OUTCOME_RUN_LIMIT,	/* the run's time limit (supernested.deadline) came */
	OUTCOME__COUNT
};

const char *outcome_name(enum outcome o);
/* One-line explanation for people. */
const char *outcome_text(enum outcome o);
/* OUTCOME_NONE when @name is unknown. */
enum outcome outcome_from_name(const char *name);
/* Max depth is where a run is meant to end; everything else is a failure. */
int outcome_is_failure(enum outcome o);

#endif
