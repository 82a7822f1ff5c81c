/* image_info.h - what an image says about itself (/etc/supernested-release,
 * written by the image build): its version, its kernel's release, and
 * which kernel file the levels boot directly.  Read by every level's
 * launcher and by the host tool.  Also how this kernel was entered, from
 * the boot protocol's loader type.  Pure logic. */
#ifndef SUPERNESTED_IMAGE_INFO_H
#define SUPERNESTED_IMAGE_INFO_H

#include <stddef.h>

#define IMAGE_INFO_PATH "/etc/supernested-release"
#define IMAGE_INFO_MAX 4096

struct image_info {
	char version[64];		/* "0.2.0+g1234abcd5678" */
	char kernel_release[64];	/* "6.1.0-56-amd64" */
	char child_kernel[64];		/* /boot/vmlinux (PVH) or /boot/vmlinuz */
	char qemu_version[64];		/* "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)" */
};

/* Defaults for an image that says nothing: version "unknown", PVH vmlinux. */
void image_info_defaults(struct image_info *i);

/* Parse "key=value" lines over @i.  Unknown keys are skipped (newer images).
 * Returns 0, or -EINVAL for a line without '=' or a value too long. */
int image_info_parse(const char *text, struct image_info *i);

/* How the kernel was entered, from boot_params' type_of_loader (offset
 * 0x210) and boot protocol version (0x206): "pvh", "bzimage" (qemu
 * -kernel), "syslinux", "grub", "other".  The kernel's PVH entry fills in
 * qemu's loader ID under KVM, as qemu's bzImage loader does, but protocol
 * 2.12, where a bzImage's own header (kept by its loader) says 2.13 or
 * later for every kernel with PVH support. */
const char *boot_entry_name(unsigned char type_of_loader, unsigned protocol);

#define BOOT_PARAMS_SYSFS "/sys/kernel/boot_params/data"
#define BOOT_PARAMS_LOADER_OFFSET 0x210
#define BOOT_PARAMS_VERSION_OFFSET 0x206
#define PVH_BOOT_PROTOCOL 0x020c

#endif
