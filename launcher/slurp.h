/* slurp.h - a whole file (or its head) in memory, for the readers of small
 * text and kernel files: modules.dep, configs, recorded logs, bzImages. */
#ifndef SUPERNESTED_SLURP_H
#define SUPERNESTED_SLURP_H

#include <stddef.h>

/* The first @max bytes of @path (all of it when @max is 0) in a malloc'ed
 * buffer with a NUL after them; their count in *@len when @len is not
 * NULL.  NULL when the file cannot be read (errno says why). */
char *slurp(const char *path, size_t max, size_t *len);

#endif
