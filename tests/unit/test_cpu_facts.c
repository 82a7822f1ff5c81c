/* test_cpu_facts.c - /proc/cpuinfo parsing on recorded CPUs, hypervisor signatures, nested parameter. */
#include "tap.h"
#include "cpu_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS SRCDIR "/tests/data/logs/"

/* Parse a recorded cpuinfo; 0 when it could not be read. */
static int parse_file(const char *name, struct cpu_facts *f)
{
	char path[256];
	char *text;

	snprintf(path, sizeof(path), LOGS "%s", name);
	text = tap_slurp(path);
	ok(text != NULL, "read %s", name);
	if (!text)
		return 0;
	cpu_facts_parse(text, f);
	free(text);
	return 1;
}

static void test_recorded(void)
{
	struct cpu_facts f;

	if (parse_file("cpuinfo-intel-vmx.txt", &f)) {
		is_int(f.vendor, VENDOR_INTEL, "Intel: vendor");
		is_str(f.vendor_id, "GenuineIntel", "Intel: vendor_id");
		is_str(f.model, "Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz",
		       "Intel: model name kept verbatim, inner spaces too");
		is_int(f.has_vmx, 1, "Intel: vmx");
		is_int(f.has_svm, 0, "Intel: no svm");
		is_int(f.ncpus, 2, "Intel: 2 CPUs");
		is_str(cpu_virt_name(&f), "vmx", "Intel: virt name");
		is_str(kvm_vendor_module(&f), "kvm_intel", "Intel: kvm_intel");
	}

	if (parse_file("cpuinfo-amd-svm.txt", &f)) {
		is_int(f.vendor, VENDOR_AMD, "AMD: vendor");
		is_str(f.vendor_id, "AuthenticAMD", "AMD: vendor_id");
		is_str(f.model, "AMD Ryzen 3 3200G with Radeon Vega Graphics", "AMD: model name");
		is_int(f.has_svm, 1, "AMD: svm");
		is_int(f.has_vmx, 0, "AMD: no vmx");
		is_int(f.ncpus, 4, "AMD: 4 CPUs");
		is_str(cpu_virt_name(&f), "svm", "AMD: virt name");
		is_str(kvm_vendor_module(&f), "kvm_amd", "AMD: kvm_amd");
	}

	/* qemu64 under KVM on an AMD host whose kvm_amd has nested off:
	 * the host's vendor, no svm, the hypervisor bit */
	if (parse_file("cpuinfo-qemu64-novirt.txt", &f)) {
		is_int(f.vendor, VENDOR_AMD, "qemu64: vendor AMD");
		is_str(f.model, "QEMU Virtual CPU version 2.5+", "qemu64: model name");
		is_int(f.has_svm, 0, "qemu64: no svm");
		is_int(f.has_vmx, 0, "qemu64: no vmx");
		is_int(f.ncpus, 2, "qemu64: 2 CPUs");
		is_str(cpu_virt_name(&f), "none", "qemu64: virt none");
		is_str(kvm_vendor_module(&f), "kvm_amd", "qemu64: module by vendor even without svm");
	}
}

