/* qcow2.c - the smallest valid qcow2 overlay: header, one refcount table
 * cluster, one refcount block, an all-zero L1 table.  Layout follows the
 * qcow2 specification in qemu's docs/interop/qcow2.txt. */
#include "qcow2.h"

#include <errno.h>
#include <string.h>

#define HEADER_LENGTH 104
#define EXT_BACKING_FORMAT 0xE2792ACAu
#define REFCOUNT_ORDER 4	/* 16-bit refcounts */

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static void be64(uint8_t *p, uint64_t v)
{
	be32(p, (uint32_t)(v >> 32));
	be32(p + 4, (uint32_t)v);
}

static void be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8; p[1] = (uint8_t)v;
}

/* L1 entries: each L2 table maps cluster_size/8 clusters. */
static uint64_t l1_entries(uint64_t virtual_size)
{
	uint64_t per_l2 = (uint64_t)QCOW2_CLUSTER_SIZE * (QCOW2_CLUSTER_SIZE / 8);

	/* rounded up without the sum that wraps for sizes near 2^64 */
	return virtual_size / per_l2 + (virtual_size % per_l2 != 0);
}

static uint64_t l1_clusters(uint64_t virtual_size)
{
	return (l1_entries(virtual_size) * 8 + QCOW2_CLUSTER_SIZE - 1) / QCOW2_CLUSTER_SIZE;
}

size_t qcow2_overlay_size(uint64_t virtual_size)
{
	/* header + refcount table + refcount block + L1 */
	return (size_t)((3 + l1_clusters(virtual_size)) * QCOW2_CLUSTER_SIZE);
}

int qcow2_overlay_build(void *buf, size_t len, const char *backing, uint64_t virtual_size)
{
	uint8_t *p = buf, *ext;
	size_t name_len = backing ? strlen(backing) : 0;
	uint64_t nclusters = 3 + l1_clusters(virtual_size);
	uint64_t backing_offset;

	/* name must fit in cluster 0 after header and extensions; qemu caps it at 1023 */
	if (!name_len || name_len > 1023 || !virtual_size)
		return -EINVAL;
	if (len < qcow2_overlay_size(virtual_size))
		return -ENOSPC;
	/* one refcount block (16-bit entries) covers 32768 clusters: 2 GiB of metadata */
	if (nclusters > QCOW2_CLUSTER_SIZE / 2)
		return -EINVAL;

	/* header extensions: backing format "raw", then the end marker */
	ext = p + HEADER_LENGTH;
	be32(ext, EXT_BACKING_FORMAT);
	be32(ext + 4, 3);
	memcpy(ext + 8, "raw", 3);		/* padded to 8 bytes by the zeroed buffer */
	be32(ext + 16, 0);
	be32(ext + 20, 0);
	backing_offset = HEADER_LENGTH + 24;
	memcpy(p + backing_offset, backing, name_len);

	memcpy(p, "QFI\xfb", 4);
	be32(p + 4, 3);				/* version */
	be64(p + 8, backing_offset);
	be32(p + 16, (uint32_t)name_len);
	be32(p + 20, QCOW2_CLUSTER_BITS);
	be64(p + 24, virtual_size);
	be32(p + 32, 0);			/* no encryption */
	be32(p + 36, (uint32_t)l1_entries(virtual_size));
	be64(p + 40, 3 * (uint64_t)QCOW2_CLUSTER_SIZE);	/* L1 table offset */
	be64(p + 48, 1 * (uint64_t)QCOW2_CLUSTER_SIZE);	/* refcount table offset */
	be32(p + 56, 1);			/* refcount table clusters */
	be32(p + 60, 0);			/* snapshots */
	be64(p + 64, 0);
	be64(p + 72, 0);			/* incompatible features */
	be64(p + 80, 0);			/* compatible features */
	be64(p + 88, 0);			/* autoclear features */
	be32(p + 96, REFCOUNT_ORDER);
	be32(p + 100, HEADER_LENGTH);

	/* refcount table -> block in cluster 2; every metadata cluster used once */
	be64(p + QCOW2_CLUSTER_SIZE, 2 * (uint64_t)QCOW2_CLUSTER_SIZE);
	for (uint64_t c = 0; c < nclusters; c++)
		be16(p + 2 * QCOW2_CLUSTER_SIZE + 2 * c, 1);
	return 0;
}
