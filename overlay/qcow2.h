/* qcow2.h - write an empty qcow2 (version 3) image whose backing file is a
 * raw disk: the copy-on-write overlay a level boots its child from, so the
 * disk below is only ever read.  Pure logic: builds the bytes in memory. */
#ifndef SUPERNESTED_QCOW2_H
#define SUPERNESTED_QCOW2_H

#include <stddef.h>
#include <stdint.h>

#define QCOW2_CLUSTER_BITS 16
#define QCOW2_CLUSTER_SIZE (1u << QCOW2_CLUSTER_BITS)

/* Bytes needed for an overlay of a @virtual_size byte disk. */
size_t qcow2_overlay_size(uint64_t virtual_size);

/* Fill @buf (qcow2_overlay_size() bytes, zeroed by the caller) with an empty
 * overlay of @backing (a raw file or device of @virtual_size bytes).
 * Returns 0, -EINVAL for an empty/too long name or zero size, -ENOSPC when
 * @len is too small. */
int qcow2_overlay_build(void *buf, size_t len, const char *backing, uint64_t virtual_size);

#endif
