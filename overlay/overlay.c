/* overlay.c - bounded tmpfs + qcow2 overlay file (see overlay.h). */
#include "overlay.h"
#include "qcow2.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Size of a block device or regular file. */
static int backing_size(const char *path, uint64_t *size)
{
	struct stat st;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (S_ISBLK(st.st_mode))
		rc = ioctl(fd, BLKGETSIZE64, size) < 0 ? -errno : 0;
	else
		*size = (uint64_t)st.st_size;
	close(fd);
	return rc;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int overlay_write(const char *path, const char *backing, char *err, size_t errlen)
{
	uint64_t vsize = 0;
	size_t len;
	void *buf;
	int fd, rc;

	rc = backing_size(backing, &vsize);
	if (rc < 0) {
		snprintf(err, errlen, "cannot size backing disk %s: %s", backing, strerror(-rc));
		return rc;
	}
	len = qcow2_overlay_size(vsize);
	buf = calloc(1, len);
	if (!buf) {
		snprintf(err, errlen, "no memory for a %zu byte overlay header", len);
		return -ENOMEM;
	}
	rc = qcow2_overlay_build(buf, len, backing, vsize);
	if (rc < 0) {
		snprintf(err, errlen, "cannot describe %s as a qcow2 backing file: %s",
			 backing, strerror(-rc));
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "create %s: %s", path, strerror(errno));
		goto out;
	}
	rc = write_all(fd, buf, len);
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		snprintf(err, errlen, "write %s: %s", path, strerror(-rc));
out:
	free(buf);
	return rc;
}

int overlay_create(const char *dir, int size_mb, const char *backing,
		   char *out, size_t outlen, char *err, size_t errlen)
{
	char opts[64];
	int rc;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
		return rc;
	}
	snprintf(opts, sizeof(opts), "size=%dm,mode=0700", size_mb);
	if (mount("overlay-tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		rc = -errno;
		snprintf(err, errlen, "mount tmpfs on %s: %s", dir, strerror(errno));
		return rc;
	}
	if (snprintf(out, outlen, "%s/child.qcow2", dir) >= (int)outlen) {
		snprintf(err, errlen, "overlay path too long");
		rc = -ENAMETOOLONG;
	} else {
		rc = overlay_write(out, backing, err, errlen);
	}
	if (rc < 0)
		umount(dir);
	return rc;
}
