/* chain.h - who may say what in a report stream.  Every line of a level
 * travels up through the levels above it, so any level could claim to be
 * deeper than it is.  These rules, applied by each launcher to what its
 * child relays and by the host tool to what level 1 prints, make every
 * depth in a report earned:
 *
 * - a level speaks only once its parent has reported child-start for it
 *   (level 1: started by whoever observes it), never deeper than maxdepth;
 * - a level reports events about itself and its own child only (events
 *   that name a level, such as exit counts, only started ones below it);
 * - up, child-start, child-up, child-fail, stop and summary come once;
 * - numbers are finite and in range, outcome names are known;
 * - a summary claims no level deeper than the deepest seen up, names a
 *   started level as where the chain ended, with the outcome seen there:
 *   a failure only where one was reported (the level's stop, its parent's
 *   child-fail or evidence), max-depth only at the chain's maxdepth;
 * - a level its parent reported failed (child-fail) never comes up after;
 * - plausibility, since order is not proof: a level's up says no more
 *   memory than its parent gave it; with an observer's clock
 *   (chain_clock), no level comes up sooner than CHAIN_BOOT_FLOOR_S after
 *   its child-start, and its parent's boot_s is no longer than the
 *   observer saw (CHAIN_BOOT_SLACK_*); a boot_s may be far shorter (a
 *   parent's clock can run slow: Bochs, deep levels).  A level that
 *   breaks these is refused with everything below it (refused_from).
 *
 * One damaged line never loses what the rest proves: a report accepted
 * only because a lost line is implied (a level speaks though its parent's
 * child-start was lost; a level starts its child or is reported up by its
 * parent though its own up was lost) says so in @recovered.  The rules
 * give integrity and consistency, not authentication: a level can still
 * invent a plausible subtree below itself (docs/trust.md).
 *
 * Pure logic, shared by launcher and host. */
#ifndef SUPERNESTED_CHAIN_H
#define SUPERNESTED_CHAIN_H

#include <stddef.h>

#include "outcome.h"
#include "report.h"

/* Fastest boot believed, child-start to up: the fastest level measured
 * here took 2.4 s (L2, nested KVM), microVMs reach init in ~0.13 s; a
 * subtree that claims less is refused. */
#define CHAIN_BOOT_FLOOR_S 0.25
/* A parent's boot_s may exceed what the observer saw between its
 * child-start and the child's up by this much: real runs show up to
 * +0.29 s (child-start relayed later than up) and 1.07x on a 4 s boot. */
#define CHAIN_BOOT_SLACK_S 1.0
#define CHAIN_BOOT_SLACK_RATIO 1.10

struct chain_level {
	unsigned started:1, up:1, stopped:1, child_started:1, child_up:1, failed:1, summary:1;
	unsigned evidence:1;	/* its parent sent evidence about it: it failed */
	unsigned up_refused:1, start_refused:1;	/* its up, its child-start: refused, not lost */
	enum outcome outcome;	/* from its stop, or its parent's child-fail */
	double start_at, up_at;	/* observer's clock at its child-start and up; <0 unknown */
	long long given_mb;	/* memory its parent gave it (child-start); <0 unknown */
};

struct chain {
	int self;		/* the observer: 0 for the host, N for level N's launcher */
	int guest_clock;	/* the observer's clock is a guest's (a by-hand level 1): it
				 * may run far slow (Bochs: 0.0074x), so it gives no floor */
	int maxdepth;		/* deepest level allowed; 0 until an up line says */
	int maxdepth_soft;	/* maxdepth is the observer's expectation only: the first
				 * up line that says its own is believed (a saved log) */
	int deepest_up;		/* deepest level seen up, 0 for none */
	int ended_from;		/* levels >= this sent their last word (summary); 0 none */
	int refused_from;	/* levels >= this broke a plausibility rule: refused; 0 none */
	double now;		/* observer's clock for the report being checked; <0 none */
	char recovered[200];	/* the lost line the last accepted report implied, or "" */
	struct chain_level level[REPORT_LEVEL_MAX + 2];
};

/* @maxdepth 0: not known (a saved log): taken from level self+1's up line. */
void chain_init(struct chain *c, int self, int maxdepth);

/* The observer's clock (seconds, any origin) for the reports that follow;
 * <0: none (the timing rules are skipped). */
void chain_clock(struct chain *c, double now);

/* Check @r against the rules and, when it passes, record what it says.
 * Returns 0, -EPERM for a report out of turn (a level speaking about
 * another, or before it was started: a forgery or a damaged stream), or
 * -ERANGE for a value out of range; @why says which, in one line.  A
 * refused report changes nothing, except that an implausible one refuses
 * its level's subtree (refused_from). */
int chain_accept(struct chain *c, const struct report *r, char *why, size_t len);

#endif
