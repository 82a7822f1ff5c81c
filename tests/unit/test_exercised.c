/* test_exercised.c - a level's machine, PCI, PMU, timer and tick from recorded kernel text, and the up line's exercised field both ways. */
#include "tap.h"
#include "exercised.h"

#include <stdlib.h>
#include <string.h>

#define LOGS SRCDIR "/tests/data/logs/"

static void test_machine(void)
{
	struct exercised e;
	unsigned v = 0;

	exercised_init(&e);
	is_int(exercised_sysfs_hex("0x8086\n", &v), 0, "sysfs vendor text");
	is_int(v, 0x8086, "... its number");
	is_int(exercised_sysfs_hex("0x060000\n", &v), 0, "sysfs class text");
	is_int(v, 0x060000, "... its number");
	is_int(exercised_sysfs_hex("8086\n", &v), -1, "no 0x: not sysfs's");
	is_int(exercised_sysfs_hex("0xzz\n", &v), -1, "not hex");
	is_int(exercised_sysfs_hex("0x1 2\n", &v), -1, "trailing text");
	is_int(exercised_sysfs_hex(NULL, &v), -1, "nothing");

	exercised_machine(&e, 1, 0x8086, 0x1237, 6, 0);
	is_str(e.machine, "pc", "i440FX host bridge: pc");
	exercised_machine(&e, 1, 0x8086, 0x29c0, 6, 0);
	is_str(e.machine, "q35", "Q35 host bridge: q35");
	exercised_machine(&e, 1, 0x8086, 0x0d57, 6, 0);
	is_str(e.machine, "pci-8086:0d57", "another host bridge: named by its id");
	exercised_machine(&e, 0, 0, 0, 0, 3);
	is_str(e.machine, "microvm", "no PCI, virtio on MMIO: microvm");
	exercised_machine(&e, 0, 0, 0, 0, 0);
	is_str(e.machine, "unknown", "no PCI and no virtio-mmio: unknown");
	exercised_machine(&e, 0, 0, 0, 2, 3);
	is_str(e.machine, "unknown", "PCI devices without a host bridge: unknown, not microvm");
}

static void test_timer(void)
{
	struct exercised e;

	exercised_init(&e);
	is_int(exercised_timer(&e, "lapic-deadline\n"), 0, "current_device text");
	is_str(e.timer, "lapic-deadline", "... the device");
	is_int(exercised_timer(&e, "lapic"), 0, "without a newline");
	is_str(e.timer, "lapic", "... the device");
	is_int(exercised_timer(&e, ""), -1, "empty: unknown");
	is_str(e.timer, "", "... left unknown");
	is_int(exercised_timer(&e, "a b\n"), -1, "a space: not a plain name");
	is_int(exercised_timer(&e, "hpet\nmore\n"), -1, "two lines: not sysfs's");
	is_int(exercised_timer(&e, "a-very-long-clockevent-device-name\n"), -1, "too long");
	is_int(exercised_timer(&e, NULL), -1, "nothing");
}

