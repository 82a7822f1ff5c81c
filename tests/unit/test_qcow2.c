/* test_qcow2.c - the qcow2 overlay bytes, decoded field by field, then checked by qemu-img when present. */
#include "tap.h"
#include "qcow2.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1024ULL * 1024)
#define CLUSTER 65536ULL

static uint64_t get_be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_sizes(void)
{
	is_int(QCOW2_CLUSTER_SIZE, 65536, "cluster size 64 KiB");
	/* header, refcount table, refcount block, L1 clusters */
	is_int(qcow2_overlay_size(256 * MiB), 4 * CLUSTER, "256 MiB: 4 clusters");
	is_int(qcow2_overlay_size(1), 4 * CLUSTER, "1 byte: 4 clusters");
	is_int(qcow2_overlay_size(512 * MiB), 4 * CLUSTER, "512 MiB (one L2 table): 4 clusters");
	is_int(qcow2_overlay_size(512 * MiB + 1), 4 * CLUSTER, "512 MiB + 1: still one L1 cluster");
	is_int(qcow2_overlay_size(4096ULL * 1024 * MiB), 4 * CLUSTER, "4 TiB: 8192 L1 entries, one cluster");
	is_int(qcow2_overlay_size(4096ULL * 1024 * MiB + 1), 5 * CLUSTER, "4 TiB + 1: two L1 clusters");
	is_int(qcow2_overlay_size(64ULL * 1024 * 1024 * MiB), 19 * CLUSTER, "64 TiB: 16 L1 clusters");
	ok(qcow2_overlay_size(UINT64_MAX) > qcow2_overlay_size(64ULL * 1024 * 1024 * MiB),
	   "the largest size needs more than 64 TiB does (no wrap-around)");
}

static void test_layout(void)
{
	const uint64_t vsize = 256 * MiB;
	const char *backing = "/dev/vda";
	size_t len = qcow2_overlay_size(vsize);
	uint8_t *buf = calloc(1, len);
	const uint8_t *ext, *rt, *rb;
	int refs_ok = 1;

	if (!buf) {
		ok(0, "calloc");
		return;
	}
	is_int(qcow2_overlay_build(buf, len, backing, vsize), 0, "build 256 MiB overlay of /dev/vda");

	ok(memcmp(buf, "QFI\xfb", 4) == 0, "magic QFI\\xfb");
	is_int(get_be(buf + 4, 4), 3, "version 3");
	is_int(get_be(buf + 8, 8), 128, "backing file offset: after header and extensions");
	is_int(get_be(buf + 16, 4), strlen(backing), "backing file name length");
	is_int(get_be(buf + 20, 4), 16, "cluster bits 16");
	is_int(get_be(buf + 24, 8), vsize, "virtual size");
	is_int(get_be(buf + 32, 4), 0, "no encryption");
	is_int(get_be(buf + 36, 4), 1, "L1 size: one entry maps 512 MiB");
	is_int(get_be(buf + 40, 8), 3 * CLUSTER, "L1 table offset: cluster 3");
	is_int(get_be(buf + 48, 8), 1 * CLUSTER, "refcount table offset: cluster 1");
	is_int(get_be(buf + 56, 4), 1, "refcount table clusters: 1");
	is_int(get_be(buf + 60, 4), 0, "no snapshots");
	is_int(get_be(buf + 64, 8), 0, "snapshots offset 0");
	is_int(get_be(buf + 72, 8), 0, "no incompatible features");
	is_int(get_be(buf + 80, 8), 0, "no compatible features");
	is_int(get_be(buf + 88, 8), 0, "no autoclear features");
	is_int(get_be(buf + 96, 4), 4, "refcount order 4 (16-bit)");
	is_int(get_be(buf + 100, 4), 104, "header length 104");
	is_int(get_be(buf + 100, 4) % 8, 0, "header length a multiple of 8");

	ext = buf + 104;
	is_int(get_be(ext, 4), 0xE2792ACAu, "extension: backing file format");
	is_int(get_be(ext + 4, 4), 3, "extension: length 3");
	ok(memcmp(ext + 8, "raw", 3) == 0, "extension: \"raw\"");
	ok(all_zero(ext + 11, 5), "extension: padded to 8 bytes with zeros");
	is_int(get_be(ext + 16, 4), 0, "end of extensions: type 0");
	is_int(get_be(ext + 20, 4), 0, "end of extensions: length 0");
	ok(memcmp(buf + 128, backing, strlen(backing)) == 0, "backing name at its offset");
	ok(all_zero(buf + 128 + strlen(backing), CLUSTER - 128 - strlen(backing)),
	   "rest of cluster 0 is zero");

	rt = buf + CLUSTER;
	is_int(get_be(rt, 8), 2 * CLUSTER, "refcount table entry 0 -> block at cluster 2");
	ok(all_zero(rt + 8, CLUSTER - 8), "other refcount table entries zero");
	rb = buf + 2 * CLUSTER;
	for (int c = 0; c < 4; c++)
		refs_ok &= get_be(rb + 2 * c, 2) == 1;
	ok(refs_ok, "refcount 1 for each of the 4 metadata clusters");
	is_int(get_be(rb + 8, 2), 0, "refcount 0 for cluster 4");
	ok(all_zero(rb + 8, CLUSTER - 8), "refcount 0 for every cluster after the metadata");
	ok(all_zero(buf + 3 * CLUSTER, CLUSTER), "L1 table all zero: nothing allocated");
	free(buf);
}

