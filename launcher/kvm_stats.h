/* kvm_stats.h - read KVM's statistics for this level's child VM: the
 * per-VM counters in debugfs and, when armed, a kvm_exit histogram by exit
 * reason (an in-kernel hist trigger: no trace buffer to copy out). */
#ifndef SUPERNESTED_KVM_STATS_H
#define SUPERNESTED_KVM_STATS_H

#include <sys/types.h>

#include "exit_profile.h"
#include "node.h"

/* Mount debugfs (and tracefs when @trace), arm the exit-reason histogram.
 * Returns 0 or -errno; the counters work without the histogram. */
int kvm_stats_start(enum exit_isa isa, int trace);

/* Emit "L<self> child-exits level=<booted> ...": the exits of the VM of
 * qemu @qemu_pid (one child of this level, and the levels nested in it)
 * since the previous report on that VM, i.e. during node @booted's boot;
 * then start the histograms over for the next level's boot.  (With
 * several children the histograms would mix their VMs: the launcher arms
 * them only with one.) */
void kvm_stats_report(const struct node *self, const struct node *booted, pid_t qemu_pid);

/* How much of its own work the child VM of qemu @qemu_pid has done: its
 * MMIO exits (virtio) plus the pages its parent has mapped for it.  Not
 * its I/O port exits nor its interrupts: a child stuck printing RCU stall
 * warnings on its UART, or taking its parent's ticks, is not booting.
 * Returns the sum, or -errno (no VM yet, no debugfs). */
long long kvm_stats_child_work(pid_t qemu_pid);

#endif
