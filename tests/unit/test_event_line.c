/* test_event_line.c - the live view's sentences from real report lines. */
#include "event_line.h"
#include "report.h"
#include "tap.h"

#include <string.h>

/* The sentence for one sealed report line seen at @t. */
static const char *say(const char *unsealed, double t)
{
	static char line[REPORT_LINE_MAX], out[256];
	struct report r;
	size_t off;

	snprintf(line, sizeof(line), "%s", unsealed);
	if (report_seal(line, sizeof(line)) < 0 || report_parse(line, &r, &off) < 0)
		return "(unparsable)";
	event_line_format(out, sizeof(out), &r, t);
	return out;
}

int main(void)
{
	char tiny[16];
	struct report r;

	is_str(say("supernested: L3 up uptime_s=7.180 accel=kvm vendor=AuthenticAMD virt=svm nested=1 "
		    "mem_mb=235 kernel=6.1.192-supernested maxdepth=3", 28.0),
		"[   28.0s] L3 up: kvm, svm nested=1, 235 MiB, kernel 6.1.192-supernested",
		"up: accelerator, virtualization, memory, kernel");
	is_str(say("supernested: L2 up accel=kvm virt=svm nested=1 mem_mb=746 kernel=6.1 "
		   "exercised=machine:pc,pci:6,pmu:on,timer:lapic-deadline,tick:tickless", 20.0),
	       "[   20.0s] L2 up: kvm, svm nested=1, 746 MiB, kernel 6.1; pc, 6 PCI, PMU on, "
	       "lapic-deadline, tickless", "up: what its machine exercised, briefly");
	is_str(say("supernested: L3 up accel=kvm exercised=machine:microvm,pci:0,pmu:off,timer:lapic,"
		   "tick:periodic tick_stride=8", 20.0),
	       "[   20.0s] L3 up: kvm; microvm, 0 PCI, PMU off, lapic, periodic every 8 jiffies",
	       "up: the deep levels' slow tick");
	is_str(say("supernested: L2 up accel=kvm exercised=machine:microvm,pci:-,pmu:-,timer:-,tick:-", 20.0),
	       "[   20.0s] L2 up: kvm; microvm, PCI ?, PMU ?, timer ?, tick ?",
	       "up: what it could not find out, as '?'");
	is_str(say("supernested: L2 child-start level=3 mem_mb=256 smp=1 budget_s=240", 11.4),
		"[   11.4s] L2 starting L3 (256 MiB, budget 240 s)", "child-start: memory and budget");
	is_str(say("supernested: L2 child-up level=3 boot_s=16.971", 28.4),
		"[   28.4s] L2 L3 booted in 16.971 s", "child-up: the boot its parent measured");
	is_str(say("supernested: L1 child-fail level=2 reason=panic detail=\"Kernel panic - not syncing\"", 9),
		"[    9.0s] L1 L2 FAILED: panic (Kernel panic - not syncing)", "child-fail: outcome and detail");
	is_str(say("supernested: L3 child-extend level=4 budget_s=720 after_s=480 work=101", 500),
		"[  500.0s] L3 L4 still booting and working: budget now 720 s", "child-extend");
	is_str(say("supernested: L1 summary deepest=3 result=max-depth failed_level=3", 31),
		"[   31.0s] L1 done: deepest level 3, chain ended at L3: max-depth", "level 1's summary");
	is_str(say("supernested: L2 summary deepest=3 result=max-depth failed_level=3", 30), "",
		"a deeper level's summary says nothing new live");
	is_str(say("supernested: L2 child-exits level=3 total=100", 30), "",
		"exit counts are for the table, not the live view");
	is_str(say("supernested: L2 config-error key=supernested.mem value=lots detail=\"not a size\" using=default", 3),
		"[    3.0s] L2 setting supernested.mem=lots refused, default used: not a size",
		"config-error: key, value, why");
	report_init(&r, 1, "warning");
	report_add(&r, "detail", "a long warning that cannot fit");
	event_line_format(tiny, sizeof(tiny), &r, 1);
	ok(strlen(tiny) == sizeof(tiny) - 1, "a sentence is cut to the buffer, NUL-terminated");
	/* a tree: the speaker named as its line names it */
	is_str(say("supernested: L1.2 child-start level=1.2.1 mem_mb=256 budget_s=283", 16.1),
	       "[   16.1s] L1.2 starting L1.2.1 (256 MiB, budget 283 s)", "a node of a tree speaks as L1.2");
	return tap_done();
}
