/* test_image_info.c - the image's self-description (as the image build
 * writes it) and the boot protocol's loader types. */
#include "tap.h"
#include "image_info.h"

#include <errno.h>
#include <stdlib.h>

int main(void)
{
	struct image_info i;
	char *text = tap_slurp(SRCDIR "/tests/data/supernested-release");

	image_info_defaults(&i);
	is_str(i.version, "unknown", "an image that says nothing: version unknown");
	is_str(i.child_kernel, "/boot/vmlinux", "an image that says nothing: PVH vmlinux");

	/* a file written by image/build-image.sh */
	ok(text != NULL, "recorded release file readable");
	is_int(image_info_parse(text ? text : "", &i), 0, "recorded release file parses");
	ok(i.version[0] && strcmp(i.version, "unknown"), "version read (%s)", i.version);
	is_str(i.kernel_release, "6.1.0-56-amd64", "kernel release read");
	is_str(i.child_kernel, "/boot/vmlinux", "child kernel read");
	ok(!strncmp(i.qemu_version, "7.", 2), "qemu version read (%s)", i.qemu_version);
	free(text);

	image_info_defaults(&i);
	is_int(image_info_parse("future_key=1\nchild_kernel=/boot/vmlinuz\n", &i), 0,
	       "unknown keys skipped");
	is_str(i.child_kernel, "/boot/vmlinuz", "bzImage for a kernel without PVH");
	is_str(i.version, "unknown", "absent keys keep their defaults");
	is_int(image_info_parse("version\n", &i), -EINVAL, "a line without '=' is malformed");
	is_int(image_info_parse("version=0123456789012345678901234567890123456789012345678901234567890123456789\n", &i),
	       -EINVAL, "an over-long value is refused");
	is_str(i.version, "unknown", "an over-long value leaves the field alone");
	is_int(image_info_parse("", &i), 0, "empty text parses");

	/* type_of_loader and protocol as the kernel's PVH entry (0xb0 under
	 * KVM, 0x90 under Xen; 2.12), qemu's bzImage loader (0xb0; the 6.1
	 * bzImage's own 2.15) and syslinux 6.04 (0x31) leave them */
	is_str(boot_entry_name(0xb0, 0x020c), "pvh", "PVH entry under KVM");
	is_str(boot_entry_name(0x90, 0x020c), "pvh", "PVH entry under Xen");
	is_str(boot_entry_name(0xb0, 0x020f), "bzimage", "qemu -kernel bzImage");
	is_str(boot_entry_name(0x31, 0x020f), "syslinux", "syslinux");
	is_str(boot_entry_name(0x72, 0x020f), "grub", "grub");
	is_str(boot_entry_name(0x00, 0x020f), "other", "LILO or unset: other");
	return tap_done();
}
