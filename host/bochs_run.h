/* bochs_run.h - start level 1 under Bochs: a copy of the image in the run
 * directory whose syslinux.cfg carries the run's settings (the image is
 * never opened for writing), the bochsrc, Bochs's command line, and its
 * screen drained so that it never blocks on a terminal nobody reads. */
#ifndef SUPERNESTED_BOCHS_RUN_H
#define SUPERNESTED_BOCHS_RUN_H

#include "run.h"

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define BOCHS_BIN "bochs"
#define BOCHS_BIOS "/usr/share/bochs/BIOS-bochs-latest"
#define BOCHS_VGABIOS "/usr/share/vgabios/vgabios.bin"
/* Bochs's com1 writes to this descriptor: the supervisor's third stream. */
#define BOCHS_COM1_FD 3

struct bochs_level1 {
	char disk[PATH_MAX], rc[PATH_MAX], cmds[PATH_MAX], log[PATH_MAX], out[PATH_MAX];
	char words[1024];	/* what the boot line got */
	char *argv[10];
};

/* Whether Bochs and its BIOS are installed; @why says what is missing.
 * Returns 0 or -ENOENT. */
int bochs_available(char *why, size_t len);

/* Copy @o->image into @run_dir (sparse, padded to Bochs's geometry), add
 * the run's settings to the copy's boot line, write the bochsrc and the
 * debugger's "continue" file; *@mem_mb is level 1's memory (lowered to
 * what Bochs allows).  Fills @b (argv included).  Returns 0, or -1 with
 * the message printed. */
int bochs_level1_prepare(const struct run_options *o, const char *run_dir, int *mem_mb,
			 struct bochs_level1 *b);

/* Bochs's stdout and stderr: its banner, its debugger and its screen's
 * name.  Kept in bochs.out in the run directory; the screen it names is
 * drained from then on.  The last lines are level 1's evidence when the
 * host stops it (the debugger says where the CPU was). */
void bochs_output_line(void *ctx, char *line);

/* When the host stops level 1: Bochs's debugger is asked where level 1's
 * CPU is (it then quits).  Nothing when level 1 is not under Bochs. */
void bochs_interrupt(pid_t pid);

/* Hand the last lines of Bochs's own output to @fn (evidence). */
void bochs_evidence(void (*fn)(void *ctx, const char *line), void *ctx);

/* Remove what level 1 booted from (the disk copy); the bochsrc, Bochs's
 * log and output stay as results. */
void bochs_level1_cleanup(const struct bochs_level1 *b);

#endif
