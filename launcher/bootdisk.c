/* bootdisk.c - locate the boot disk through /sys/class/block. */
#include "bootdisk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXT_MAGIC_OFFSET 0x38
#define EXT_LABEL_OFFSET 0x78

int ext_superblock_has_label(const unsigned char *sb, const char *label)
{
	char fslabel[17];

	if (sb[EXT_MAGIC_OFFSET] != 0x53 || sb[EXT_MAGIC_OFFSET + 1] != 0xEF)
		return 0;
	memcpy(fslabel, sb + EXT_LABEL_OFFSET, 16);
	fslabel[16] = '\0';
	return strcmp(fslabel, label) == 0;
}

static int device_has_label(const char *name, const char *label)
{
	unsigned char sb[1024];
	char path[96];
	int fd, found = 0;

	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, sb, sizeof(sb), 1024) == (ssize_t)sizeof(sb))
		found = ext_superblock_has_label(sb, label);
	close(fd);
	return found;
}

/* The whole disk a partition belongs to: its parent directory in sysfs. */
static void parent_disk(const char *name, char *out, size_t len)
{
	char link[128], real[PATH_MAX], partfile[160];
	char *slash;

	snprintf(partfile, sizeof(partfile), "/sys/class/block/%s/partition", name);
	snprintf(link, sizeof(link), "/sys/class/block/%s", name);
	if (access(partfile, F_OK) == 0 && realpath(link, real)) {
		slash = strrchr(real, '/');
		if (slash) {
			*slash = '\0';
			slash = strrchr(real, '/');
			if (slash) {
				snprintf(out, len, "/dev/%s", slash + 1);
				return;
			}
		}
	}
	snprintf(out, len, "/dev/%s", name);
}

static int scan(struct bootdisk *d)
{
	DIR *dir = opendir("/sys/class/block");
	struct dirent *e;
	int rc = -ENOENT;

	if (!dir)
		return -errno;
	while ((e = readdir(dir))) {
		/* loop and ram devices are never the boot disk */
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "loop", 4) ||
		    !strncmp(e->d_name, "ram", 3))
			continue;
		if (strlen(e->d_name) + 6 > sizeof(d->fs_dev))
			continue;	/* no kernel block device has such a name */
		if (device_has_label(e->d_name, IMAGE_FS_LABEL)) {
			snprintf(d->fs_dev, sizeof(d->fs_dev), "/dev/%.*s",
				 (int)sizeof(d->fs_dev) - 6, e->d_name);
			parent_disk(e->d_name, d->disk_dev, sizeof(d->disk_dev));
			rc = 0;
			break;
		}
	}
	closedir(dir);
	return rc;
}

int bootdisk_find(struct bootdisk *d, int timeout_ms)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	/* Devices appear asynchronously after their driver loads. */
	for (int waited = 0;; waited += 20) {
		if (scan(d) == 0)
			return 0;
		if (waited >= timeout_ms)
			return -ENOENT;
		nanosleep(&pause, NULL);
	}
}
