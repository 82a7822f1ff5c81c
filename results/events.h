/* events.h - turn the report stream of a run (live or from a saved console
 * log) into one record per level.  Pure logic: no I/O, unit- and
 * golden-tested on recorded serial logs. */
#ifndef SUPERNESTED_EVENTS_H
#define SUPERNESTED_EVENTS_H

#include "budget.h"
#include "chain.h"
#include "classify.h"
#include "exercised.h"
#include "exit_profile.h"
#include "outcome.h"
#include "report.h"

#define RUN_MAX_LEVELS REPORT_LEVEL_MAX
#define LEVEL_EVIDENCE_MAX 40
#define RUN_NOTES_MAX 32		/* room for notes on lines ignored */
#define RUN_WARNINGS_MAX 32	/* room of its own for warnings, config errors, more time
				 * given, lines lost: never crowded out by the first kind */

struct level_record {
	int seen;		/* any line names this level */
	int up;			/* it reported up */
	double up_at_s;		/* host clock (seconds since run start) at its up line */
	double uptime_s;	/* its own kernel's uptime when it came up */
	double launcher_s;	/* of which its launcher (PID 1) took this long */
	double first_console_at_s;	/* host clock of its first kernel line; <0 none */
	double boot_s;		/* parent's measure, qemu start -> up; <0 unknown */
	double started_at_s;	/* host clock at the parent's child-start; <0 unknown */
	char accel[16], vendor[16], cpu[80], virt[8], nested[12], kernel[64], booted[16];
	char entry[16], version[64], qemu[64];	/* how its kernel was entered; image version */
	char crng[12];		/* its random pool when it came up: ready, waiting */
	char thp[12];		/* its transparent huge pages: always, madvise, never, none */
	long mem_mb, avail_mb, child_mem_mb;
	long child_need_mb, reserve_mb;	/* its memory plan for its child */
	double child_budget_s;	/* how long it gave its child to come up; <0 unknown */
	int smp;
	int tick_stride;	/* its tick every N jiffies: its up line, else its parent's child-start; 0 unknown */
	struct {
		int known;	/* it reported them: it has several CPUs */
		long tlb, call, resched;	/* IPIs among its CPUs around a small workload; -1 unknown */
	} ipis;
	struct {
		int known;	/* its up line said (a launcher from before did not) */
		struct exercised is;	/* its machine, PCI, PMU, timer, tick, as it found them */
	} exercised;
	char vcpu_cpus[REPORT_VALUE_MAX];	/* its vCPUs: the CPU of its parent each last ran on, "0,1" */
	char vcpu_guest_ms[REPORT_VALUE_MAX];	/* ... and the guest time each had until it was up, ms */
	enum outcome outcome;	/* its stop reason, or how it failed */
	char detail[REPORT_VALUE_MAX], hint[REPORT_VALUE_MAX];
	char evidence[LEVEL_EVIDENCE_MAX][160];
	int nevidence;
	int nconsole;		/* its non-report console lines */
	struct exit_summary exits;	/* its boot's VM exits, counted by its parent */
	struct exit_summary exits_l1;	/* level 1's KVM's exits during its boot (level > 2) */
};

struct run_model {
	struct level_record level[RUN_MAX_LEVELS + 1];	/* index = level */
	struct chain chain;	/* who may say what: every accepted report passed it */
	int max_level;		/* highest level named so far */
	int summary_seen;	/* level 1's summary arrived */
	int deepest;		/* deepest level up, as seen (never as claimed) */
	enum outcome result;	/* why the chain stopped */
	int failed_level;
	double budget_extended_s;	/* what levels added to their children's time (child-extend) */
	/* warnings, config errors, damaged and ignored lines, in order; the
	 * last "N more notes" when either room ran out */
	char notes[RUN_NOTES_MAX + RUN_WARNINGS_MAX + 1][200];
	int nnotes;
	int nplain, nwarnings;	/* of each kind kept */
	unsigned long long notes_dropped;	/* not kept: counted */
	int damaged;		/* structural lines found lost (recovered from what followed) */
	int refused_from;	/* levels >= this were refused as implausible; 0 none */
	unsigned long long refused_below;	/* reports of that subtree ignored since */
	int summary_from;	/* level whose summary ended the chain: 1, deeper when level 1's was lost */
	enum outcome deeper_result;	/* the shallowest deeper summary seen, for a lost one */
	int deeper_failed, deeper_from;
	int last_report_line;	/* m->lines at the newest accepted report */
	int damaged_line;	/* m->lines at the newest damaged report line (garbled, or
				 * its prefix broken: plain text ending in a checksum) */
	unsigned long long garbled;	/* lines with a broken report */
	unsigned long long rejected;	/* well-formed reports that broke the chain's rules */
	unsigned long long lines;
	double last_s;		/* host time of the newest line */
	double first_s;		/* host time of the first line with one; <0 none yet */
	int clock_moves;	/* line times differ: a clock the timing rules may use */
	/* level 1's own console, for classifying its end */
	char l1_console[LEVEL_EVIDENCE_MAX][160];
	int l1_console_line[LEVEL_EVIDENCE_MAX];	/* m->lines of each */
	int l1_nconsole;
};

void events_init(struct run_model *m);

/* The run was started with this max depth (run, or parse --max-depth):
 * no level may go deeper until an up line says the maxdepth the levels run
 * with; from then on that one holds.  Without it (a saved log), the first
 * up line that says is the chain's. */
void events_expect_maxdepth(struct run_model *m, int maxdepth);

/* The times given to events_line are a guest's own clock (a level 1 booted
 * by hand tabulating its chain), which may run far behind real time: the
 * chain's clock floor does not apply. */
void events_guest_clock(struct run_model *m);

/* Feed one console line seen at host time @host_s (seconds since start).
 * A leading "[+12.345s] " stamp (as our console.log writes) overrides
 * @host_s when @host_s < 0. */
void events_line(struct run_model *m, const char *line, double host_s);

/* The run ended without level 1's summary: record how, from what qemu
 * left (@end may be NULL when unknown, e.g. a truncated saved log). */
void events_abnormal_end(struct run_model *m, const struct child_end *end);

/* One line of evidence about level 1 itself, seen by the host rather than
 * reported (e.g. where its CPU was when the run's time limit stopped it). */
void events_level1_evidence(struct run_model *m, const char *line);

/* Level 1's budget clock, on the host's clock, from what the stream said:
 * the host tool budgets level 1 as a launcher budgets its child (budget.h).
 * Its start is host time 0; deeper_budget_s is the longest any level below
 * may wait for its child, announced or derived from the boots reported
 * (@explicit_s: --level-timeout, or 0), so that a stalled chain is stopped
 * by the deepest level still running, with its child's registers, before
 * the host stops level 1. */
void events_level1_clock(const struct run_model *m, double explicit_s, struct budget_clock *c);

/* Settle deepest/result when the stream ended; call once at the end.  A
 * chain whose level 1 summary was lost ends with the shallowest deeper
 * summary (noted); one with no summary at all whose level 1 printed a fatal
 * kernel message after the last report ends with level 1 failed by it. */
void events_finish(struct run_model *m);

#endif
