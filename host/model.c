/* model.c - the exit-cost model: fit on a run's exit counts, predict a
 * level's boot time here and on a host whose level 1 has hardware KVM. */
#include "model.h"

#include <errno.h>
#include <math.h>

int model_obs_from_run(const struct run_model *m, struct model_obs *o, int max)
{
	int n = 0;

	for (int i = 2; i <= m->max_level && i <= RUN_MAX_LEVELS && n < max; i++) {
		const struct level_record *l = &m->level[i];
		const struct exit_summary *x = &l->exits, *x1 = &l->exits_l1;
		struct model_obs *ob = &o[n];

		if (!l->seen)
			continue;
		ob->run = 0;
		ob->level = i;
		ob->boot_s = l->up && l->boot_s > 0 ? l->boot_s : -1;
		ob->up_at_s = l->up ? l->up_at_s : -1;
		/* a level its parent stopped ran for the time it was given */
		ob->stopped_s = !l->up && l->outcome == OUTCOME_TIMEOUT &&
				m->level[i - 1].child_budget_s > 0 ? m->level[i - 1].child_budget_s : -1;
		ob->exits = x->seen ? x->count[XS_TOTAL] : -1;
		ob->irq = x->seen ? x->count[XS_IRQ] : -1;
		ob->exits_l1 = x1->seen ? x1->count[XS_TOTAL] : -1;
		n++;
	}
	return n;
}

long long model_obs_l1_exits(const struct model_obs *o)
{
	if (o->level == 2)	/* its parent is level 1 */
		return o->exits;
	return o->exits_l1;
}

static double obs_time(const struct model_obs *o)
{
	return o->boot_s > 0 ? o->boot_s : o->stopped_s;
}

/* The weight of a timed level: 1/t^2, so that the relative errors are
 * what is minimised and level 5's thousand seconds do not drown level 2's
 * two.  0: the level is not timed or has no counts. */
static double obs_weight(const struct model_obs *o)
{
	double t = obs_time(o);

	if (o->exits <= 0 || model_obs_l1_exits(o) <= 0 || !(t > 0) ||
	    o->run < 0 || o->run >= MODEL_RUNS_MAX)
		return 0;
	return 1 / (t * t);
}

int model_fit(const struct model_obs *o, int n, double given_l1_exit_s, struct model_fit *f)
{
	double lk = 0, kk = 0, own = 0, irq = 0, irq_s = 0, sxx = 0, sxy = 0;
	double s[MODEL_RUNS_MAX] = { 0 }, se[MODEL_RUNS_MAX] = { 0 }, st[MODEL_RUNS_MAX] = { 0 };
	int nown = 0, npoints[MODEL_RUNS_MAX] = { 0 }, identified = 0;

	*f = (struct model_fit){ .own_exits = -1, .irq_per_s = -1 };
	for (int i = 0; i < n; i++) {
		long long e1 = model_obs_l1_exits(&o[i]);
		double w = obs_weight(&o[i]);

		if (o[i].exits <= 0 || e1 <= 0)
			continue;
		/* k from levels that came up: a stopped level's mix (its
		 * parent's interrupts, nearly all) is not a boot's */
		if (o[i].level >= 3 && o[i].boot_s > 0) {
			double d = o[i].level - 2;

			lk += d * log((double)e1 / (double)o[i].exits);
			kk += d * d;
			f->nk++;
		}
		if (o[i].boot_s > 0 && o[i].irq >= 0 && o[i].irq <= o[i].exits) {
			own += (double)(o[i].exits - o[i].irq);
			irq += (double)o[i].irq;
			irq_s += o[i].boot_s;
			nown++;
		}
		if (w > 0) {
			s[o[i].run] += w;
			se[o[i].run] += w * (double)e1;
			st[o[i].run] += w * obs_time(&o[i]);
			npoints[o[i].run]++;
			f->nt++;
		}
	}
	for (int r = 0; r < MODEL_RUNS_MAX; r++) {
		f->nruns += npoints[r] > 0;
		identified |= npoints[r] > 1;
	}
	if (f->nk == 0 || f->nt == 0 || (!identified && !(given_l1_exit_s > 0)))
		return -ENODATA;
	f->k = exp(lk / kk);
	if (nown) {
		f->own_exits = own / nown;
		f->irq_per_s = irq_s > 0 ? irq / irq_s : -1;
	}
	/* t1 from the levels' spread around their run's weighted means */
	for (int i = 0; i < n; i++) {
		double w = obs_weight(&o[i]), de, dt;
		int r = o[i].run;

		if (!(w > 0))
			continue;
		de = (double)model_obs_l1_exits(&o[i]) - se[r] / s[r];
		dt = obs_time(&o[i]) - st[r] / s[r];
		sxx += w * de * de;
		sxy += w * de * dt;
	}
	if (given_l1_exit_s > 0) {
		f->t1_given = 1;
		f->l1_exit_s = given_l1_exit_s;
	} else {
		f->l1_exit_s = sxx > 0 && sxy > 0 ? sxy / sxx : 0;	/* no slope: all work */
	}
	for (int r = 0; r < MODEL_RUNS_MAX; r++) {
		if (!npoints[r])
			continue;
		f->run_work_s[r] = (st[r] - f->l1_exit_s * se[r]) / s[r];
		if (f->run_work_s[r] < 0)	/* exits explain more than all of it */
			f->run_work_s[r] = 0;
		f->work_s += f->run_work_s[r] / f->nruns;
	}
	return 0;
}

