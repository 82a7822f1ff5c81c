/* kernel_config.h - check a kernel's .config against the options
 * supernested needs (image/kernel.config, a merge_config.sh fragment).
 * Pure logic. */
#ifndef SUPERNESTED_KERNEL_CONFIG_H
#define SUPERNESTED_KERNEL_CONFIG_H

#include <stddef.h>

struct kconfig_problem {
	char option[64];	/* "CONFIG_KVM" */
	char want[4];		/* "m" (y or m will do) or "y" */
	char have[16];		/* "n" (not set / absent), "m", or another value */
	char why[120];		/* the fragment's comment above the option */
	int warning;		/* below the optional marker: costs speed, not function */
};

/* The value of @option ("CONFIG_KVM") in @config: "y", "m", a string, or
 * "n" when it is not set or absent.  Copies at most @len bytes. */
void kconfig_value(const char *config, const char *option, char *out, size_t len);

/* Compare @config with the @fragment's requirements.  Fills up to @max
 * problems, errors and warnings, in fragment order.  Returns how many
 * there are (possibly more than @max), or -EINVAL for a malformed fragment. */
int kconfig_check(const char *fragment, const char *config, struct kconfig_problem *p, int max);

/* One line for a problem: what is wrong, why it matters, the fix. */
void kconfig_problem_text(const struct kconfig_problem *p, char *out, size_t len);

#define KCONFIG_OPTIONAL_MARKER "# supernested: optional"

#endif
