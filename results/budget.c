/* budget.c - time budgets of a child level (see budget.h). */
#include "budget.h"

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Indexed by the child's level.  Up to L4 each level took 2-4 times its
 * parent's boot, so the floor doubles; L5 took 40 times L4's (826 s in the
 * one run that came up), so its floor is twice that.  Deeper: the cap. */
static const double floor_by_level[] = {
	[1] = BUDGET_FLOOR_S, [2] = BUDGET_FLOOR_S, [3] = 2 * BUDGET_FLOOR_S,
	[4] = 4 * BUDGET_FLOOR_S, [5] = 16 * BUDGET_FLOOR_S,
};

double budget_floor(int child_level)
{
	int n = (int)(sizeof(floor_by_level) / sizeof(floor_by_level[0]));

	if (child_level < 1)
		return BUDGET_FLOOR_S;
	return child_level < n ? floor_by_level[child_level] : BUDGET_CAP_S;
}

double budget_up_within(double own_boot_s, double explicit_s, int child_level)
{
	if (explicit_s > 0)
		return explicit_s;
	return clamp(BUDGET_FACTOR * (own_boot_s > 0 ? own_boot_s : 0), budget_floor(child_level),
		     BUDGET_CAP_S);
}

double budget_extend_limit(double up_within_s)
{
	if (up_within_s >= BUDGET_CAP_S)
		return up_within_s;
	return clamp(BUDGET_EXTEND_TIMES * up_within_s, up_within_s, BUDGET_CAP_S);
}

double budget_extended(const struct budget *b, int progressed)
{
	if (!progressed || b->up_within_s >= b->up_limit_s)
		return 0;
	return clamp(b->up_within_s * (1 + BUDGET_EXTEND_STEP), b->up_within_s, b->up_limit_s);
}

double budget_run_default(int max_depth, double explicit_s)
{
	double sum = 0;

	for (int l = 1; l <= max_depth; l++)
		sum += (explicit_s > 0 ? explicit_s : budget_floor(l)) + BUDGET_GRACE_S;
	return sum > BUDGET_RUN_DEFAULT_S ? sum : BUDGET_RUN_DEFAULT_S;
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
	if (b->stop_by_s > 0 && c->start + b->stop_by_s - now < left)
		left = c->start + b->stop_by_s - now;
	return left;
}

double budget_stop_by(double deadline_s, double now_s)
{
	double left = deadline_s - now_s - BUDGET_DEADLINE_MARGIN_S;

	if (deadline_s <= 0)
		return 0;
	return left > 0 ? left : -1;	/* never 0 (that is "none"): too near is negative */
}

long long budget_child_deadline(long long deadline_s, double now_s)
{
	double left = (double)deadline_s - now_s,
	       lag = clamp(left / 8, 0, BUDGET_DEADLINE_LAG_MAX_S);

	if (deadline_s <= 2 * BUDGET_DEADLINE_MARGIN_S)
		return 0;
	return deadline_s - 2 * BUDGET_DEADLINE_MARGIN_S - (long long)lag;
}

int budget_deadline_usable(long long deadline_s, double now_s)
{
	return deadline_s > 0 && now_s > 1e9 && (double)deadline_s - now_s <= BUDGET_DEADLINE_MAX_AHEAD_S;
}

void budget_within_stop_by(struct budget *b)
{
	if (b->stop_by_s <= 0)
		return;
	if (b->up_within_s > b->stop_by_s)
		b->up_within_s = b->stop_by_s;
	if (b->up_limit_s > b->stop_by_s)
		b->up_limit_s = b->stop_by_s;
}

int budget_run_limit_reached(const struct budget *b, const struct budget_clock *c, double now)
{
	return b->stop_by_s > 0 && now - c->start >= b->stop_by_s;
}
