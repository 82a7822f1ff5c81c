/* disk_image.c - MBR parsing and file extraction (see disk_image.h). */
#include "disk_image.h"
#include "image_info.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

long long mbr_first_partition_offset(const unsigned char *mbr)
{
	const unsigned char *p = mbr + 446;	/* partition entry 1 */
	uint32_t lba;

	if (mbr[510] != 0x55 || mbr[511] != 0xAA || p[4] == 0)
		return -EINVAL;
	lba = (uint32_t)p[8] | (uint32_t)p[9] << 8 | (uint32_t)p[10] << 16 | (uint32_t)p[11] << 24;
	if (lba == 0)
		return -EINVAL;
	return (long long)lba * 512;
}

int image_open_check(const char *image, long long *offset, char *err, size_t errlen)
{
	unsigned char mbr[512], sb[1024];
	int fd = open(image, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "image %s: %s (build it with: make image)", image,
			 strerror(errno));
		return rc;
	}
	if (pread(fd, mbr, sizeof(mbr), 0) != (ssize_t)sizeof(mbr) ||
	    (*offset = mbr_first_partition_offset(mbr)) < 0) {
		snprintf(err, errlen, "%s is not a supernested image: no MBR partition table", image);
		rc = -EINVAL;
	} else if (pread(fd, sb, sizeof(sb), *offset + 1024) != (ssize_t)sizeof(sb) ||
		   sb[0x38] != 0x53 || sb[0x39] != 0xEF || strncmp((char *)sb + 0x78, "supernested", 16)) {
		snprintf(err, errlen, "%s is not a supernested image: partition 1 is not its filesystem",
			 image);
		rc = -EINVAL;
	}
	close(fd);
	return rc;
}

int image_extract(const char *image, long long offset, const char *inner, const char *out,
		  char *err, size_t errlen)
{
	char spec[4200], request[600];
	struct stat st;
	int status;
	pid_t pid;

	snprintf(spec, sizeof(spec), "%s?offset=%lld", image, offset);
	snprintf(request, sizeof(request), "dump %s %s", inner, out);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		dup2(devnull, 2);
		execlp("debugfs", "debugfs", "-R", request, spec, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "cannot run debugfs to read %s from %s: install e2fsprogs",
			 inner, image);
		return -EIO;
	}
	if (stat(out, &st) < 0 || st.st_size == 0) {
		snprintf(err, errlen, "%s has no %s: rebuild it with make image", image, inner);
		return -ENOENT;
	}
	return 0;
}

int image_read_info(const char *image, long long offset, const char *scratch,
		    struct image_info *info, char *err, size_t errlen)
{
	char text[IMAGE_INFO_MAX];
	FILE *f;
	size_t n;

	image_info_defaults(info);
	if (image_extract(image, offset, IMAGE_INFO_PATH, scratch, err, errlen) < 0)
		return 0;	/* an image from before versions */
	f = fopen(scratch, "re");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", scratch, strerror(errno));
		return -errno;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	if (image_info_parse(text, info) < 0) {
		snprintf(err, errlen, "%s: %s has a malformed line", image, IMAGE_INFO_PATH);
		return -EINVAL;
	}
	return 0;
}
