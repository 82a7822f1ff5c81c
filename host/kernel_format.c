/* kernel_format.c - bzImage header, payload compression, PVH note,
 * IKCONFIG (see kernel_format.h).  Offsets from the x86 boot protocol
 * (Documentation/arch/x86/boot.rst) and the ELF specification. */
#include "kernel_format.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t le(const unsigned char *p, int n)
{
	uint32_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le(p + 4, 4) << 32 | le(p, 4);
}

/* Magic numbers as the kernel's decompressors (and file(1)) know them. */
static const struct {
	const char *name;
	unsigned char magic[6];
	size_t len;
} magics[] = {
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6 },
	{ "gzip", { 0x1f, 0x8b }, 2 },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
	{ "lz4", { 0x02, 0x21, 0x4c, 0x18 }, 4 },	/* legacy frame, as the kernel writes */
	{ "lzo", { 0x89, 'L', 'Z', 'O' }, 4 },
	{ "bzip2", { 'B', 'Z', 'h' }, 3 },
	{ "lzma", { 0x5d, 0x00, 0x00 }, 3 },
};

const char *compression_by_magic(const unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len && !memcmp(buf, magics[i].magic, magics[i].len))
			return magics[i].name;
	return "unknown";
}

int bzimage_parse(const unsigned char *buf, size_t len, struct bzimage_info *bz)
{
	size_t setup_sects, pm_start, vo;

	memset(bz, 0, sizeof(*bz));
	bz->compression = "unknown";
	if (len < 0x260 || memcmp(buf + 0x202, "HdrS", 4))
		return -EINVAL;
	bz->protocol = le(buf + 0x206, 2);
	if (bz->protocol < 0x0208)
		return -EINVAL;
	setup_sects = buf[0x1f1] ? buf[0x1f1] : 4;
	pm_start = (setup_sects + 1) * 512;
	/* kernel_version: a pointer to the string, minus 0x200 */
	vo = le(buf + 0x20e, 2);
	if (vo && vo + 0x200 < len) {
		const char *v = (const char *)buf + vo + 0x200;
		size_t max = len - vo - 0x200;

		snprintf(bz->version, sizeof(bz->version), "%.*s", (int)strnlen(v, max), v);
		snprintf(bz->release, sizeof(bz->release), "%.*s", (int)strcspn(bz->version, " "),
			 bz->version);
	}
	bz->payload_offset = pm_start + le(buf + 0x248, 4);
	bz->payload_length = le(buf + 0x24c, 4);
	if (bz->payload_offset < len)
		bz->compression = compression_by_magic(buf + bz->payload_offset,
						       len - bz->payload_offset);
	return 0;
}

#define PT_NOTE 4
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* Walk the notes in [p, end): any "Xen" note of the PVH type? */
static int notes_have_pvh(const unsigned char *p, const unsigned char *end)
{
	while (p + 12 <= end) {
		uint32_t namesz = le(p, 4), descsz = le(p + 4, 4), type = le(p + 8, 4);
		size_t name_pad = (namesz + 3) & ~3u, desc_pad = (descsz + 3) & ~3u;

		if ((size_t)(end - p) < 12 + name_pad + desc_pad)
			break;
		if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 && !memcmp(p + 12, "Xen", 4))
			return 1;
		p += 12 + name_pad + desc_pad;
	}
	return 0;
}

int elf_has_pvh_note(const unsigned char *buf, size_t len)
{
	uint64_t phoff;
	unsigned phentsize, phnum;

	/* ELF64, little-endian */
	if (len < 64 || memcmp(buf, "\177ELF", 4) || buf[4] != 2 || buf[5] != 1)
		return -EINVAL;
	phoff = le64(buf + 0x20);
	phentsize = le(buf + 0x36, 2);
	phnum = le(buf + 0x38, 2);
	if (phentsize < 56 || phoff > len || (uint64_t)phnum * phentsize > len - phoff)
		return -EINVAL;
	for (unsigned i = 0; i < phnum; i++) {
		const unsigned char *ph = buf + phoff + (uint64_t)i * phentsize;
		uint64_t off = le64(ph + 8), size = le64(ph + 32);

		if (le(ph, 4) != PT_NOTE || off > len || size > len - off)
			continue;
		if (notes_have_pvh(buf + off, buf + off + size))
			return 1;
	}
	return 0;
}

long ikconfig_offset(const unsigned char *buf, size_t len)
{
	static const char marker[] = "IKCFG_ST";
	const size_t n = sizeof(marker) - 1;

	for (size_t i = 0; i + n + 2 <= len; i++) {
		const unsigned char *hit = memchr(buf + i, 'I', len - n - 2 - i + 1);

		if (!hit)
			break;
		i = (size_t)(hit - buf);
		if (!memcmp(hit, marker, n) && hit[n] == 0x1f && hit[n + 1] == 0x8b)
			return (long)(i + n);
	}
	return -1;
}
