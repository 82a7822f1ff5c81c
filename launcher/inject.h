/* inject.h - fault injection (supernested.inject=MODE@LEVEL): each mode
 * provokes one real failure at LEVEL, acted out by LEVEL itself or by its
 * parent at one of the launcher's steps below, so that every failure path
 * can be seen reporting from a real boot (and slow-boot, not a failure,
 * the time a parent gives a child still working).  Every action says so in
 * a warning report first: an injected failure never passes for a real one. */
#ifndef SUPERNESTED_INJECT_H
#define SUPERNESTED_INJECT_H

#include "qemu_argv.h"
#include "settings.h"

#include <stddef.h>
#include <sys/types.h>

/* Firmware for kvm-error, in this level's /run. */
#define INJECT_FIRMWARE "/run/inject-firmware.rom"
#define INJECT_FIRMWARE_SIZE 65536	/* qemu wants a multiple of 64 KiB */
/* The address the firmware jumps to: no RAM there (on pc the 32-bit PCI
 * hole below the IOAPIC, on microvm its first virtio-mmio window), so
 * fetching code from it is an emulation failure. */
#define INJECT_FIRMWARE_TARGET 0xfeb00000u
/* hang-early: how long the child runs before its vCPUs are stopped; a
 * microvm level 2 is up 1 s after its qemu starts running it. */
#define INJECT_HANG_EARLY_MS 300

/* Pure: does node @self act out @in as the target itself, or does a parent
 * act it out on its @child? */
int inject_acts_self(const struct inject_setting *in, const struct node *self);
int inject_acts_parent(const struct inject_setting *in, const struct node *child);

/* Pure: the KVM vendor module to load at node @self and its parameters:
 * kvm-module asks for one that does not exist, nested-off for nested=0. */
const char *inject_kvm_module(const struct inject_setting *in, const struct node *self,
			      const char *real);
const char *inject_kvm_params(const struct inject_setting *in, const struct node *self);

/* Pure: fill @buf (@len = INJECT_FIRMWARE_SIZE) with a firmware that goes
 * from the reset vector to 32-bit protected mode and jumps to
 * INJECT_FIRMWARE_TARGET.  KVM cannot fetch an instruction where there is no
 * memory: it stops the vCPU with an internal error (emulation failure).
 * Returns 0 or -EINVAL. */
int inject_firmware(unsigned char *buf, size_t len);

/* Pure: change the child's qemu for the parent-side qemu modes: qemu-start
 * (an option qemu does not know), no-virt (a CPU without svm/vmx),
 * kvm-error (the firmware above).  @extra holds at least 3 pointers. */
void inject_qemu_config(const struct inject_setting *in, const struct node *child,
			struct qemu_config *qc, const char **extra);

/* slow-boot: how long LEVEL works before it says up, and how much fresh
 * memory it touches meanwhile (at most; half its free memory when less),
 * at an even pace: pages its parent's KVM has never mapped, the work a
 * parent's budget looks for in a child still booting (a booting kernel's
 * work is much the same).  The parent maps them 2 MiB at a time: 128 MiB
 * in 10 s is ~16 mappings in the last quarter of a 10 s budget. */
#define INJECT_SLOW_BOOT_S 10
#define INJECT_SLOW_BOOT_MB 128

/* Step hooks of the launcher (@child: the child node a parent acts on).  Those that provoke their failure on this
 * level do not return (panic, hang-silent, qemu-exit). */
void inject_before_up(const struct settings *s);	/* slow-boot */
void inject_after_up(const struct settings *s);		/* panic, hang-silent, qemu-exit */
void inject_before_kvm_load(const struct settings *s);	/* says so for nested-off, kvm-module */
void inject_before_kvm_check(const struct settings *s);	/* no-kvm-dev */
int inject_prepare_child(const struct settings *s, const struct node *child);	/* kvm-error */
void inject_child_started(const struct settings *s, const struct node *child, const char *monitor,
			  pid_t qemu);	/* hang-early, through the child's qemu @monitor socket */
void inject_child_up(const struct settings *s, const struct node *child, pid_t qemu);	/* qemu-crash */

#endif
