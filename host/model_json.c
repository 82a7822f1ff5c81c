/* model_json.c - the exit-cost model as JSON: the fit, each observed
 * level's measured and modelled boot, the next level and the hardware
 * host, with the same figures `supernested model` prints as a table. */
#include "model_json.h"

#include <math.h>

/* negative or not finite: unknown, null */
static void put_num(json_object *o, const char *key, double v)
{
	json_object_object_add(o, key, v >= 0 && isfinite(v) ? json_object_new_double(v) : NULL);
}

static void put_count(json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, v >= 0 ? json_object_new_int64(v) : NULL);
}

static json_object *fit_json(const struct model_fit *f)
{
	json_object *o = json_object_new_object();

	put_num(o, "k", f->k);
	put_num(o, "l1_exit_us", f->l1_exit_s * 1e6);
	json_object_object_add(o, "l1_exit_given", json_object_new_boolean(f->t1_given));
	put_num(o, "work_s", f->work_s);	/* the runs' mean; each level has its run's */
	json_object_object_add(o, "levels_k", json_object_new_int(f->nk));
	json_object_object_add(o, "levels_timed", json_object_new_int(f->nt));
	json_object_object_add(o, "runs", json_object_new_int(f->nruns));
	/* as many timed levels as parameters: the fit checks nothing */
	json_object_object_add(o, "exact", json_object_new_boolean(f->nt <= f->nruns + !f->t1_given));
	put_num(o, "own_exits", f->own_exits);
	put_num(o, "irq_per_s", f->irq_per_s);
	return o;
}

static json_object *obs_json(const struct model_obs *ob, const struct model_fit *f)
{
	json_object *o = json_object_new_object();
	double t = ob->boot_s > 0 ? ob->boot_s : ob->stopped_s, p = -1;

	json_object_object_add(o, "pass", json_object_new_int(ob->run + 1));
	json_object_object_add(o, "level", json_object_new_int(ob->level));
	put_count(o, "exits", ob->exits);
	put_count(o, "irq", ob->irq);
	put_count(o, "exits_l1", model_obs_l1_exits(ob));
	put_num(o, "exits_l1_model", ob->exits > 0 ?
		(double)ob->exits * model_amplification(f, ob->level) : -1);
	put_num(o, "work_s", ob->run >= 0 && ob->run < MODEL_RUNS_MAX ? f->run_work_s[ob->run] : f->work_s);
	put_num(o, "up_at_s", ob->up_at_s);
	put_num(o, "boot_s", ob->boot_s > 0 ? ob->boot_s : -1);
	put_num(o, "stopped_s", ob->boot_s > 0 ? -1 : ob->stopped_s);
	if (ob->exits > 0)
		p = model_obs_boot_s(f, ob);
	put_num(o, "model_s", p);
	json_object_object_add(o, "error", p >= 0 && t > 0 ?
			       json_object_new_double((p - t) / t) : NULL);
	return o;
}

static json_object *next_json(const struct model_obs *o, int n, const struct model_fit *f)
{
	struct model_next nx;
	json_object *j;

	if (model_next_level(o, n, f, &nx) < 0)
		return NULL;
	j = json_object_new_object();
	json_object_object_add(j, "level", json_object_new_int(nx.level));
	json_object_object_add(j, "starved", json_object_new_boolean(nx.boot_s < 0));
	put_num(j, "boot_s", nx.boot_s);
	put_num(j, "tick_load", nx.tick_load);
	put_num(j, "no_tick_boot_s", nx.no_tick_boot_s);
	return j;
}

static json_object *hw_json(const struct model_fit *f, const struct model_hw_ask *ask)
{
	struct model_host h = model_host_hw(f, ask->exit_us);
	double boot[MODEL_HW_LEVELS + 1], up_at[MODEL_HW_LEVELS + 1];
	int max = ask->max_level < MODEL_HW_LEVELS ? ask->max_level : MODEL_HW_LEVELS;
	json_object *o = json_object_new_object(), *levels = json_object_new_array();
	int deepest;

	if (max < 2)
		max = 2;
	deepest = model_host_depth(&h, ask->budget_s, max, boot, up_at);
	put_num(o, "l1_exit_us", ask->exit_us);
	put_num(o, "work_s", h.work_s);
	put_num(o, "tick_hz", h.irq_per_s);
	put_num(o, "slow_tick_hz", h.slow_irq_per_s);
	json_object_object_add(o, "slow_tick_from", json_object_new_int(h.slow_from));
	put_num(o, "budget_s", ask->budget_s);
	json_object_object_add(o, "depth", json_object_new_int(deepest));
	for (int i = 2; i <= max; i++) {
		json_object *l = json_object_new_object();
		double load;

		model_host_boot_s(&h, i, &load);
		json_object_object_add(l, "level", json_object_new_int(i));
		json_object_object_add(l, "starved", json_object_new_boolean(boot[i] < 0));
		put_num(l, "boot_s", boot[i]);
		put_num(l, "up_at_s", up_at[i]);
		put_num(l, "tick_load", load);
		json_object_array_add(levels, l);
		if (boot[i] < 0)	/* nothing comes up past a starved level */
			break;
	}
	json_object_object_add(o, "levels", levels);
	return o;
}

json_object *model_json(const struct model_obs *o, int n, const struct model_fit *f,
			const struct model_hw_ask *hw)
{
	json_object *j = json_object_new_object(), *levels = json_object_new_array();

	json_object_object_add(j, "model", json_object_new_string("boot(N) = W + exits(N) x k^(N-2) x t1"));
	json_object_object_add(j, "fit", fit_json(f));
	for (int i = 0; i < n; i++)
		json_object_array_add(levels, obs_json(&o[i], f));
	json_object_object_add(j, "levels", levels);
	json_object_object_add(j, "next", next_json(o, n, f));
	if (hw)
		json_object_object_add(j, "hw", hw_json(f, hw));
	return j;
}
