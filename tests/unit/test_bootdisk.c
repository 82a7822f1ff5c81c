/* test_bootdisk.c - ext2/3/4 superblock label recognition, on fabricated and mke2fs-made superblocks. */
#include "tap.h"
#include "bootdisk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A zeroed 1024-byte superblock with @magic (as stored, little endian) and @label. */
static void make_sb(unsigned char *sb, unsigned magic, const char *label, size_t label_len)
{
	memset(sb, 0, 1024);
	sb[0x38] = (unsigned char)(magic & 0xff);
	sb[0x39] = (unsigned char)(magic >> 8);
	memcpy(sb + 0x78, label, label_len);
}

static void test_fabricated(void)
{
	unsigned char sb[1024];

	make_sb(sb, 0xEF53, "supernested", 11);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 1, "ext magic and label supernested");
	is_int(ext_superblock_has_label(sb, "supernested2"), 0, "longer label asked: no");
	is_int(ext_superblock_has_label(sb, "supernest"), 0, "prefix of the label asked: no");
	is_int(ext_superblock_has_label(sb, ""), 0, "empty label asked: no");
	is_int(ext_superblock_has_label(sb, "Supernested"), 0, "labels are case sensitive");

	make_sb(sb, 0x53EF, "supernested", 11);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 0, "magic in the wrong byte order: no");
	make_sb(sb, 0xEF52, "supernested", 11);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 0, "wrong magic: no");
	make_sb(sb, 0, "supernested", 11);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 0, "no magic: no");

	make_sb(sb, 0xEF53, "rootfs", 6);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 0, "other label: no");
	make_sb(sb, 0xEF53, "", 0);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 0, "no label: no");
	is_int(ext_superblock_has_label(sb, ""), 1, "no label, empty label asked: yes");

	/* a label filling all 16 bytes has no NUL of its own */
	make_sb(sb, 0xEF53, "abcdefghijklmnop", 16);
	sb[0x78 + 16] = 'Z';	/* the field after the label */
	is_int(ext_superblock_has_label(sb, "abcdefghijklmnop"), 1, "16-char label");
	is_int(ext_superblock_has_label(sb, "abcdefghijklmnopZ"), 0, "16-char label: the next field is not read");
	is_int(ext_superblock_has_label(sb, "abcdefghijklmno"), 0, "16-char label: 15-char prefix is not it");

	make_sb(sb, 0xEF53, "supernested\0xyz", 15);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 1, "bytes after the label's NUL ignored");

	/* only the magic and the label matter */
	make_sb(sb, 0xEF53, "supernested", 11);
	memset(sb, 0xff, 0x38);
	memset(sb + 0x3a, 0xff, 0x78 - 0x3a);
	memset(sb + 0x88, 0xff, 1024 - 0x88);
	is_int(ext_superblock_has_label(sb, IMAGE_FS_LABEL), 1, "other fields do not matter");
}

static const char *find_mke2fs(void)
{
	static const char *const where[] = { "/sbin/mke2fs", "/usr/sbin/mke2fs", "/usr/bin/mke2fs", "/bin/mke2fs" };

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

/* mke2fs -q -F -t @type -L @label @file 1024; returns its exit status or -1. */
static int run_mke2fs(const char *mke2fs, const char *type, const char *label, const char *file)
{
	int status, devnull;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *const argv[] = { (char *)mke2fs, "-q", "-F", "-t", (char *)type, "-L", (char *)label,
				       (char *)file, "1024", NULL };

		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execv(mke2fs, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_mke2fs(void)
{
	static const char *const types[] = { "ext2", "ext4" };
	const char *mke2fs = find_mke2fs();
	char file[] = "/tmp/bootdisk-test-XXXXXX";
	unsigned char sb[1024];
	int fd;

	if (!mke2fs) {
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			tap_skip("mke2fs not found: real superblock test skipped");
		return;
	}
	fd = mkstemp(file);
	if (fd < 0) {
		ok(0, "mkstemp: %s", strerror(errno));
		return;
	}
	close(fd);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int rc = run_mke2fs(mke2fs, types[i], IMAGE_FS_LABEL, file);
		int good = 0;

		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (rc == 0 && fd >= 0 && pread(fd, sb, sizeof(sb), 1024) == (ssize_t)sizeof(sb))
			good = ext_superblock_has_label(sb, IMAGE_FS_LABEL) == 1 &&
			       ext_superblock_has_label(sb, "other") == 0;
		if (fd >= 0)
			close(fd);
		ok(good, "%s made by mke2fs -L %s: recognised, other label not", types[i], IMAGE_FS_LABEL);
	}
	unlink(file);
}

int main(void)
{
	test_fabricated();
	test_mke2fs();
	return tap_done();
}
