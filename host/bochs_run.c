/* bochs_run.c - files, command line and screen of a Bochs level 1 (see bochs_run.h). */
#include "bochs_run.h"
#include "bochs.h"
#include "profile.h"
#include "settings.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define SYSLINUX_CFG "::/syslinux/syslinux.cfg"
#define EVIDENCE_LINES 8

/* One Bochs per tool: its output file, last lines and whether it runs. */
static FILE *out_file;
static char last[EVIDENCE_LINES][256];
static int nlast, screen_open, running;

int bochs_available(char *why, size_t len)
{
	static const char *const files[] = { BOCHS_BIOS, BOCHS_VGABIOS };
	const char *path = getenv("PATH");
	char bin[PATH_MAX];
	int found = 0;

	/* PATH searched as execvp() will */
	for (const char *p = path ? path : "/usr/bin:/bin"; *p && !found; p += strcspn(p, ":"), p += *p == ':') {
		size_t n = strcspn(p, ":");

		if (snprintf(bin, sizeof(bin), "%.*s/" BOCHS_BIN, (int)n, n ? p : ".") < (int)sizeof(bin))
			found = access(bin, X_OK) == 0;
	}
	if (!found) {
		snprintf(why, len, "--accel bochs: no bochs in PATH (apt-get install bochs bochs-term bochsbios vgabios)");
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (access(files[i], R_OK) < 0) {
			snprintf(why, len, "--accel bochs: %s missing (apt-get install bochsbios vgabios)", files[i]);
			return -ENOENT;
		}
	}
	return 0;
}

/* Run @argv (a tool of mtools), its stdout to @out_fd or /dev/null.
 * Returns its exit status, or -errno. */
static int run_tool(char *const argv[], int out_fd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		dup2(null, 0);
		dup2(out_fd >= 0 ? out_fd : null, 1);
		/* mtools refuses a FAT whose geometry it doubts without this */
		setenv("MTOOLS_SKIP_CHECK", "1", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Up to 1 MiB of [@from, @to) from @in to @out at the same offset. */
static ssize_t copy_range(int in, int out, off_t from, off_t to)
{
	static char buf[1 << 20];
	size_t want = (size_t)(to - from) < sizeof(buf) ? (size_t)(to - from) : sizeof(buf);
	ssize_t n = pread(in, buf, want, from);

	if (n > 0 && pwrite(out, buf, (size_t)n, from) != n)
		return -1;
	return n;
}

/* A sparse copy of @src at @dst, then grown to @size (zeros, no blocks). */
static int copy_image(const char *src, const char *dst, uint64_t *size_in, uint64_t (*pad)(uint64_t))
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = 0;
	struct stat st;
	off_t data, hole = 0;

	if (in < 0 || fstat(in, &st) < 0)
		goto err;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		goto err;
	*size_in = (uint64_t)st.st_size;
	/* only the data: the image is mostly holes */
	while ((data = lseek(in, hole, SEEK_DATA)) >= 0) {
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			goto err;
		for (off_t off = data; off < hole;) {
			off_t o_in = off, o_out = off;
			ssize_t n = copy_file_range(in, &o_in, out, &o_out, (size_t)(hole - off), 0);

			if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS))
				n = copy_range(in, out, off, hole);	/* across filesystems */
			if (n <= 0)
				goto err;
			off += n;
		}
	}
	if (errno != ENXIO || ftruncate(out, (off_t)pad(*size_in)) < 0)
		goto err;
	goto out;
err:
	rc = -(errno ? errno : EIO);
out:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && !rc)
		rc = -errno;
	return rc;
}

static uint64_t geometry_size(uint64_t bytes)
{
	struct bochs_geometry g;
	uint64_t padded = bytes;

	bochs_geometry(bytes, &g, &padded);
	return padded;
}

/* The words a person would add at the boot: prompt for this run.  No
 * supernested.level: level 1 knows it is booted by hand, prints its
 * closing table and answer, which proves nothing was lost at power-off. */
