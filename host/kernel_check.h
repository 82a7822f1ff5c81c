/* kernel_check.h - `supernested kernel-check`: what the image build needs
 * to know about a kernel before any boot: its release and compression
 * (bzImage), whether it has a PVH entry and an embedded config (vmlinux),
 * and whether its config has what supernested needs. */
#ifndef SUPERNESTED_KERNEL_CHECK_H
#define SUPERNESTED_KERNEL_CHECK_H

struct kernel_check_options {
	const char *bzimage, *vmlinux, *config, *fragment;
};

/* Print facts as key=value lines on stdout, one line per config problem on
 * stderr.  Returns 0, 1 when the config lacks a needed option, 3 when a
 * file cannot be read or is not what it should be. */
int kernel_check(const struct kernel_check_options *o);

#endif
