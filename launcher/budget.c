/* budget.c - time budgets of a child level (see budget.h). */
#include "budget.h"

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

double budget_floor(int child_level)
{
	double floor = BUDGET_FLOOR_S;

	for (int l = 3; l <= child_level && floor < BUDGET_CAP_S; l++)
		floor *= 2;
	return floor < BUDGET_CAP_S ? floor : BUDGET_CAP_S;
}

double budget_up_within(double own_boot_s, double explicit_s, int child_level)
{
	if (explicit_s > 0)
		return explicit_s;
	return clamp(BUDGET_FACTOR * (own_boot_s > 0 ? own_boot_s : 0), budget_floor(child_level),
		     BUDGET_CAP_S);
}

void budget_note_announced(struct budget_clock *c, double budget_s)
{
	if (budget_s > c->deeper_budget_s)
		c->deeper_budget_s = budget_s;
}

void budget_note_boot(struct budget_clock *c, double boot_s, double explicit_s, int booted_level)
{
	budget_note_announced(c, budget_up_within(boot_s, explicit_s, booted_level + 1));
}

double budget_left(const struct budget *b, const struct budget_clock *c, double now)
{
	double left, deadline;

	deadline = c->start + b->up_within_s +
		   (double)b->levels_below * (BUDGET_CAP_S + BUDGET_GRACE_S) + BUDGET_GRACE_S;
	if (c->summary_at >= 0)
		left = BUDGET_EXIT_WAIT_S - (now - c->summary_at);
	else if (c->up_at < 0)
		left = b->up_within_s - (now - c->start);
	else {
		/* what the child will give its own child */
		double below = budget_up_within(c->up_at - c->start, b->explicit_s,
						b->child_level + 1);

		if (c->deeper_budget_s > below)
			below = c->deeper_budget_s;
		left = below * (b->levels_below > 0) + (double)BUDGET_GRACE_S * (b->levels_below + 1) -
		       (now - c->last_activity);
	}
	if (deadline - now < left)
		left = deadline - now;
	return left;
}
