/* kernel_format.h - what a kernel file is, read from its bytes: a bzImage's
 * boot protocol header (version string, compression of its payload), an
 * ELF vmlinux's PVH entry note, a config embedded by IKCONFIG.  Decides at
 * image build time how levels boot.  Pure logic. */
#ifndef SUPERNESTED_KERNEL_FORMAT_H
#define SUPERNESTED_KERNEL_FORMAT_H

#include <stddef.h>

struct bzimage_info {
	unsigned protocol;		/* boot protocol, 0x020f = 2.15 */
	char version[128];		/* "6.1.0-56-amd64 (debian-kernel@...) #1 SMP ..." */
	char release[64];		/* its first word: "6.1.0-56-amd64" */
	size_t payload_offset, payload_length;	/* in the file */
	const char *compression;	/* "xz", "gzip", "zstd", "lz4", "lzo", "lzma", "bzip2", "unknown" */
};

/* Parse the first @len bytes of a bzImage (the header and the payload's
 * first bytes: 64 KiB is plenty).  Returns 0, or -EINVAL when it is not a
 * bzImage of boot protocol 2.08 or later (which records the payload). */
int bzimage_parse(const unsigned char *buf, size_t len, struct bzimage_info *bz);

/* Compression named by a stream's magic number, "unknown" when none fits. */
const char *compression_by_magic(const unsigned char *buf, size_t len);

/* Does the ELF64 kernel @buf carry the PVH entry note (Xen note type 18,
 * XEN_ELFNOTE_PHYS32_ENTRY) that qemu -kernel needs to boot it directly?
 * Returns 1, 0, or -EINVAL when @buf is no ELF64 file. */
int elf_has_pvh_note(const unsigned char *buf, size_t len);

/* Offset of the gzip stream of an IKCONFIG config ("IKCFG_ST" marker, as
 * scripts/extract-ikconfig finds it) in @buf, or -1. */
long ikconfig_offset(const unsigned char *buf, size_t len);

#endif