static void test_inline(void)
{
	struct cpu_facts f;

	cpu_facts_parse("processor\t: 0\n"
			"vendor_id\t: HygonGenuine\n"
			"cpu family\t: 24\n"
			"model\t\t: 1\n"
			"model name\t: Hygon C86 3185  8-core Processor\n"
			"flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep svm extapic cr8_legacy npt lbrv svm_lock\n"
			"\n"
			"processor\t: 1\n"
			"vendor_id\t: HygonGenuine\n"
			"model name\t: Hygon C86 3185  8-core Processor\n"
			"flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep svm\n", &f);
	is_int(f.vendor, VENDOR_AMD, "Hygon: AMD family");
	is_str(f.vendor_id, "HygonGenuine", "Hygon: vendor_id");
	is_str(f.model, "Hygon C86 3185  8-core Processor", "Hygon: model");
	is_int(f.has_svm, 1, "Hygon: svm");
	is_int(f.ncpus, 2, "Hygon: 2 CPUs");
	is_str(kvm_vendor_module(&f), "kvm_amd", "Hygon: kvm_amd");

	/* flags that merely contain the letters */
	cpu_facts_parse("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
			"flags\t\t: fpu nosvm svm_lock vmx_ept xvmx svmx hypervisor2 npt\n", &f);
	is_int(f.has_svm, 0, "svm_lock / nosvm / svmx are not svm");
	is_int(f.has_vmx, 0, "vmx_ept / xvmx are not vmx");
	is_str(cpu_virt_name(&f), "none", "no virt");

	cpu_facts_parse("processor\t: 0\nflags\t\t: svm fpu\n", &f);
	is_int(f.has_svm, 1, "svm as the first flag");
	cpu_facts_parse("processor\t: 0\nflags\t\t: fpu svm\n", &f);
	is_int(f.has_svm, 1, "svm as the last flag, end of line");
	cpu_facts_parse("processor\t: 0\nflags\t\t: fpu svm", &f);
	is_int(f.has_svm, 1, "svm as the last flag, end of text");
	cpu_facts_parse("processor\t: 0\nflags\t\t: svm_lock svm", &f);
	is_int(f.has_svm, 1, "svm after svm_lock");

	/* "vmx flags" is not the flags line; only the first CPU's flags count */
	cpu_facts_parse("processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme\n"
			"vmx flags\t: vnmi vmx ept\n\n"
			"processor\t: 1\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme vmx\n", &f);
	is_int(f.has_vmx, 0, "vmx only in 'vmx flags' or on CPU 1: not counted");
	is_int(f.ncpus, 2, "two processors counted");

	/* unknown vendors go by the feature they show */
	cpu_facts_parse("processor\t: 0\nvendor_id\t: CentaurHauls\nflags\t\t: fpu vmx\n", &f);
	is_int(f.vendor, VENDOR_UNKNOWN, "Centaur: unknown vendor");
	is_str(kvm_vendor_module(&f), "kvm_intel", "unknown vendor with vmx: kvm_intel");
	cpu_facts_parse("processor\t: 0\nvendor_id\t: SomeVendorX\nflags\t\t: fpu svm\n", &f);
	is_str(kvm_vendor_module(&f), "kvm_amd", "unknown vendor with svm: kvm_amd");
	cpu_facts_parse("processor\t: 0\nvendor_id\t: SomeVendorX\nflags\t\t: fpu\n", &f);
	ok(kvm_vendor_module(&f) == NULL, "unknown vendor without vmx/svm: NULL");

	cpu_facts_parse("", &f);
	is_int(f.ncpus, 0, "empty text: no CPUs");
	is_str(f.vendor_id, "", "empty text: no vendor_id");
	is_int(f.vendor, VENDOR_UNKNOWN, "empty text: unknown vendor");
	ok(kvm_vendor_module(&f) == NULL, "empty text: no module");
	memset(&f, 0x5a, sizeof(f));
	cpu_facts_parse(NULL, &f);
	is_int(f.ncpus, 0, "NULL text: cleared");
	is_str(cpu_virt_name(&f), "none", "NULL text: virt none");
}

static void test_hypervisor_name(void)
{
	static const char tcg_unterminated[12] = { 'T', 'C', 'G', 'T', 'C', 'G', 'T', 'C', 'G', 'T', 'C', 'G' };
	char kvm_sig[12] = { 'K', 'V', 'M', 'K', 'V', 'M', 'K', 'V', 'M', 0, 0, 0 };

	is_str(hypervisor_name(kvm_sig), "kvm", "KVMKVMKVM\\0\\0\\0: kvm");
	is_str(hypervisor_name("KVMKVMKVM"), "kvm", "KVMKVMKVM: kvm");
	is_str(hypervisor_name(tcg_unterminated), "tcg", "12 bytes without NUL: tcg");
	is_str(hypervisor_name("Microsoft Hv"), "hyperv", "Microsoft Hv");
	is_str(hypervisor_name("VMwareVMware"), "vmware", "VMwareVMware");
	is_str(hypervisor_name("XenVMMXenVMM"), "xen", "XenVMMXenVMM");
	is_str(hypervisor_name("VBoxVBoxVBox"), "virtualbox", "VBoxVBoxVBox");
	is_str(hypervisor_name("bhyve bhyve "), "bhyve", "bhyve with its trailing space");
	is_str(hypervisor_name("ACRNACRNACRN"), "acrn", "ACRNACRNACRN");
	is_str(hypervisor_name(""), "none", "empty signature: none");
	is_str(hypervisor_name("\0KVMKVMKVM"), "none", "leading NUL: none");
	is_str(hypervisor_name("KVMKVM"), "other", "partial KVMKVM: other");
	is_str(hypervisor_name("KVMKVMKV"), "other", "KVMKVMKV: other");
	is_str(hypervisor_name("Linux KVM Hv"), "other", "Linux KVM Hv: other");
	is_str(hypervisor_name("TCGTCGTCGTC"), "other", "11 chars of TCG: other");
	is_str(hypervisor_name("kvmkvmkvm"), "other", "lower case: other");
}

static void test_nested_param(void)
{
	is_int(parse_nested_param("Y\n"), 1, "Y\\n -> 1");
	is_int(parse_nested_param("Y"), 1, "Y -> 1");
	is_int(parse_nested_param("y"), 1, "y -> 1");
	is_int(parse_nested_param("1\n"), 1, "1\\n -> 1");
	is_int(parse_nested_param("N\n"), 0, "N\\n -> 0");
	is_int(parse_nested_param("n"), 0, "n -> 0");
	is_int(parse_nested_param("0\n"), 0, "0\\n -> 0");
	is_int(parse_nested_param(""), -1, "empty -> -1");
	is_int(parse_nested_param("\n"), -1, "newline only -> -1");
	is_int(parse_nested_param("2"), -1, "2 -> -1");
	is_int(parse_nested_param("x"), -1, "x -> -1");
	is_int(parse_nested_param(NULL), -1, "NULL -> -1");
}

int main(void)
{
	test_recorded();
	test_inline();
	test_hypervisor_name();
	test_nested_param();
	return tap_done();
}
