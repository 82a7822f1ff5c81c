/* kvm_stats.h - read KVM's statistics for this level's child VM: the
 * per-VM counters in debugfs and, when armed, a kvm_exit histogram by exit
 * reason (an in-kernel hist trigger: no trace buffer to copy out). */
#ifndef SUPERNESTED_KVM_STATS_H
#define SUPERNESTED_KVM_STATS_H

#include <sys/types.h>

#include "exit_profile.h"

/* Mount debugfs (and tracefs when @trace), arm the exit-reason histogram.
 * Returns 0 or -errno; the counters work without the histogram. */
int kvm_stats_start(enum exit_isa isa, int trace);

/* Emit "L<level> child-exits level=<booted_level> ...": the exits of the
 * VM of qemu @qemu_pid (this level's child, and the levels nested in it)
 * since the previous report, i.e. during @booted_level's boot; then start
 * the histograms over for the next level's boot. */
void kvm_stats_report(int level, int booted_level, pid_t qemu_pid);

/* How much of its own work the child VM of qemu @qemu_pid has done: its
 * MMIO exits (virtio) plus the pages its parent has mapped for it.  Not
 * its I/O port exits nor its interrupts: a child stuck printing RCU stall
 * warnings on its UART, or taking its parent's ticks, is not booting.
 * Returns the sum, or -errno (no VM yet, no debugfs). */
long long kvm_stats_child_work(pid_t qemu_pid);

#endif
