/* cpu_facts.c - /proc/cpuinfo and hypervisor signature parsing. */
#include "cpu_facts.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *vendor_id;
	enum cpu_vendor vendor;
	const char *kvm_module;
} vendors[] = {
	{ "GenuineIntel", VENDOR_INTEL, "kvm_intel" },
	{ "AuthenticAMD", VENDOR_AMD, "kvm_amd" },
	{ "HygonGenuine", VENDOR_AMD, "kvm_amd" },
};

static const struct {
	const char *signature;
	const char *name;
} hypervisors[] = {
	{ "KVMKVMKVM", "kvm" },
	{ "TCGTCGTCGTCG", "tcg" },
	{ "Microsoft Hv", "hyperv" },
	{ "VMwareVMware", "vmware" },
	{ "XenVMMXenVMM", "xen" },
	{ "VBoxVBoxVBox", "virtualbox" },
	{ "bhyve bhyve ", "bhyve" },
	{ "ACRNACRNACRN", "acrn" },
};

/* Does the space separated @list contain @word? */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Copy the value of "key<tabs>: value" lines of the first CPU. */
static void copy_value(const char *line, char *out, size_t len)
{
	const char *colon = strchr(line, ':');
	size_t n;

	if (!colon)
		return;
	colon++;
	while (*colon == ' ')
		colon++;
	n = strcspn(colon, "\n");
	snprintf(out, len, "%.*s", (int)n, colon);
}

void cpu_facts_parse(const char *cpuinfo, struct cpu_facts *f)
{
	memset(f, 0, sizeof(*f));
	for (const char *line = cpuinfo; line && *line;) {
		const char *next = strchr(line, '\n');

		if (strncmp(line, "processor", 9) == 0)
			f->ncpus++;
		else if (strncmp(line, "vendor_id", 9) == 0 && !f->vendor_id[0])
			copy_value(line, f->vendor_id, sizeof(f->vendor_id));
		else if (strncmp(line, "model name", 10) == 0 && !f->model[0])
			copy_value(line, f->model, sizeof(f->model));
		else if (strncmp(line, "flags", 5) == 0 && f->ncpus <= 1) {
			char flags[4096];

			copy_value(line, flags, sizeof(flags));
			f->has_vmx = has_word(flags, "vmx");
			f->has_svm = has_word(flags, "svm");
		}
		line = next ? next + 1 : NULL;
	}
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (strcmp(f->vendor_id, vendors[i].vendor_id) == 0)
			f->vendor = vendors[i].vendor;
}

const char *cpu_virt_name(const struct cpu_facts *f)
{
	return f->has_vmx ? "vmx" : f->has_svm ? "svm" : "none";
}

const char *kvm_vendor_module(const struct cpu_facts *f)
{
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (strcmp(f->vendor_id, vendors[i].vendor_id) == 0)
			return vendors[i].kvm_module;
	/* An unknown vendor string: go by the feature the CPU shows. */
	return f->has_vmx ? "kvm_intel" : f->has_svm ? "kvm_amd" : NULL;
}

const char *hypervisor_name(const char *signature)
{
	char sig[13];

	snprintf(sig, sizeof(sig), "%.12s", signature);
	if (!sig[0])
		return "none";
	for (size_t i = 0; i < sizeof(hypervisors) / sizeof(hypervisors[0]); i++)
		if (strncmp(sig, hypervisors[i].signature, strlen(hypervisors[i].signature)) == 0)
			return hypervisors[i].name;
	return "other";
}

int parse_nested_param(const char *text)
{
	if (!text)
		return -1;
	if (text[0] == 'Y' || text[0] == 'y' || text[0] == '1')
		return 1;
	if (text[0] == 'N' || text[0] == 'n' || text[0] == '0')
		return 0;
	return -1;
}
