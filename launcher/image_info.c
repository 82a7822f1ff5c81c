/* image_info.c - the image's self-description and the kernel's entry (see
 * image_info.h). */
#include "image_info.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void image_info_defaults(struct image_info *i)
{
	memset(i, 0, sizeof(*i));
	snprintf(i->version, sizeof(i->version), "unknown");
	snprintf(i->kernel_release, sizeof(i->kernel_release), "unknown");
	snprintf(i->child_kernel, sizeof(i->child_kernel), "/boot/vmlinux");
	snprintf(i->qemu_version, sizeof(i->qemu_version), "unknown");
}

static const struct {
	const char *key;
	size_t offset, len;
} keys[] = {
	{ "version", offsetof(struct image_info, version), sizeof(((struct image_info *)0)->version) },
	{ "kernel_release", offsetof(struct image_info, kernel_release),
	  sizeof(((struct image_info *)0)->kernel_release) },
	{ "child_kernel", offsetof(struct image_info, child_kernel),
	  sizeof(((struct image_info *)0)->child_kernel) },
	{ "qemu_version", offsetof(struct image_info, qemu_version),
	  sizeof(((struct image_info *)0)->qemu_version) },
};

int image_info_parse(const char *text, struct image_info *i)
{
	int rc = 0;

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *eq = memchr(line, '=', len);

		if (len && !eq)
			rc = -EINVAL;
		for (size_t k = 0; eq && k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t klen = strlen(keys[k].key), vlen = len - (size_t)(eq + 1 - line);

			if ((size_t)(eq - line) != klen || strncmp(line, keys[k].key, klen))
				continue;
			if (vlen >= keys[k].len) {
				rc = -EINVAL;
				break;
			}
			memcpy((char *)i + keys[k].offset, eq + 1, vlen);
			((char *)i + keys[k].offset)[vlen] = '\0';
		}
		line = nl ? nl + 1 : NULL;
	}
	return rc;
}

/* Loader IDs of the x86 boot protocol (Documentation/arch/x86/boot.rst);
 * PVH is told apart by its protocol version (see image_info.h). */
static const struct {
	unsigned char id;
	const char *name;
} loaders[] = {
	{ 0x3, "syslinux" }, { 0x7, "grub" }, { 0x9, "pvh" }, { 0xb, "bzimage" },
};

const char *boot_entry_name(unsigned char type_of_loader, unsigned protocol)
{
	/* arch/x86/platform/pvh/enlighten.c: Xen's ID under Xen, else qemu's */
	if ((type_of_loader >> 4 == 0xb || type_of_loader >> 4 == 0x9) &&
	    protocol == PVH_BOOT_PROTOCOL)
		return "pvh";
	for (size_t k = 0; k < sizeof(loaders) / sizeof(loaders[0]); k++)
		if (type_of_loader >> 4 == loaders[k].id)
			return loaders[k].name;
	return "other";
}
