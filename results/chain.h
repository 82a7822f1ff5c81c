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
 *   started level as where the chain ended, with the outcome seen there.
 *
 * Pure logic, shared by launcher and host. */
#ifndef SUPERNESTED_CHAIN_H
#define SUPERNESTED_CHAIN_H

#include <stddef.h>

#include "outcome.h"
#include "report.h"

struct chain_level {
	unsigned started:1, up:1, stopped:1, child_started:1, child_up:1, failed:1, summary:1;
	enum outcome outcome;	/* from its stop, or its parent's child-fail */
};

struct chain {
	int self;		/* the observer: 0 for the host, N for level N's launcher */
	int maxdepth;		/* deepest level allowed; 0 until level self+1 says */
	int deepest_up;		/* deepest level seen up, 0 for none */
	int ended_from;		/* levels >= this sent their last word (summary); 0 none */
	struct chain_level level[REPORT_LEVEL_MAX + 2];
};

/* @maxdepth 0: not known (a saved log): taken from level self+1's up line. */
void chain_init(struct chain *c, int self, int maxdepth);

/* Check @r against the rules and, when it passes, record what it says.
 * Returns 0, -EPERM for a report out of turn (a level speaking about
 * another, or before it was started: a forgery or a damaged stream), or
 * -ERANGE for a value out of range; @why says which, in one line. */
int chain_accept(struct chain *c, const struct report *r, char *why, size_t len);

#endif
