/* test_exit_profile.c - KVM exit counters and exit-reason/port histograms,
 * on text captured from a real run (level 1 under TCG running level 2 under
 * nested KVM on AMD SVM, and level 2 running level 3). */
#include "tap.h"
#include "exit_profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS SRCDIR "/tests/data/logs/"

static char *recorded(const char *name)
{
	char path[256];
	char *text;

	snprintf(path, sizeof(path), LOGS "%s", name);
	text = tap_slurp(path);
	ok(text != NULL, "read %s", name);
	return text;
}

/* Feed each "name value" line of a recorded debugfs listing whose name is
 * one of exit_counters[] to exit_profile_counter. */
static void feed_counters(struct exit_profile *p, const char *listing)
{
	for (const char *line = listing; line && *line; ) {
		const char *nl = strchr(line, '\n'), *sp = strchr(line, ' ');

		for (int c = 0; sp && c < EC_COUNT; c++) {
			char value[32];

			if ((size_t)(sp - line) == strlen(exit_counters[c].file) &&
			    !strncmp(line, exit_counters[c].file, (size_t)(sp - line))) {
				snprintf(value, sizeof(value), "%.*s\n",
					 (int)(nl ? nl - sp - 1 : (long)strlen(sp + 1)), sp + 1);
				ok(exit_profile_counter(p, (enum exit_counter)c, value) == 0,
				   "counter %s parses", exit_counters[c].file);
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

static void test_recorded_l2(void)
{
	char *stats = recorded("recorded-kvm-vm-stats-l2-for-l3.txt");
	char *hist = recorded("recorded-kvm-exit-hist-l2-for-l3.txt");
	struct exit_profile p;
	char top[256];
	struct report r;

	exit_profile_init(&p, ISA_SVM);
	if (stats)
		feed_counters(&p, stats);
	for (int c = 0; c < EC_COUNT; c++)
		ok(p.have_counter[c], "recorded listing has %s", exit_counters[c].file);
	ok(p.counter[EC_IO] == 35829, "io_exits 35829");
	ok(p.counter[EC_MMIO] == 1561, "mmio_exits 1561");
	ok(p.counter[EC_HALT] == 4, "halt_exits 4");
	ok(p.counter[EC_IRQ] == 4647, "irq_exits 4647");

	is_int(hist ? exit_profile_hist(&p, hist) : -1, 13, "13 exit reasons");
	ok(p.hist_hits == 46869, "Hits: 46869");
	ok(p.hist_dropped == 0, "Dropped: 0");
	ok(p.reason[0].code == 123 && p.reason[0].count == 35749, "largest first: ioio 35749");
	ok(p.reason[p.nreasons - 1].count == 1, "smallest last");
	ok(p.class_count[XC_MSR] == 2459, "msr 2459");
	ok(p.class_count[XC_NPF] == 2316, "npf 2316");
	is_int(exit_profile_top(&p, 4, top, sizeof(top)) > 0, 1, "top 4 formats");
	is_str(top, "io:35749,intr:4629,msr:2459,npf:2316", "top 4 by name");
	is_int(exit_profile_top(&p, 4, top, 20), -ENOSPC, "top into 20 bytes: -ENOSPC");

	report_init(&r, 2, "child-exits");
	report_addf(&r, "level", "%d", 3);
	exit_profile_add(&p, &r);
	is_str(report_get(&r, "total"), "47078", "report total= from the debugfs counter");
	is_str(report_get(&r, "io"), "35829", "report io=");
	is_str(report_get(&r, "msr"), "2459", "report msr=");
	is_str(report_get(&r, "npf"), "2316", "report npf=");
	ok(report_get(&r, "top") && !strncmp(report_get(&r, "top"), "io:35749,intr:4629,", 19),
	   "report top=");
	ok(report_get(&r, "io_ports") == NULL, "no io_ports without the port histogram");
	{
		char line[REPORT_LINE_MAX];
		struct report back;
		size_t off;

		ok(report_format(&r, line, sizeof(line)) > 0, "line formats: %s", line);
		ok(report_parse(line, &back, &off) == 0, "line parses back");
		is_str(report_get(&back, "top"), report_get(&r, "top"), "top= round trip");
	}
	free(stats);
	free(hist);
}

static void test_recorded_l1_ports(void)
{
	char *hist = recorded("recorded-kvm-exit-hist-l1-for-l2.txt");
	char *pio = recorded("recorded-kvm-pio-hist-l1-for-l2.txt");
	struct exit_profile p;
	char top[256];
	struct report r;

	exit_profile_init(&p, ISA_SVM);
	is_int(hist ? exit_profile_hist(&p, hist) : -1, 15, "L1: 15 exit reasons");
	ok(p.class_count[XC_NPF] == 2318, "L1: npf 2318");
	is_int(pio ? exit_profile_pio(&p, pio) : -1, EXIT_PORTS_MAX, "L1: ports beyond the table are dropped");
	ok(p.port[0].code == 0xcf8 && p.port[0].count == 17547, "busiest port 0xcf8 (PCI config address)");
	ok(p.port[1].code == 0xcfc, "then 0xcfc (PCI config data)");
	ok(exit_profile_top_ports(&p, 0, 3, top, sizeof(top)) > 0, "ports format");
	is_str(top, "0xcf8:17547,0xcfc:17258,0xcfe:195", "top 3 ports");
	report_init(&r, 1, "child-exits");
	exit_profile_add(&p, &r);
	ok(report_get(&r, "total") == NULL, "no counters read: no total=");
	ok(report_get(&r, "io_ports") != NULL, "io_ports= with the port histogram");
	free(hist);
	free(pio);
}

static void test_bad_input(void)
{
	struct exit_profile p;

	exit_profile_init(&p, ISA_SVM);
	is_int(exit_profile_counter(&p, EC_IO, "12x\n"), -EINVAL, "counter '12x': -EINVAL");
	is_int(exit_profile_counter(&p, EC_IO, ""), -EINVAL, "empty counter: -EINVAL");
	is_int(exit_profile_counter(&p, EC_IO, "-1\n"), -EINVAL, "negative counter: -EINVAL");
	is_int(exit_profile_counter(&p, EC_COUNT, "1\n"), -EINVAL, "no such counter: -EINVAL");
	ok(!p.have_counter[EC_IO], "bad counters leave none");
	is_int(exit_profile_hist(&p, "no histogram here\n"), -EINVAL, "text without a histogram: -EINVAL");
	ok(!p.have_hist, "and no histogram kept");
	is_int(exit_profile_hist(&p, "{ exit_reason: 124 } hitcount: 7\n{ exit_reason: zz } hitcount: 1\n"),
	       1, "a garbled entry is skipped");
	ok(p.class_count[XC_MSR] == 7, "the good one counts");
}

static void test_subtract(void)
{
	struct exit_profile before, now;

	exit_profile_init(&before, ISA_SVM);
	exit_profile_init(&now, ISA_SVM);
	exit_profile_counter(&before, EC_TOTAL, "42199\n");
	exit_profile_counter(&now, EC_TOTAL, "47078\n");
	exit_profile_counter(&now, EC_IO, "35829\n");
	exit_profile_counter(&before, EC_HALT, "9\n");
	exit_profile_counter(&now, EC_HALT, "4\n");
	exit_profile_subtract(&now, &before);
	ok(now.counter[EC_TOTAL] == 4879, "total since the snapshot");
	ok(now.counter[EC_IO] == 35829, "a counter the snapshot lacks stays whole");
	ok(now.counter[EC_HALT] == 0, "a counter that went backwards (new VM) gives 0");
}

static void test_names(void)
{
	char buf[16];

	is_str(exit_reason_name(ISA_SVM, 0x400, buf, sizeof(buf)), "npf", "svm 0x400 npf");
	is_str(exit_reason_name(ISA_SVM, 0x7b, buf, sizeof(buf)), "io", "svm 0x7b io");
	is_str(exit_reason_name(ISA_SVM, 0xffffffffu, buf, sizeof(buf)), "vmrun_err", "svm -1");
	is_str(exit_reason_name(ISA_SVM, 0x99, buf, sizeof(buf)), "0x99", "unknown code in hex");
	is_str(exit_reason_name(ISA_VMX, 48, buf, sizeof(buf)), "ept_violation", "vmx 48");
	is_str(exit_reason_name(ISA_VMX, 0x80000021, buf, sizeof(buf)), "invalid_state",
	       "vmx: entry-failure flag masked");
	{
		struct exit_profile p;

		exit_profile_init(&p, ISA_VMX);
		exit_profile_hist(&p, "{ exit_reason: 31 } hitcount: 3\n{ exit_reason: 32 } hitcount: 4\n"
				      "{ exit_reason: 48 } hitcount: 5\n{ exit_reason: 49 } hitcount: 6\n"
				      "Totals:\n    Hits: 18\n");
		ok(p.class_count[XC_MSR] == 7, "vmx msr = reads + writes");
		ok(p.class_count[XC_NPF] == 11, "vmx npf = EPT violations + misconfigs");
	}
}

/* exit_summary_starved on the counts of recorded runs' child-exits lines */
static void summary_counts(struct exit_summary *s, long long total, long long io, long long mmio,
			   long long irq, long long npf)
{
	memset(s, 0, sizeof(*s));
	s->seen = 1;
	for (int i = 0; i < XS_COUNT; i++)
		s->count[i] = -1;
	s->count[XS_TOTAL] = total;
	s->count[XS_IO] = io;
	s->count[XS_MMIO] = mmio;
	s->count[XS_IRQ] = irq;
	s->count[XS_NPF] = npf;
}

static void test_starved(void)
{
	struct exit_summary s;
	char hint[400] = "";

	summary_counts(&s, 3270, 2, 0, 3262, 5);	/* level 5 of a depth-5 run */
	ok(exit_summary_starved(&s, hint, sizeof(hint)) == 1, "starved: L5, 3262 of 3270 interrupts");
	ok(strstr(hint, "3262 of its 3270 exits") && strstr(hint, "only 7 its own"),
	   "starved: the hint gives the counts (%s)", hint);
	summary_counts(&s, 2626, 433, 953, 183, 1091);	/* a level 2 boot */
	ok(!exit_summary_starved(&s, hint, sizeof(hint)), "not starved: a normal boot");
	summary_counts(&s, 5368, 433, 953, 1553, 1080);	/* level 4, slow but working */
	ok(!exit_summary_starved(&s, hint, sizeof(hint)), "not starved: a slow boot doing its own work");
	summary_counts(&s, 58558, 381, 471, 52625, 568);	/* level 5, 1920 s, in its kernel */
	ok(exit_summary_starved(&s, hint, sizeof(hint)) == 2, "slow: L5, 52625 of 58558 interrupts, 1420 its own");
	ok(strstr(hint, "52625 of its 58558 exits") && strstr(hint, "1420 its own") &&
	   strstr(hint, "working, slowly"), "slow: the hint gives the counts and says it worked (%s)", hint);
	summary_counts(&s, 18503, 241, 300, 14987, 400);	/* level 5, 600 s, 81% interrupts */
	ok(exit_summary_starved(&s, hint, sizeof(hint)) == 2, "slow: 81%% interrupts");
	summary_counts(&s, 1000, 10, 10, 740, 10);
	ok(!exit_summary_starved(&s, hint, sizeof(hint)), "not starved: 74%% interrupts");
	summary_counts(&s, 40, 0, 0, 40, 0);
	ok(!exit_summary_starved(&s, hint, sizeof(hint)), "not starved: too few exits to say");
	summary_counts(&s, 3270, -1, -1, 3262, -1);
	ok(exit_summary_starved(&s, hint, sizeof(hint)) == 1, "starved: unknown counts count as none");
	s.seen = 0;
	ok(!exit_summary_starved(&s, hint, sizeof(hint)), "not starved: no profile at all");
}

int main(void)
{
	test_recorded_l2();
	test_recorded_l1_ports();
	test_bad_input();
	test_subtract();
	test_names();
	test_starved();
	return tap_done();
}
