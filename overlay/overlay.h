/* overlay.h - the in-memory overlay a level boots its child from: a bounded
 * tmpfs holding a qcow2 file whose backing file is this level's own boot
 * disk, so every write of the child stays in memory and the disk below is
 * never written. */
#ifndef SUPERNESTED_OVERLAY_H
#define SUPERNESTED_OVERLAY_H

#include <stddef.h>

/* Write @path: an empty qcow2 overlay of the raw disk or file @backing
 * (named as given: pass an absolute path).  Returns 0 or -errno; @err gets
 * a one-line reason. */
int overlay_write(const char *path, const char *backing, char *err, size_t errlen);

/* Mount a tmpfs of @size_mb on @dir and create @dir/child.qcow2 backed by
 * the raw device or file @backing.  The path goes to @out.
 * Returns 0 or -errno; @err gets a one-line reason. */
int overlay_create(const char *dir, int size_mb, const char *backing,
		   char *out, size_t outlen, char *err, size_t errlen);

#endif
