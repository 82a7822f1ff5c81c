/* accel.c - KVM or TCG for level 1 (see accel.h). */
#include "accel.h"
#include "bochs.h"
#include "bochs_run.h"
#include "kvm_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Level 2 runs under the host's KVM inside level 1: with nested off, level
 * 1 has no vmx/svm and the chain stops there.  Say so before the run. */
static void check_host_nested(struct host_accel *a)
{
	const char *mod = kvm_vendor_module(&a->host);
	char path[96], text[16] = "";
	FILE *f;

	if (!mod)
		return;
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/nested", mod);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(text, sizeof(text), f))
			text[0] = '\0';
		fclose(f);
	}
	if (parse_nested_param(text) == 0)
		snprintf(a->warning, sizeof(a->warning),
			 "the host's %s has nested=0: level 1 will have no %s; turn it on with "
			 "'modprobe -r %s && modprobe %s nested=1' (or 'options %s nested=1' in "
			 "/etc/modprobe.d)", mod, cpu_virt_name(&a->host), mod, mod, mod);
}

/* Bochs: whatever the host has, level 1 gets the emulated model's CPU. */
static int pick_bochs(const char *cpu_model, struct host_accel *a)
{
	const struct bochs_model *bm = bochs_model_find(cpu_model ? cpu_model : BOCHS_DEFAULT_MODEL);
	char models[600];

	if (!bm) {
		bochs_model_list(models, sizeof(models));
		fprintf(stderr, "supernested: Bochs's 64-bit models: %s\n", models);
		snprintf(a->why, sizeof(a->why), "--cpu-model: Bochs has no 64-bit model '%.60s'",
			 cpu_model);
		return -1;
	}
	if (bochs_available(a->why, sizeof(a->why)) < 0)
		return -1;
	a->accel = "bochs";
	a->cpu = bm->name;
	snprintf(a->why, sizeof(a->why), "Bochs emulating %s: %s with %s", bm->name, bm->vendor,
		 bm->virt[0] ? bm->virt : "neither vmx nor svm");
	return 0;
}

int pick_accel(const char *requested, const char *cpu_model, struct host_accel *a)
{
	static char cpuinfo[1 << 17];
	FILE *f = fopen("/proc/cpuinfo", "re");
	size_t n = 0;
	char kvm_why[120];
	int kvm_ok;

	memset(a, 0, sizeof(*a));
	if (f) {
		n = fread(cpuinfo, 1, sizeof(cpuinfo) - 1, f);
		fclose(f);
	}
	cpuinfo[n] = '\0';
	cpu_facts_parse(cpuinfo, &a->host);
	if (!strcmp(requested, "bochs"))
		return pick_bochs(cpu_model, a);

	kvm_ok = kvm_device_works(kvm_why, sizeof(kvm_why));
	/* A /dev/kvm on a CPU without vmx/svm is a paravirtual device that a
	 * normal guest kernel hangs on: never use it. */
	if (kvm_ok && !a->host.has_vmx && !a->host.has_svm) {
		kvm_ok = 0;
		snprintf(kvm_why, sizeof(kvm_why),
			 "/dev/kvm exists but the CPU shows no vmx/svm: not a usable KVM");
	}

	if (!strcmp(requested, "tcg") || (!strcmp(requested, "auto") && !kvm_ok)) {
		a->accel = "tcg";
		a->cpu = "max";
		snprintf(a->why, sizeof(a->why), "%s",
			 !strcmp(requested, "tcg") ? "TCG as asked" : kvm_why);
		return 0;
	}
	if (!strcmp(requested, "kvm") || !strcmp(requested, "auto")) {
		if (!kvm_ok) {
			snprintf(a->why, sizeof(a->why), "--accel kvm: %s", kvm_why);
			return -1;
		}
		a->accel = "kvm";
		a->cpu = "host";
		snprintf(a->why, sizeof(a->why), "KVM with %s", cpu_virt_name(&a->host));
		check_host_nested(a);
		return 0;
	}
	snprintf(a->why, sizeof(a->why), "--accel must be auto, kvm, tcg or bochs, not '%s'", requested);
	return -1;
}
