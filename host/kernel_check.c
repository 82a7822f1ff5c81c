/* kernel_check.c - read kernel files and report (see kernel_check.h). */
#include "kernel_check.h"
#include "kernel_config.h"
#include "kernel_format.h"
#include "slurp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BZIMAGE_HEAD (256 * 1024)
#define PROBLEMS_MAX 64

static int check_bzimage(const char *path)
{
	struct bzimage_info bz;
	unsigned char *buf;
	size_t len;

	buf = (unsigned char *)slurp(path, BZIMAGE_HEAD, &len);
	if (!buf) {
		fprintf(stderr, "supernested: cannot read kernel %s: %s\n", path, strerror(errno));
		return 3;
	}
	if (bzimage_parse(buf, len, &bz) < 0) {
		fprintf(stderr, "supernested: %s is not an x86 bzImage (boot protocol 2.08 or later): "
			"pass arch/x86/boot/bzImage\n", path);
		free(buf);
		return 3;
	}
	printf("release=%s\ncompression=%s\npayload_offset=%zu\npayload_length=%zu\nprotocol=%u.%02u\n",
	       bz.release, bz.compression, bz.payload_offset, bz.payload_length,
	       bz.protocol >> 8, bz.protocol & 0xff);
	free(buf);
	return 0;
}

static int check_vmlinux(const char *path)
{
	unsigned char *buf;
	size_t len;
	int pvh;

	buf = (unsigned char *)slurp(path, 0, &len);
	if (!buf) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", path, strerror(errno));
		return 3;
	}
	pvh = elf_has_pvh_note(buf, len);
	if (pvh < 0) {
		fprintf(stderr, "supernested: %s is not an ELF64 kernel\n", path);
		free(buf);
		return 3;
	}
	printf("pvh=%d\nikconfig_offset=%ld\n", pvh, ikconfig_offset(buf, len));
	free(buf);
	return 0;
}

static int check_config(const char *config_path, const char *fragment_path)
{
	static struct kconfig_problem p[PROBLEMS_MAX];
	char *config, *fragment, line[400];
	size_t len;
	int n, errors = 0;

	config = slurp(config_path, 0, &len);
	fragment = slurp(fragment_path, 0, &len);
	if (!config || !fragment) {
		fprintf(stderr, "supernested: cannot read %s: %s\n",
			config ? fragment_path : config_path, strerror(errno));
		free(config);
		free(fragment);
		return 3;
	}
	n = kconfig_check(fragment, config, p, PROBLEMS_MAX);
	if (n < 0)
		fprintf(stderr, "supernested: %s is not a config fragment (CONFIG_X=y|m lines)\n",
			fragment_path);
	for (int i = 0; i < n && i < PROBLEMS_MAX; i++) {
		kconfig_problem_text(&p[i], line, sizeof(line));
		fprintf(stderr, "supernested: %s\n", line);
		errors += !p[i].warning;
	}
	if (errors)
		fprintf(stderr, "supernested: %s: %d needed option%s missing; merge %s "
			"(scripts/kconfig/merge_config.sh -m .config %s; make olddefconfig) and rebuild the kernel\n",
			config_path, errors, errors > 1 ? "s" : "", fragment_path, fragment_path);
	printf("config_errors=%d\nconfig_warnings=%d\n", errors, n < 0 ? 0 : n - errors);
	free(config);
	free(fragment);
	return n < 0 ? 3 : errors ? 1 : 0;
}

int kernel_check(const struct kernel_check_options *o)
{
	int rc = 0, r;

	if (o->bzimage && (r = check_bzimage(o->bzimage)) > rc)
		rc = r;
	if (o->vmlinux && (r = check_vmlinux(o->vmlinux)) > rc)
		rc = r;
	if (o->config && (r = check_config(o->config, o->fragment)) > rc)
		rc = r;
	return rc;
}
