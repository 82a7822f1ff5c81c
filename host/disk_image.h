/* disk_image.h - look inside supernested.img from the host: where its
 * filesystem starts (MBR partition 1), and copy the kernel and initrd out
 * of it (with e2fsprogs' debugfs) so level 1 can boot them directly. */
#ifndef SUPERNESTED_DISK_IMAGE_H
#define SUPERNESTED_DISK_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Pure: byte offset of the first partition in a 512-byte MBR, or -EINVAL
 * when @mbr has no boot signature or no partition 1. */
long long mbr_first_partition_offset(const unsigned char *mbr);

/* Check @image is a supernested disk; sets *@offset. -errno with @err set. */
int image_open_check(const char *image, long long *offset, char *err, size_t errlen);

/* Copy @inner (a path inside the image's filesystem) to @out. */
int image_extract(const char *image, long long offset, const char *inner, const char *out,
		  char *err, size_t errlen);

struct image_info;

/* Read the image's release file (version, kernel, child kernel) by way of a
 * copy at @scratch.  An image without one keeps the defaults: returns 0. */
int image_read_info(const char *image, long long offset, const char *scratch,
		    struct image_info *info, char *err, size_t errlen);

#endif