static int boot_words(const struct run_options *o, char *buf, size_t len)
{
	static struct settings asked;
	const struct run_profile *profile = run_profile_find(o->profile);
	const char *inject;
	struct node level1;
	int n;

	settings_defaults(&asked);
	if (o->kernel_args)
		settings_parse(&asked, o->kernel_args);
	node_first(&level1, 1);
	inject = inject_kernel_words(&asked.inject, &level1);
	n = snprintf(buf, len, "supernested.maxdepth=%d", o->max_depth);
	if (o->level_timeout_s && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " supernested.timeout=%d", o->level_timeout_s);
	/* Bochs's level 1 has one CPU: --smp's go to the levels below */
	if (o->smp > 1 && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " supernested.smp=%d", o->smp);
	if (o->width > 1 && n >= 0 && (size_t)n < len)	/* --width: children each level starts */
		n += snprintf(buf + n, len - (size_t)n, " supernested.width=%d", o->width);
	/* the profile's words, as for a qemu level 1: --kernel-args after them */
	if (profile && profile->kernel_words[0] && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s", profile->kernel_words);
	if (o->kernel_args && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s", o->kernel_args);
	if (inject[0] && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s", inject);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* The copy's syslinux.cfg with @words on its boot line, through mtools. */
static int edit_boot_line(const char *disk, const char *run_dir, const char *words)
{
	static char cfg[16384], edited[16384 + 1024];
	char img[PATH_MAX + 32], path[PATH_MAX];
	unsigned char mbr[512];
	long long off;
	long n;
	int fd, rc;

	fd = open(disk, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, mbr, sizeof(mbr), 0);
	close(fd);
	off = n == (long)sizeof(mbr) ? mbr_active_partition_offset(mbr) : -EINVAL;
	if (off < 0)
		return -EINVAL;
	if (snprintf(img, sizeof(img), "%s@@%lld", disk, off) >= (int)sizeof(img) ||
	    snprintf(path, sizeof(path), "%s/syslinux.cfg", run_dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	unlink(path);
	{
		char *get[] = { "mcopy", "-n", "-i", img, SYSLINUX_CFG, path, NULL };

		rc = run_tool(get, -1);
		if (rc)
			return rc < 0 ? rc : -EIO;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, cfg, sizeof(cfg) - 1);
	cfg[n > 0 ? n : 0] = '\0';
	rc = syslinux_cfg_append(cfg, words, edited, sizeof(edited));
	if (rc >= 0 && (ftruncate(fd, 0) < 0 || pwrite(fd, edited, (size_t)rc, 0) != rc))
		rc = -errno;
	close(fd);
	if (rc < 0)
		return rc;
	{
		char *put[] = { "mcopy", "-o", "-i", img, path, SYSLINUX_CFG, NULL };

		rc = run_tool(put, -1);
	}
	return rc ? (rc < 0 ? rc : -EIO) : 0;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	int rc = 0;

	if (!f)
		return -errno;
	if (fputs(text, f) < 0)
		rc = -EIO;
	if (fclose(f) != 0 && !rc)
		rc = -errno;
	return rc;
}

/* How Bochs's time follows the host's, for measuring it (docs/intel.md):
 * SUPERNESTED_BOCHS_SYNC=none|realtime|slowdown, SUPERNESTED_BOCHS_IPS=N.
 * Returns 0, or -1 with the message printed. */
static int clock_knobs(struct bochs_config *c)
{
	const char *sync = getenv("SUPERNESTED_BOCHS_SYNC"), *ips = getenv("SUPERNESTED_BOCHS_IPS");
	char *end;
	unsigned long v;

	if (sync && *sync && bochs_sync_parse(sync, &c->sync) < 0) {
		fprintf(stderr, "supernested: SUPERNESTED_BOCHS_SYNC is none, realtime or slowdown, not '%s'\n", sync);
		return -1;
	}
	if (ips && *ips) {
		errno = 0;
		v = strtoul(ips, &end, 10);
		if (errno || *end || v < 1000000 || v > 4000000000UL) {
			fprintf(stderr, "supernested: SUPERNESTED_BOCHS_IPS is 1000000..4000000000, not '%s'\n", ips);
			return -1;
		}
		c->ips = (unsigned)v;
	}
	return 0;
}

int bochs_level1_prepare(const struct run_options *o, const char *run_dir, int *mem_mb,
			 struct bochs_level1 *b)
{
	static char rc_text[4096];
	char com1[32];
	struct bochs_config c = {
		.model = o->cpu_model ? o->cpu_model : BOCHS_DEFAULT_MODEL,
		.ips = BOCHS_DEFAULT_IPS, .sync = BOCHS_SYNC_NONE,
		.mem_mb = *mem_mb > BOCHS_MAX_MEM_MB ? BOCHS_MAX_MEM_MB : *mem_mb,
		.bios = BOCHS_BIOS, .vgabios = BOCHS_VGABIOS, .com1 = com1,
	};
	uint64_t size = 0, padded;
	int rc;

	memset(b, 0, sizeof(*b));
	snprintf(com1, sizeof(com1), "/dev/fd/%d", BOCHS_COM1_FD);
	if (clock_knobs(&c) < 0)
		return -1;
	if (snprintf(b->disk, sizeof(b->disk), "%s/level1-disk.img", run_dir) >= (int)sizeof(b->disk) ||
	    snprintf(b->rc, sizeof(b->rc), "%s/bochsrc", run_dir) >= (int)sizeof(b->rc) ||
	    snprintf(b->cmds, sizeof(b->cmds), "%s/bochs-debugger.rc", run_dir) >= (int)sizeof(b->cmds) ||
	    snprintf(b->log, sizeof(b->log), "%s/bochs.log", run_dir) >= (int)sizeof(b->log) ||
	    snprintf(b->out, sizeof(b->out), "%s/bochs.out", run_dir) >= (int)sizeof(b->out)) {
		fprintf(stderr, "supernested: run directory %s: path too long\n", run_dir);
		return -1;
	}
	if (*mem_mb > BOCHS_MAX_MEM_MB)
		fprintf(stderr, "supernested: warning: Bochs gives level 1 at most %d MiB (asked %d)\n",
			BOCHS_MAX_MEM_MB, *mem_mb);
	*mem_mb = c.mem_mb;
	if (boot_words(o, b->words, sizeof(b->words)) < 0) {
		fprintf(stderr, "supernested: --kernel-args too long for the boot line\n");
		return -1;
	}
	/* the image is read, never opened for writing: Bochs gets a copy */
	rc = copy_image(o->image, b->disk, &size, geometry_size);
	if (rc < 0) {
		fprintf(stderr, "supernested: copying %s to %s: %s\n", o->image, b->disk, strerror(-rc));
		return -1;
	}
	if (bochs_geometry(size, &c.geom, &padded) < 0) {
		fprintf(stderr, "supernested: %s: no ATA geometry fits %llu bytes\n", o->image,
			(unsigned long long)size);
		return -1;
	}
	rc = edit_boot_line(b->disk, run_dir, b->words);
	if (rc < 0) {
		fprintf(stderr, "supernested: adding the settings to the copy's syslinux.cfg (mtools): %s\n",
			strerror(-rc));
		return -1;
	}
	c.disk = b->disk;
	c.log = b->log;
	rc = bochsrc_build(&c, rc_text, sizeof(rc_text));
	if (rc < 0 || (rc = write_file(b->rc, rc_text)) < 0 ||
	    /* Debian's Bochs has its debugger built in: it waits for a
	     * command before the first instruction unless told to continue */
	    (rc = write_file(b->cmds, "c\n")) < 0) {
		fprintf(stderr, "supernested: writing %s: %s\n", b->rc, strerror(-rc));
		return -1;
	}
	printf("supernested: Bochs %s, clock sync=%s, ips=%u, %d MiB; boot line + \"%s\"\n", c.model,
	       bochs_sync_name(c.sync), c.ips, c.mem_mb, b->words);
	out_file = fopen(b->out, "we");
	nlast = screen_open = 0;
	running = 1;
	/* env: its curses screen needs a terminal type, whatever ours is */
	b->argv[0] = "env";
	b->argv[1] = "TERM=vt100";
	b->argv[2] = BOCHS_BIN;
	b->argv[3] = "-q";
	b->argv[4] = "-f";
	b->argv[5] = b->rc;
	b->argv[6] = "-rc";
	b->argv[7] = b->cmds;
	b->argv[8] = NULL;
	return 0;
}

/* Read and drop what Bochs draws on its screen until it closes it. */
static void *drain_screen(void *arg)
{
	int fd = (int)(long)arg;
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n == 0 || (n < 0 && errno != EINTR))
			break;	/* Bochs closed it (EIO) */
	}
	close(fd);
	return NULL;
}

/* "Bochs connected to screen "/dev/pts/N"": Bochs draws its term display
 * on a pseudo-terminal of its own and blocks once that is full. */
static void open_screen(const char *line)
{
	const char *p = strstr(line, "connected to screen \"/dev/pts/");
	char path[64];
	struct termios t;
	pthread_t th;
	size_t n;
	int fd;

	if (!p || screen_open)
		return;
	p += strlen("connected to screen \"");
	n = strspn(p + strlen("/dev/pts/"), "0123456789") + strlen("/dev/pts/");
	if (p[n] != '"' || n >= sizeof(path))
		return;
	snprintf(path, sizeof(path), "%.*s", (int)n, p);
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* raw: bytes are there to read at once, not held for a newline */
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	if (pthread_create(&th, NULL, drain_screen, (void *)(long)fd) != 0) {
		close(fd);
		return;
	}
	pthread_detach(th);
	screen_open = 1;
}

void bochs_output_line(void *ctx, char *line)
{
	(void)ctx;
	open_screen(line);
	if (out_file) {
		fprintf(out_file, "%s\n", line);
		fflush(out_file);
	}
	/* Bochs's time-stamped log lines are noise; the debugger's and its
	 * exit message are what say where level 1 was */
	if (!line[0] || line[0] == ' ' || !strncmp(line, "0000", 4) || !strncmp(line, "=====", 5))
		return;
	snprintf(last[nlast % EVIDENCE_LINES], sizeof(last[0]), "%s", line);
	nlast++;
}

void bochs_interrupt(pid_t pid)
{
	/* Bochs's debugger takes SIGINT: it prints the instruction level 1's
	 * CPU is at, reads its next command from /dev/null and quits */
	if (running && pid > 0) {
		nlast = 0;	/* the evidence is what it says from now on */
		kill(pid, SIGINT);
	}
}

void bochs_evidence(void (*fn)(void *ctx, const char *line), void *ctx)
{
	char text[300];

	if (!running)
		return;
	for (int i = nlast > EVIDENCE_LINES ? nlast - EVIDENCE_LINES : 0; i < nlast; i++) {
		snprintf(text, sizeof(text), "bochs: %s", last[i % EVIDENCE_LINES]);
		fn(ctx, text);
	}
}

void bochs_level1_cleanup(const struct bochs_level1 *b)
{
	if (b->disk[0])
		unlink(b->disk);
	if (out_file)
		fclose(out_file);
	out_file = NULL;
}
