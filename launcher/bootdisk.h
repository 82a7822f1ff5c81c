/* bootdisk.h - find the disk this level booted from, whatever bus it is on
 * (IDE/SATA at a level booted by hand, virtio below), by the label of the
 * image's filesystem. */
#ifndef SUPERNESTED_BOOTDISK_H
#define SUPERNESTED_BOOTDISK_H

#include <stddef.h>

#define IMAGE_FS_LABEL "supernested"

struct bootdisk {
	char fs_dev[64];	/* the filesystem: /dev/sda1 */
	char disk_dev[64];	/* the whole disk it is on: /dev/sda */
};

/* Pure: is @sb (1024 bytes read at offset 1024) an ext2/3/4 superblock with
 * label @label? */
int ext_superblock_has_label(const unsigned char *sb, const char *label);

/* Scan block devices for the image's filesystem, waiting up to @timeout_ms
 * for it to appear. Returns 0 or -ENOENT. */
int bootdisk_find(struct bootdisk *d, int timeout_ms);

#endif
