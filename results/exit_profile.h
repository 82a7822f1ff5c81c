/* exit_profile.h - where a child VM's boot exits went: KVM's per-VM debugfs
 * counters and the kvm_exit tracepoint's histogram by exit reason, parsed
 * and summed into one report line.  Pure logic: the reading is in
 * kvm_stats.c. */
#ifndef SUPERNESTED_EXIT_PROFILE_H
#define SUPERNESTED_EXIT_PROFILE_H

#include <stddef.h>

#include "report.h"

/* The per-VM debugfs files we read, in report order (see exit_counters[]). */
enum exit_counter {
	EC_TOTAL, EC_IO, EC_MMIO, EC_HALT, EC_IRQ, EC_IRQ_WINDOW, EC_EMUL, EC_COUNT
};

struct exit_counter_file {
	const char *file;	/* name under /sys/kernel/debug/kvm/<pid>-<fd>/ */
	const char *key;	/* report field */
};
extern const struct exit_counter_file exit_counters[EC_COUNT];

enum exit_isa { ISA_SVM, ISA_VMX };

/* Classes the report line names on their own (msr=, npf=). */
enum exit_class { XC_OTHER, XC_MSR, XC_NPF, XC_COUNT };

#define EXIT_REASONS_MAX 64
#define EXIT_PORTS_MAX 32
#define EXIT_TOP_DEFAULT 6

struct exit_reason_count {
	unsigned int code;
	unsigned long long count;
};

struct exit_profile {
	unsigned long long counter[EC_COUNT];
	int have_counter[EC_COUNT];
	struct exit_reason_count reason[EXIT_REASONS_MAX];	/* largest first */
	int nreasons;
	int have_hist;
	unsigned long long hist_hits, hist_dropped;
	unsigned long long class_count[XC_COUNT];
	struct exit_reason_count port[EXIT_PORTS_MAX];	/* I/O ports, busiest first */
	int nports;
	int have_pio;
	struct exit_reason_count msr[EXIT_PORTS_MAX];	/* MSR indexes, busiest first */
	int nmsrs;
	int have_msr;
	enum exit_isa isa;
};

void exit_profile_init(struct exit_profile *p, enum exit_isa isa);

/* The text of debugfs counter @c ("12345\n").  -EINVAL when not a number. */
int exit_profile_counter(struct exit_profile *p, enum exit_counter c, const char *text);

/* Counters since @before (a snapshot of the same VM's counters). */
void exit_profile_subtract(struct exit_profile *p, const struct exit_profile *before);

/* The text of tracefs events/kvm/kvm_exit/hist for the trigger
 * EXIT_HIST_TRIGGER.  Returns the number of reasons, or -EINVAL when the
 * text holds no histogram. */
int exit_profile_hist(struct exit_profile *p, const char *text);

/* The text of tracefs events/kvm/kvm_pio/hist for EXIT_PIO_TRIGGER: which
 * I/O ports the exits to qemu were for.  Returns the number of ports or
 * -EINVAL. */
int exit_profile_pio(struct exit_profile *p, const char *text);

/* The text of tracefs events/kvm/kvm_msr/hist for EXIT_MSR_TRIGGER: which
 * MSRs the guest read or wrote through KVM.  Returns their number or -EINVAL. */
int exit_profile_msr(struct exit_profile *p, const char *text);

/* Reason's short name ("msr", "npf", "hlt"; "0x1f" when unknown). */
const char *exit_reason_name(enum exit_isa isa, unsigned int code, char *buf, size_t len);

/* "npf:1234,msr:456,..." of the @n largest reasons.  Returns length or -ENOSPC. */
int exit_profile_top(const struct exit_profile *p, int n, char *buf, size_t len);

/* "0x70:1234,0x71:1234" of the @n busiest I/O ports (@msr: MSRs). */
int exit_profile_top_ports(const struct exit_profile *p, int msr, int n, char *buf, size_t len);

/* Add the profile to a report: total= io= mmio= halt= irq= irq_window= emul=
 * (the counters read) then msr= npf= traced= top= (with a histogram) and
 * io_ports= and msrs= (with the port and MSR histograms). */
void exit_profile_add(const struct exit_profile *p, struct report *r);

/* What the host keeps of a child-exits line (counts -1 when not reported). */
enum exit_summary_field {
	XS_TOTAL, XS_IO, XS_MMIO, XS_HALT, XS_IRQ, XS_IRQ_WINDOW, XS_EMUL, XS_MSR, XS_NPF,
	XS_TRACED, XS_COUNT
};
extern const char *const exit_summary_keys[XS_COUNT];

struct exit_summary {
	int seen;
	long long count[XS_COUNT];
	char top[160];		/* "io:35749,npf:2318,..." */
	char io_ports[160];	/* "0xcf8:17547,..." */
	char msrs[160];		/* "0x48:1234,..." */
};

/* Read a child-exits report back. */
void exit_summary_from_report(struct exit_summary *s, const struct report *r);

/* A failed boot whose exits were mostly its parent's interrupts (at least
 * STARVED_SLOW_PCT %): the parent's timer ticks took most of what the
 * levels below could deliver.  With almost no work of its own besides
 * (I/O, MMIO, page faults: at most STARVED_OWN_PCT %, interrupts at least
 * STARVED_IRQ_PCT %) its vCPU did nothing that needed its parent: 3262 of
 * 3270 exits in 400 s at level 5 here, in its firmware.  Else it was
 * working, slowly: 52625 of 58558 with 1420 its own in 1920 s, in its
 * kernel (a boot that comes up has at most a third: 1553 of 5368 at L4).
 * Fills @hint and returns 1 (no work) or 2 (slow), else 0. */
#define STARVED_MIN_EXITS 100
#define STARVED_IRQ_PCT 90
#define STARVED_OWN_PCT 1
#define STARVED_SLOW_PCT 75
int exit_summary_starved(const struct exit_summary *s, char *hint, size_t len);

/* The hist trigger the launcher writes (and removes, with a '!' in front). */
#define EXIT_HIST_TRIGGER "hist:keys=exit_reason:vals=hitcount:sort=hitcount.descending:size=256"
#define EXIT_PIO_TRIGGER "hist:keys=port:vals=hitcount:sort=hitcount.descending:size=256"
#define EXIT_MSR_TRIGGER "hist:keys=ecx:vals=hitcount:sort=hitcount.descending:size=256"

#endif