static void test_errors(void)
{
	size_t len = qcow2_overlay_size(256 * MiB);
	uint8_t *buf = calloc(1, len);
	char name[1025];

	if (!buf) {
		ok(0, "calloc");
		return;
	}
	is_int(qcow2_overlay_build(buf, len, "", 256 * MiB), -EINVAL, "empty backing name: -EINVAL");
	is_int(qcow2_overlay_build(buf, len, NULL, 256 * MiB), -EINVAL, "NULL backing name: -EINVAL");
	is_int(qcow2_overlay_build(buf, len, "/dev/vda", 0), -EINVAL, "zero size: -EINVAL");
	is_int(qcow2_overlay_build(buf, len - 1, "/dev/vda", 256 * MiB), -ENOSPC, "buffer one byte short: -ENOSPC");
	is_int(qcow2_overlay_build(buf, 0, "/dev/vda", 256 * MiB), -ENOSPC, "empty buffer: -ENOSPC");
	ok(all_zero(buf, len), "refused builds write nothing");

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	is_int(qcow2_overlay_build(buf, len, name, 256 * MiB), -EINVAL, "1024-byte name: -EINVAL");
	name[1023] = '\0';
	is_int(qcow2_overlay_build(buf, len, name, 256 * MiB), 0, "1023-byte name accepted");
	is_int(get_be(buf + 16, 4), 1023, "1023-byte name: length field");
	ok(buf[128 + 1022] == 'n' && buf[128 + 1023] == 0, "1023-byte name: stored whole");

	/* absurd sizes must be refused, whatever the buffer */
	memset(buf, 0, len);
	ok(qcow2_overlay_build(buf, len, "/dev/vda", UINT64_MAX) < 0, "UINT64_MAX size refused");
	ok(qcow2_overlay_build(buf, len, "/dev/vda", UINT64_MAX - 65535) < 0, "size near UINT64_MAX refused");
	ok(qcow2_overlay_build(buf, len, "/dev/vda", 1ULL << 62) < 0, "2^62 size refused");
	ok(all_zero(buf, len), "refused sizes write nothing");
	free(buf);
}

/* Is @prog an executable in $PATH? */
static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[4096], full[4200];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(full, sizeof(full), "%s/%s", n ? dir : ".", prog);
		if (access(full, X_OK) == 0)
			return 1;
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

/* Run @argv, collect stdout and stderr into @out. Returns the exit status or -1. */
static int run(char *const argv[], char *out, size_t len)
{
	int fds[2], status;
	size_t o = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + o, len - 1 - o);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		o += (size_t)n;
		if (o + 1 >= len)
			break;
	}
	out[o] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_qemu_img(void)
{
	char dir[] = "/tmp/qcow2-test-XXXXXX";
	char raw[128], overlay[128], out[16384], want[256];
	const uint64_t vsize = 256 * MiB;
	size_t len = qcow2_overlay_size(vsize);
	uint8_t *buf;
	int fd, rc;

	if (!on_path("qemu-img")) {
		tap_skip("qemu-img not on PATH: check of the overlay by qemu skipped");
		tap_skip("qemu-img not on PATH: info of the overlay by qemu skipped");
		return;
	}
	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(raw, sizeof(raw), "%s/base.raw", dir);
	snprintf(overlay, sizeof(overlay), "%s/overlay.qcow2", dir);

	fd = open(raw, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ok(fd >= 0 && close(fd) == 0 && truncate(raw, (off_t)vsize) == 0, "backing raw file of 256 MiB");

	buf = calloc(1, len);
	rc = buf ? qcow2_overlay_build(buf, len, raw, vsize) : -ENOMEM;
	is_int(rc, 0, "overlay built for %s", raw);
	fd = open(overlay, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ok(fd >= 0 && rc == 0 && write(fd, buf, len) == (ssize_t)len && close(fd) == 0, "overlay written");
	free(buf);

	{
		char *const check[] = { "qemu-img", "check", overlay, NULL };

		rc = run(check, out, sizeof(out));
		is_int(rc, 0, "qemu-img check exits 0");
		ok(strstr(out, "No errors were found on the image.") != NULL, "qemu-img check: no errors");
		if (rc != 0)
			printf("# %s", out);
	}
	{
		char *const info[] = { "qemu-img", "info", "--output=json", overlay, NULL };

		rc = run(info, out, sizeof(out));
		is_int(rc, 0, "qemu-img info exits 0");
		ok(strstr(out, "\"backing-filename\"") != NULL, "info mentions backing-filename");
		ok(strstr(out, "\"backing-filename-format\": \"raw\"") != NULL, "info: backing format raw");
		snprintf(want, sizeof(want), "\"backing-filename\": \"%s\"", raw);
		ok(strstr(out, want) != NULL, "info: backing file is %s", raw);
		ok(strstr(out, "\"virtual-size\": 268435456") != NULL, "info: virtual size 256 MiB");
		ok(strstr(out, "\"cluster-size\": 65536") != NULL, "info: cluster size 64 KiB");
		ok(strstr(out, "\"format\": \"qcow2\"") != NULL, "info: format qcow2");
		ok(strstr(out, "\"refcount-bits\": 16") != NULL, "info: 16-bit refcounts");
		if (rc != 0)
			printf("# %s", out);
	}
	unlink(overlay);
	unlink(raw);
	rmdir(dir);
}

int main(void)
{
	test_sizes();
	test_layout();
	test_errors();
	test_qemu_img();
	return tap_done();
}
