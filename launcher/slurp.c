/* slurp.c - a whole file (or its head) in memory (see slurp.h). */
#include "slurp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	char *buf = NULL;
	size_t n;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		n = max && (size_t)size > max ? max : (size_t)size;
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != n) {
			free(buf);
			buf = NULL;
			errno = EIO;
		}
		if (buf) {
			buf[n] = '\0';
			if (len)
				*len = n;
		}
	}
	fclose(f);
	return buf;
}
