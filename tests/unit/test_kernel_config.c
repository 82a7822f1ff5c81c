/* test_kernel_config.c - real Debian 6.1 config excerpts (amd64, cloud)
 * against image/kernel.config, and the same with options taken away. */
#include "tap.h"
#include "kernel_config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* @config without the line starting with @option= (as if not set) */
static char *without(const char *config, const char *option)
{
	char *copy = strdup(config), *p;
	size_t n = strlen(option);

	for (p = copy; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, option, n) && p[n] == '=')
			p[0] = '#';
	return copy;
}

int main(void)
{
	char *fragment = tap_slurp(SRCDIR "/image/kernel.config");
	char *amd64 = tap_slurp(SRCDIR "/tests/data/config-6.1.0-56-amd64.excerpt");
	char *cloud = tap_slurp(SRCDIR "/tests/data/config-6.1.0-56-cloud-amd64.excerpt");
	struct kconfig_problem p[16];
	char value[16], line[400], *bad;
	int n;

	ok(fragment && amd64 && cloud, "fragment and configs readable");
	if (!fragment || !amd64 || !cloud)
		return tap_done();

	kconfig_value(amd64, "CONFIG_KVM", value, sizeof(value));
	is_str(value, "m", "amd64: KVM is a module");
	kconfig_value(amd64, "CONFIG_KVM_AMD_SEV", value, sizeof(value));
	is_str(value, "n", "an absent option reads as n");
	kconfig_value(cloud, "CONFIG_IKCONFIG", value, sizeof(value));
	is_str(value, "n", "'is not set' reads as n");

	is_int(kconfig_check(fragment, amd64, p, 16), 0, "Debian amd64 config: nothing missing");
	n = kconfig_check(fragment, cloud, p, 16);
	is_int(n, 1, "Debian cloud config: one problem");
	is_str(p[0].option, "CONFIG_SATA_AHCI", "cloud: no AHCI");
	is_int(p[0].warning, 1, "cloud: AHCI only a warning (by-hand boots on q35)");

	bad = without(amd64, "CONFIG_KVM");
	n = kconfig_check(fragment, bad, p, 16);
	is_int(n, 1, "without CONFIG_KVM: one problem");
	is_str(p[0].option, "CONFIG_KVM", "names CONFIG_KVM");
	is_int(p[0].warning, 0, "an error, not a warning");
	kconfig_problem_text(&p[0], line, sizeof(line));
	ok(strstr(line, "CONFIG_KVM is not set") && strstr(line, "set CONFIG_KVM=m or y"),
	   "one line with the fix: %s", line);
	free(bad);

	bad = without(amd64, "CONFIG_PVH");
	n = kconfig_check(fragment, bad, p, 16);
	ok(n == 1 && p[0].warning && !strcmp(p[0].option, "CONFIG_PVH"), "without PVH: a warning");
	free(bad);

	bad = without(cloud, "CONFIG_DEVTMPFS");
	n = kconfig_check(fragment, bad, p, 16);
	ok(n == 2 && !strcmp(p[0].option, "CONFIG_DEVTMPFS") && !p[0].warning,
	   "cloud without DEVTMPFS: an error first, in fragment order");
	free(bad);

	/* built in where a module is asked for is fine; a module where y is needed is not */
	is_int(kconfig_check("CONFIG_EXT4_FS=m\n", "CONFIG_EXT4_FS=y\n", p, 16), 0, "y satisfies =m");
	is_int(kconfig_check("CONFIG_DEVTMPFS=y\n", "CONFIG_DEVTMPFS=m\n", p, 16), 1, "m does not satisfy =y");
	is_int(kconfig_check("CONFIG_KVM\n", amd64, p, 16), -EINVAL, "a malformed fragment line is refused");
	is_int(kconfig_check("CONFIG_KVM=x\n", amd64, p, 16), -EINVAL, "a fragment value other than y/m is refused");
	free(fragment);
	free(amd64);
	free(cloud);
	return tap_done();
}
