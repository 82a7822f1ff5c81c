/* kcidb.h - a run as KernelCI KCIDB I/O data (schema v5.3): one test per
 * level under nested_kvm.depth.levelN, with the kernel release and the
 * run's settings in misc.  Written with json-c. */
#ifndef SUPERNESTED_KCIDB_H
#define SUPERNESTED_KCIDB_H

#include "output.h"

#define KCIDB_MAJOR 5
#define KCIDB_MINOR 3
#define KCIDB_ORIGIN "supernested"

/* 0 or -errno. */
int write_run_kcidb(const char *path, const struct run_results *r);

/* "2026-11-23T09:28:00Z" plus @offset_s as RFC 3339 with microseconds;
 * -EINVAL when @started does not parse. Pure, for the unit tests. */
int kcidb_time(const char *started, double offset_s, char *buf, size_t len);

#endif
