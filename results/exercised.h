/* exercised.h - what a level's own machine made its kernel exercise, as
 * that kernel sees it (never as its settings asked): the machine, its PCI
 * devices, a hardware PMU, the clockevent device and the tick.  Pure: the
 * launcher reads /sys and /proc and hands the text here; the up line
 * carries the result as one field, "exercised=machine:pc,pci:6,...", which
 * the host parses back (one field: the up line has little room left under
 * REPORT_FIELDS_MAX, and a bare value of this shape needs no quoting). */
#ifndef SUPERNESTED_EXERCISED_H
#define SUPERNESTED_EXERCISED_H

#include <stddef.h>

#define EXERCISED_NAME_MAX 24

struct exercised {
	char machine[EXERCISED_NAME_MAX];	/* pc, q35, microvm, pci-VVVV:DDDD, unknown */
	int pci;		/* PCI devices the kernel found; -1 unknown (no PCI bus in sysfs) */
	int pmu;		/* 1: perf registered a hardware "cpu" PMU; 0: none; -1 unknown */
	char timer[EXERCISED_NAME_MAX];	/* CPU 0's clockevent device: lapic-deadline, lapic, ...; "" unknown */
	char tick[EXERCISED_NAME_MAX];	/* periodic, oneshot (hrtimers, no idle stop), tickless; "" unknown */
};

/* Everything unknown. */
void exercised_init(struct exercised *e);

/* A sysfs hex attribute ("0x8086\n"): 0 and the number, or -1. */
int exercised_sysfs_hex(const char *text, unsigned *out);

/* The machine from its PCI host bridge (class 0x0600xx): @bridge is 0 when
 * no PCI device is one, else its vendor and device name it from a table
 * (i440FX: pc, Q35: q35; another: pci-VVVV:DDDD).  Without a host bridge,
 * no PCI device and virtio devices on MMIO (@virtio_mmio of them) is how
 * qemu's microvm looks; anything else is "unknown".  The kernel may have
 * no DMI (the small kernel's CONFIG_DMIID is off): the bridge is the
 * machine's own chipset, the one signal every kernel with PCI has. */
void exercised_machine(struct exercised *e, int bridge, unsigned vendor, unsigned device,
		       int pci_devices, int virtio_mmio);

/* The clockevent device from /sys/devices/system/clockevents/clockevent0/
 * current_device text: 0, or -1 when it is not a plain device name. */
int exercised_timer(struct exercised *e, const char *text);

/* The tick of CPU 0 from /proc/timer_list text: its tick device's mode
 * (0 periodic, 1 one-shot) and whether the tick stops when idle (6.1's
 * ".nohz_mode" above 0, later kernels' ".nohz" 1).  0, or -1 when the text
 * does not say (the tick stays unknown). */
int exercised_tick(struct exercised *e, const char *timer_list);

/* "machine:pc,pci:6,pmu:on,timer:lapic-deadline,tick:tickless" ("-" for
 * an unknown).  Returns its length, or -1 when it does not fit. */
int exercised_format(const struct exercised *e, char *buf, size_t len);

/* That text back; keys it does not know are skipped (a newer launcher may
 * say more), a known key with a malformed value leaves that one unknown.
 * Returns how many known keys were read. */
int exercised_parse(const char *text, struct exercised *e);

#endif