double model_amplification(const struct model_fit *f, int level)
{
	return level <= 2 ? 1 : pow(f->k, level - 2);
}

double model_boot_s(const struct model_fit *f, int level, long long exits)
{
	return f->work_s + (double)exits * model_amplification(f, level) * f->l1_exit_s;
}

double model_obs_boot_s(const struct model_fit *f, const struct model_obs *o)
{
	double w = o->run >= 0 && o->run < MODEL_RUNS_MAX ? f->run_work_s[o->run] : f->work_s;

	return w + (double)o->exits * model_amplification(f, o->level) * f->l1_exit_s;
}

struct model_host model_host_hw(const struct model_fit *f, double exit_us)
{
	return (struct model_host){ .l1_exit_s = exit_us * 1e-6, .work_s = MODEL_HW_WORK_S,
				    .own_exits = f->own_exits, .irq_per_s = MODEL_HW_TICK_HZ, .k = f->k,
				    .slow_from = SETTINGS_DEFAULT_SLOW_TICK_FROM,
				    .slow_irq_per_s = MODEL_HW_SLOW_TICK_HZ };
}

double model_host_irq_per_s(const struct model_host *h, int level)
{
	return h->slow_from > 0 && level - 1 >= h->slow_from ? h->slow_irq_per_s : h->irq_per_s;
}

double model_host_boot_s(const struct model_host *h, int level, double *load)
{
	double a = (level <= 2 ? 1 : pow(h->k, level - 2)) * h->l1_exit_s;
	double tick = model_host_irq_per_s(h, level) * a;

	if (load)
		*load = tick;
	if (!(tick < 1))
		return -1;
	return (h->work_s + h->own_exits * a) / (1 - tick);
}

int model_host_depth(const struct model_host *h, double budget_s, int max_level,
		     double *boot, double *up_at)
{
	double at = h->work_s;	/* level 1 itself: a boot with no exits below */
	int deepest = 1;

	for (int i = 2; i <= max_level; i++) {
		boot[i] = model_host_boot_s(h, i, NULL);
		if (boot[i] < 0 || at < 0) {
			up_at[i] = -1;
			at = -1;
			continue;
		}
		at += boot[i];
		up_at[i] = at;
		if (at <= budget_s && deepest == i - 1)
			deepest = i;
	}
	return deepest;
}

int model_next_level(const struct model_obs *o, int n, const struct model_fit *f,
		     struct model_next *out)
{
	struct model_host h = { .l1_exit_s = f->l1_exit_s, .work_s = f->work_s,
				.own_exits = f->own_exits, .irq_per_s = f->irq_per_s, .k = f->k };
	int next = 0;

	for (int i = 0; i < n; i++)
		if (o[i].boot_s > 0 && o[i].level + 1 > next)
			next = o[i].level + 1;
	if (f->own_exits < 0 || f->irq_per_s < 0 || next < 3 || next > RUN_MAX_LEVELS)
		return -ENODATA;
	out->level = next;
	out->boot_s = model_host_boot_s(&h, next, &out->tick_load);
	h.irq_per_s = 0;
	out->no_tick_boot_s = model_host_boot_s(&h, next, NULL);
	return 0;
}
