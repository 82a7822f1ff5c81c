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

int model_fit(const struct model_obs *o, int n, double given_l1_exit_s, struct model_fit *f)
{
	double lk = 0, kk = 0, s = 0, se = 0, st = 0, see = 0, set = 0, own = 0, irq = 0, irq_s = 0;
	int nown = 0;

	*f = (struct model_fit){ .own_exits = -1, .irq_per_s = -1 };
	for (int i = 0; i < n; i++) {
		long long e1 = model_obs_l1_exits(&o[i]);
		double t = obs_time(&o[i]), w;

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
		if (!(t > 0))
			continue;
		/* weight 1/t^2: the relative errors are what is minimised, so
		 * level 5's thousand seconds do not drown level 2's two */
		w = 1 / (t * t);
		s += w;
		se += w * (double)e1;
		st += w * t;
		see += w * (double)e1 * (double)e1;
		set += w * (double)e1 * t;
		f->nt++;
	}
	if (f->nk == 0 || f->nt == 0 || (f->nt < 2 && !(given_l1_exit_s > 0)))
		return -ENODATA;
	f->k = exp(lk / kk);
	if (nown) {
		f->own_exits = own / nown;
		f->irq_per_s = irq_s > 0 ? irq / irq_s : -1;
	}
	if (given_l1_exit_s > 0) {
		f->t1_given = 1;
		f->l1_exit_s = given_l1_exit_s;
		f->work_s = (st - given_l1_exit_s * se) / s;
	} else {
		double d = s * see - se * se;

		f->l1_exit_s = d > 0 ? (s * set - se * st) / d : 0;
		f->work_s = (st - f->l1_exit_s * se) / s;
		if (!(f->l1_exit_s > 0)) {	/* no slope: all time is work */
			f->l1_exit_s = 0;
			f->work_s = st / s;
		} else if (f->work_s < 0) {	/* through the origin */
			f->work_s = 0;
			f->l1_exit_s = set / see;
		}
	}
	if (f->work_s < 0)
		f->work_s = 0;
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

double model_host_boot_s(const struct model_host *h, int level, double *load)
{
	double a = (level <= 2 ? 1 : pow(h->k, level - 2)) * h->l1_exit_s;
	double tick = h->irq_per_s * a;

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
