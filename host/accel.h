/* accel.h - choose how the host runs level 1: KVM only where it is real
 * (a usable /dev/kvm and a CPU showing vmx/svm), otherwise TCG with
 * "-cpu max", which emulates SVM so level 2 still runs under nested KVM;
 * or, when asked, Bochs, which emulates Intel's VMX (and AMD's SVM). */
#ifndef SUPERNESTED_ACCEL_H
#define SUPERNESTED_ACCEL_H

#include "cpu_facts.h"

struct host_accel {
	const char *accel;	/* "kvm", "tcg" or "bochs" */
	const char *cpu;	/* "host", "max" or Bochs's CPU model */
	char why[200];		/* why this one */
	char warning[300];	/* KVM used but nested off: how to turn it on */
	struct cpu_facts host;	/* the host CPU */
};

/* @requested: "auto", "kvm", "tcg" or "bochs"; @cpu_model: Bochs's CPU
 * model (NULL: BOCHS_DEFAULT_MODEL; only for bochs).  Returns 0, or -1
 * with a->why set when the request cannot be honoured. */
int pick_accel(const char *requested, const char *cpu_model, struct host_accel *a);

#endif