static void test_tick(void)
{
	char *tickless = tap_slurp(LOGS "timer-list-tickless-6.18.txt");
	char *periodic = tap_slurp(LOGS "timer-list-periodic-6.1.txt");
	struct exercised e;
	char *oneshot, *p;

	exercised_init(&e);
	ok(tickless && periodic, "read the recorded /proc/timer_list texts");
	if (!tickless || !periodic)
		return;
	is_int(exercised_tick(&e, tickless), 0, "a 6.18 timer_list (.nohz)");
	is_str(e.tick, "tickless", "... one-shot tick device, nohz on: tickless");
	is_int(exercised_tick(&e, periodic), 0, "a 6.1 timer_list (.nohz_mode)");
	is_str(e.tick, "periodic", "... tick device mode 0: periodic");
	/* 6.1 with nohz=off and high-res timers on: one-shot, never stopped */
	oneshot = strdup(periodic);
	for (p = oneshot; (p = strstr(p, "Tick Device: mode:     0\nPer CPU")); p++)
		p[strlen("Tick Device: mode:     ")] = '1';
	is_int(exercised_tick(&e, oneshot), 0, "one-shot tick device, .nohz_mode 0");
	is_str(e.tick, "oneshot", "... oneshot, not tickless");
	p = strstr(oneshot, ".nohz_mode      : 0");
	p[strlen(".nohz_mode      : ")] = '2';
	is_int(exercised_tick(&e, oneshot), 0, "... and .nohz_mode 2 (high-res nohz)");
	is_str(e.tick, "tickless", "... tickless");
	/* CPU 1's values never count for CPU 0 */
	p = strstr(oneshot, "\ncpu: 0\n");
	memcpy(p, "\ncpu: 7\n", 8);
	is_int(exercised_tick(&e, oneshot), -1, "no CPU 0 section: unknown");
	is_str(e.tick, "", "... left unknown");
	is_int(exercised_tick(&e, "cpu: 0\n"), -1, "no leading line: unknown");
	is_int(exercised_tick(&e, "x\ncpu: 0\n  .nohz_mode : 2\n"), -1, "no tick device: unknown");
	is_int(exercised_tick(&e, NULL), -1, "nothing");
	free(oneshot);
	free(tickless);
	free(periodic);
}

static void test_format_parse(void)
{
	struct exercised e, back;
	char buf[128];

	exercised_init(&e);
	is_int(exercised_format(&e, buf, sizeof(buf)), (int)strlen(buf), "all unknown");
	is_str(buf, "machine:unknown,pci:-,pmu:-,timer:-,tick:-", "... written with '-'");
	is_int(exercised_parse(buf, &back), 5, "... read back: five keys");
	is_str(back.machine, "unknown", "... machine unknown");
	is_int(back.pci, -1, "... pci unknown");
	is_int(back.pmu, -1, "... pmu unknown");
	is_str(back.timer, "", "... timer unknown");

	snprintf(e.machine, sizeof(e.machine), "pci-8086:0d57");
	e.pci = 6;
	e.pmu = 1;
	snprintf(e.timer, sizeof(e.timer), "lapic-deadline");
	snprintf(e.tick, sizeof(e.tick), "tickless");
	exercised_format(&e, buf, sizeof(buf));
	is_str(buf, "machine:pci-8086:0d57,pci:6,pmu:on,timer:lapic-deadline,tick:tickless",
	       "everything known");
	is_int(exercised_parse(buf, &back), 5, "read back");
	ok(!memcmp(&e, &back, sizeof(e)), "... the same facts");
	is_int(exercised_format(&e, buf, 20), -1, "a buffer too small: -1");

	is_int(exercised_parse("machine:microvm,pci:0,pmu:off,timer:lapic,tick:periodic,irq:msi",
			       &back), 5, "an unknown key is skipped");
	is_str(back.machine, "microvm", "... machine");
	is_int(back.pci, 0, "... pci 0");
	is_int(back.pmu, 0, "... pmu off");
	is_str(back.tick, "periodic", "... tick");
	is_int(exercised_parse("pci:x,pmu:maybe,timer:a b,machine:pc;x", &back), 4,
	       "malformed values");
	is_int(back.pci, -1, "... pci unknown");
	is_int(back.pmu, -1, "... pmu unknown");
	is_str(back.timer, "", "... timer unknown");
	is_str(back.machine, "unknown", "... machine unknown");
	is_int(exercised_parse("pci:99999999999999999999", &back), 1, "an overflowing count");
	is_int(back.pci, -1, "... unknown");
	is_int(exercised_parse("", &back), 0, "empty: nothing known");
	is_int(exercised_parse(",,:x,pci", &back), 0, "separators only");
	is_int(exercised_parse(NULL, &back), 0, "nothing");
}

int main(void)
{
	test_machine();
	test_timer();
	test_tick();
	test_format_parse();
	return tap_done();
}
