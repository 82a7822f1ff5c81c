/* kmod.c - modules.dep lookup and finit_module loading (see kmod.h). */
#include "kmod.h"
#include "slurp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

int kmod_path_matches(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(name);

	base = base ? base + 1 : path;
	/* '-' and '_' are the same in module names.  The name is compared
	 * first: a base shorter than the name stops at its NUL, before
	 * base + n could point past it. */
	for (size_t i = 0; i < n; i++) {
		char a = base[i] == '-' ? '_' : base[i];
		char b = name[i] == '-' ? '_' : name[i];

		if (a != b)
			return 0;
	}
	if (strncmp(base + n, ".ko", 3) != 0 ||
	    (base[n + 3] != '\0' && base[n + 3] != ':' && base[n + 3] != '.'))
		return 0;
	return 1;
}

int kmod_dep_lookup(const char *dep_text, const char *name, char *path, size_t pathlen,
		    char *deps, size_t depslen)
{
	for (const char *line = dep_text; line && *line;) {
		const char *nl = strchr(line, '\n');
		const char *colon = strchr(line, ':');
		size_t linelen = nl ? (size_t)(nl - line) : strlen(line);

		if (colon && colon < line + linelen) {
			char file[256];

			snprintf(file, sizeof(file), "%.*s", (int)(colon - line), line);
			if (kmod_path_matches(file, name)) {
				const char *d = colon + 1;

				while (*d == ' ')
					d++;
				snprintf(path, pathlen, "%s", file);
				snprintf(deps, depslen, "%.*s", (int)(line + linelen - d), d);
				return 0;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

int kmod_builtin_lookup(const char *builtin_text, const char *name)
{
	for (const char *line = builtin_text; line && *line;) {
		size_t len = strcspn(line, "\n");
		char file[256];

		if (len < sizeof(file)) {
			memcpy(file, line, len);
			file[len] = '\0';
			if (kmod_path_matches(file, name))
				return 1;
		}
		line += len;
		line += *line == '\n';
	}
	return 0;
}

/* The initrd's module lists, read once each: also when missing (a kernel
 * without modules.builtin), which each later lookup would otherwise retry. */
struct file_once {
	const char *path;
	int read;
	char *text;
};

static struct file_once dep_file = { KMOD_DIR "/modules.dep", 0, NULL };
static struct file_once builtin_file = { KMOD_DIR "/modules.builtin", 0, NULL };

static const char *file_text(struct file_once *f)
{
	if (!f->read) {
		f->text = slurp(f->path, 0, NULL);
		f->read = 1;
	}
	return f->text;
}

int kmod_loaded(const char *name)
{
	char path[128], norm[64];

	snprintf(norm, sizeof(norm), "%s", name);
	for (char *p = norm; *p; p++)
		if (*p == '-')
			*p = '_';
	snprintf(path, sizeof(path), "/sys/module/%s", norm);
	return access(path, F_OK) == 0 || kmod_builtin_lookup(file_text(&builtin_file), name);
}

static int insmod(const char *relpath, const char *params)
{
	char full[512];
	int fd, rc;

	snprintf(full, sizeof(full), KMOD_DIR "/%s", relpath);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = (int)syscall(SYS_finit_module, fd, params ? params : "", 0);
	rc = rc < 0 ? (errno == EEXIST ? 0 : -errno) : 0;
	close(fd);
	return rc;
}

static int load(const char *name, const char *params, int depth)
{
	char path[256], deps[1024], *save = NULL;
	const char *text;
	int rc;

	if (kmod_loaded(name))
		return 0;
	if (depth > 16)
		return -ELOOP;
	text = file_text(&dep_file);
	if (!text)
		return -ENOENT;
	rc = kmod_dep_lookup(text, name, path, sizeof(path), deps, sizeof(deps));
	if (rc < 0)
		return rc;
	for (char *d = strtok_r(deps, " ", &save); d; d = strtok_r(NULL, " ", &save)) {
		const char *base = strrchr(d, '/');
		char dep[64];

		snprintf(dep, sizeof(dep), "%.*s", (int)strcspn(base ? base + 1 : d, "."),
			 base ? base + 1 : d);
		rc = load(dep, NULL, depth + 1);
		if (rc < 0)
			return rc;
	}
	return insmod(path, params);
}

int kmod_load(const char *name, const char *params)
{
	return load(name, params, 0);
}
