/* cpu_facts.h - what a level knows about its CPU, parsed from /proc/cpuinfo
 * text and the hypervisor CPUID signature.  Pure logic: the Intel/VMX paths
 * are tested on recorded text since they cannot run on an AMD host. */
#ifndef SUPERNESTED_CPU_FACTS_H
#define SUPERNESTED_CPU_FACTS_H

enum cpu_vendor { VENDOR_UNKNOWN, VENDOR_INTEL, VENDOR_AMD };

struct cpu_facts {
	enum cpu_vendor vendor;
	char vendor_id[16];	/* "GenuineIntel", "AuthenticAMD", ... */
	char model[80];		/* "model name" */
	int has_vmx, has_svm;
	int ncpus;
};

void cpu_facts_parse(const char *cpuinfo, struct cpu_facts *f);

/* "vmx", "svm" or "none". */
const char *cpu_virt_name(const struct cpu_facts *f);

/* The KVM vendor module for this CPU: "kvm_intel", "kvm_amd" or NULL. */
const char *kvm_vendor_module(const struct cpu_facts *f);

/* Name the accelerator from the CPUID 0x40000000 signature (12 bytes):
 * "kvm", "tcg", "hyperv", ...; "none" for an empty signature. */
const char *hypervisor_name(const char *signature);

/* A module's "nested" parameter text ("Y", "1", "N", "0") -> 1, 0, or -1. */
int parse_nested_param(const char *text);

#endif
