/* test_kernel_format.c - bzImage headers and payload compression, PVH
 * notes and IKCONFIG markers, on real Debian kernels: the first 32 KiB of
 * the 6.1 amd64 (xz) and cloud-amd64 (lz4) bzImages, and the vmlinux the
 * image build extracted, when it is there. */
#include "tap.h"
#include "kernel_format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *load(const char *path, size_t *len)
{
	return (unsigned char *)slurp(path, 0, len);
}

static void bzimage(const char *file, const char *release, const char *compression)
{
	char path[512];
	struct bzimage_info bz;
	unsigned char *buf;
	size_t len = 0;

	snprintf(path, sizeof(path), SRCDIR "/tests/data/%s", file);
	buf = load(path, &len);
	ok(buf != NULL, "%s readable", file);
	if (!buf)
		return;
	is_int(bzimage_parse(buf, len, &bz), 0, "%s: a bzImage", file);
	is_str(bz.release, release, "%s: release from the header's version string", file);
	is_str(bz.compression, compression, "%s: payload compression", file);
	ok(bz.protocol >= 0x020f, "%s: boot protocol %x", file, bz.protocol);
	ok(bz.payload_length > 1000000, "%s: payload length %zu", file, bz.payload_length);
	/* the same header without its "HdrS": refused */
	memcpy(buf + 0x202, "XXXX", 4);
	is_int(bzimage_parse(buf, len, &bz), -EINVAL, "%s without HdrS: not a bzImage", file);
	free(buf);
}

int main(void)
{
	static const unsigned char gzip[] = { 0x1f, 0x8b, 0x08, 0x00 };
	static const unsigned char zstd[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x04 };
	static const unsigned char lzo[] = { 0x89, 'L', 'Z', 'O', 0x00 };
	static const unsigned char ik[] = "xxIKCFG_STxx\0IKCFG_ST\x1f\x8b\x08";
	unsigned char *buf;
	size_t len = 0;

	bzimage("vmlinuz-6.1.0-56-amd64.head", "6.1.0-56-amd64", "xz");
	bzimage("vmlinuz-6.1.0-56-cloud-amd64.head", "6.1.0-56-cloud-amd64", "lz4");

	/* the magic numbers the kernel's compressors write (CONFIG_KERNEL_*) */
	is_str(compression_by_magic(gzip, sizeof(gzip)), "gzip", "gzip magic");
	is_str(compression_by_magic(zstd, sizeof(zstd)), "zstd", "zstd magic");
	is_str(compression_by_magic(lzo, sizeof(lzo)), "lzo", "lzo magic");
	is_str(compression_by_magic(gzip, 1), "unknown", "a truncated magic is unknown");

	/* IKCONFIG: the marker followed by a gzip stream, not a bare marker */
	is_int(ikconfig_offset(ik, sizeof(ik) - 1), 21, "IKCFG_ST before a gzip stream found");
	is_int(ikconfig_offset(ik, 12), -1, "a marker without gzip after it is not a config");

	/* PVH: the real extracted vmlinux has the note; a real ELF program does not */
	buf = load(SRCDIR "/build/image/root/boot/vmlinux", &len);
	if (buf)
		is_int(elf_has_pvh_note(buf, len), 1, "Debian vmlinux has the PVH entry note");
	else
		tap_skip("no extracted vmlinux (make image)");
	free(buf);
	buf = load("/bin/true", &len);
	ok(buf != NULL, "/bin/true readable");
	if (buf) {
		is_int(elf_has_pvh_note(buf, len), 0, "an ELF program has no PVH note");
		is_int(elf_has_pvh_note(buf, 40), -EINVAL, "a truncated ELF is refused");
	}
	free(buf);
	buf = load(SRCDIR "/tests/data/vmlinuz-6.1.0-56-amd64.head", &len);
	if (buf)
		is_int(elf_has_pvh_note(buf, len), -EINVAL, "a bzImage is no ELF vmlinux");
	free(buf);
	return tap_done();
}
