/* cmd_model.c - `supernested model [--l1-exit-us US] [--hw] [--hw-exit-us US]
 * [--budget S] [--json] report.json|RUN_DIR|console.log...`: fit the
 * exit-cost model (model.h) on the exit counts of one or more runs (each
 * pass its own W) and print it per level next to what was measured, as a
 * table or as JSON (model_json.h); with --hw, the depth and per-level times
 * it predicts for a host whose level 1 runs on hardware KVM. */
#include "cmd_model.h"
#include "saved_log.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "model.h"
#include "model_json.h"
#include "verdict.h"

#define OBS_MAX (RUN_MAX_LEVELS * MODEL_RUNS_MAX)	/* levels of the passes a fit takes */

struct model_input {
	struct model_obs obs[OBS_MAX];
	int pass[OBS_MAX];	/* which run of the report each came from, from 1 */
	int n, npasses;
};

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static double num(json_object *o, const char *key, double dflt)
{
	json_object *v = get(o, key);

	return v && (json_object_is_type(v, json_type_double) ||
		     json_object_is_type(v, json_type_int)) ? json_object_get_double(v) : dflt;
}

/* A count from the report: -1 when absent, not a number, or past what a
 * real run counts (2^62), so that no cast overflows. */
static long long count(json_object *o, const char *key, long long dflt)
{
	double v = num(o, key, -1);

	if (!get(o, key))
		return dflt;
	return v >= 0 && v <= 4611686018427387904.0 ? (long long)v : -1;
}

/* One pass's "levels" array of report.json into observations. */
static void read_json_levels(struct model_input *in, json_object *levels, int pass)
{
	double budget = -1;	/* the parent's child_budget_s */

	if (!json_object_is_type(levels, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(levels) && in->n < OBS_MAX; i++) {
		json_object *l = json_object_array_get_idx(levels, i), *x = get(l, "exits");
		struct model_obs *o = &in->obs[in->n];
		int level = (int)num(l, "level", 0), up = json_object_get_boolean(get(l, "up"));

		if (level >= 2 && level <= RUN_MAX_LEVELS) {
			o->run = pass - 1;
			o->level = level;
			o->boot_s = up ? num(l, "boot_s", -1) : -1;
			o->up_at_s = up ? num(l, "up_at_s", -1) : -1;
			o->stopped_s = !up && json_object_is_type(get(l, "outcome"), json_type_string) &&
				       !strcmp(json_object_get_string(get(l, "outcome")), "timeout") ? budget : -1;
			/* counts are written only when > 0 (output.c): a boot
			 * counted with no interrupt has none */
			o->exits = x ? count(x, "total", -1) : -1;
			o->irq = x ? count(x, "irq", 0) : -1;
			o->exits_l1 = count(get(l, "exits_l1"), "total", -1);
			in->pass[in->n++] = pass;
		}
		budget = num(l, "child_budget_s", -1);
	}
}

/* Each input appends its passes after those already read, up to
 * MODEL_RUNS_MAX in all. */
static int load_json(struct model_input *in, const char *file)
{
	json_object *root = json_object_from_file(file), *passes;
	int first = in->npasses, npasses;

	if (!root || !json_object_is_type(get(root, "levels"), json_type_array)) {
		fprintf(stderr, "supernested: %s is not a supernested report.json\n", file);
		json_object_put(root);
		return -EINVAL;
	}
	passes = get(root, "passes");
	if (json_object_is_type(passes, json_type_array) && json_object_array_length(passes)) {
		/* each pass its own W: past MODEL_RUNS_MAX passes, the rest are left out */
		npasses = (int)json_object_array_length(passes);
		if (first + npasses > MODEL_RUNS_MAX) {
			fprintf(stderr, "supernested: %s: the first %d of its %d passes\n", file,
				MODEL_RUNS_MAX - first, npasses);
			npasses = MODEL_RUNS_MAX - first;
		}
		for (int p = 0; p < npasses; p++)
			read_json_levels(in, get(json_object_array_get_idx(passes, (size_t)p), "levels"),
					 first + p + 1);
		in->npasses = first + npasses;
	} else {
		read_json_levels(in, get(root, "levels"), first + 1);
		in->npasses = first + 1;
	}
	json_object_put(root);
	return 0;
}

static int load_log(struct model_input *in, const char *file)
{
	static struct run_model m;
	int rc = saved_log_read(file, &m, 0), n;

	if (rc < 0) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", file, strerror(-rc));
		return rc;
	}
	n = model_obs_from_run(&m, in->obs + in->n, OBS_MAX - in->n);
	for (int i = in->n; i < in->n + n; i++) {
		in->obs[i].run = in->npasses;
		in->pass[i] = in->npasses + 1;
	}
	in->n += n;
	in->npasses++;
	return 0;
}

/* A run directory (its report.json, else its console.log), a report.json
 * (it starts with '{'), or a console log. */
static int load_input(struct model_input *in, const char *path)
{
	char file[4096];
	struct stat st;
	FILE *f;
	int c = EOF;

	if (in->npasses >= MODEL_RUNS_MAX) {
		fprintf(stderr, "supernested: model: %s left out: %d runs at most\n", path, MODEL_RUNS_MAX);
		return 0;
	}

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (snprintf(file, sizeof(file), "%s/report.json", path) >= (int)sizeof(file))
			return -ENAMETOOLONG;
		if (access(file, R_OK) == 0)
			return load_json(in, file);
		if (snprintf(file, sizeof(file), "%s/console.log", path) >= (int)sizeof(file))
			return -ENAMETOOLONG;
		return load_log(in, file);
	}
	f = fopen(path, "re");
	if (f) {
		while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\t' || c == '\r')
			;
		fclose(f);
	}
	return c == '{' ? load_json(in, path) : load_log(in, path);
}

static void fmt_time(char *buf, size_t len, double s)
{
	if (!(s >= 0))
		snprintf(buf, len, "-");
	else if (s < 100)
		snprintf(buf, len, "%.1f s", s);
	else
		snprintf(buf, len, "%.0f s", s);
}

static void fmt_count(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", v);
}

static void print_fit_table(const struct model_input *in, const struct model_fit *f)
{
	printf("level  exits  L1 exits  L1 model  up at    boot         model    error\n");
	for (int i = 0; i < in->n; i++) {
		const struct model_obs *o = &in->obs[i];
		char ex[24], e1[24], e1m[24], at[24], meas[32], pred[24], err[24] = "-";
		double t = o->boot_s > 0 ? o->boot_s : o->stopped_s, p = -1;

		if (in->npasses > 1 && (i == 0 || in->pass[i] != in->pass[i - 1]))
			printf("pass %d (W %.2f s)\n", in->pass[i], f->run_work_s[o->run]);
		fmt_count(ex, sizeof(ex), (double)o->exits);
		fmt_count(e1, sizeof(e1), (double)model_obs_l1_exits(o));
		fmt_count(e1m, sizeof(e1m), o->exits > 0 ?
			  (double)o->exits * model_amplification(f, o->level) : -1);
		fmt_time(at, sizeof(at), o->up_at_s);
		fmt_time(meas, sizeof(meas), t);
		if (o->boot_s <= 0 && o->stopped_s > 0) {	/* still booting when stopped */
			size_t l = strlen(meas);

			snprintf(meas + l, sizeof(meas) - l, " stop");
		}
		if (o->exits > 0) {
			p = model_obs_boot_s(f, o);
			if (t > 0)
				snprintf(err, sizeof(err), "%+.0f%%", (p - t) / t * 100);
		}
		fmt_time(pred, sizeof(pred), p);
		printf("L%-4d  %-5s  %-8s  %-8s  %-7s  %-11s  %-7s  %s\n", o->level, ex, e1, e1m, at,
		       meas, pred, err);
	}
}

/* The level after the deepest one up, on this host: its boot at
 * the fitted tick rate, and with no tick from its parent at all. */
static void print_next(const struct model_input *in, const struct model_fit *f)
{
	struct model_next nx;

	if (model_next_level(in->obs, in->n, f, &nx) < 0)
		return;
	printf("next level here (its parent's interrupts %.1f/s as fitted, %.0f own exits): L%d ", f->irq_per_s,
	       f->own_exits, nx.level);
	if (nx.boot_s < 0)
		printf("starved: its parent's ticks alone need %.0f%% of level 1", nx.tick_load * 100);
	else
		printf("%.0f s (tick load %.0f%%)", nx.boot_s, nx.tick_load * 100);
	printf("; with no tick from its parent: %.0f s\n", nx.no_tick_boot_s);
}

static void print_hw(const struct model_fit *f, double exit_us, double budget_s)
{
	struct model_host h = model_host_hw(f, exit_us);
	double boot[MODEL_HW_LEVELS + 1], up_at[MODEL_HW_LEVELS + 1];
	int deepest = model_host_depth(&h, budget_s, MODEL_HW_LEVELS, boot, up_at);

	printf("\nhardware level 1 (assumed: %.1f us per level-1 exit, W %.1f s, parent tick %.0f Hz,"
	       " %.1f Hz from level %d on; fitted: k %.2f, %.0f own exits per boot):\n", exit_us, h.work_s,
	       h.irq_per_s, h.slow_irq_per_s, h.slow_from, h.k, h.own_exits);
	printf("level  boot     up at    tick load\n");
	for (int i = 2; i <= MODEL_HW_LEVELS; i++) {
		char b[24], at[24];
		double load;

		model_host_boot_s(&h, i, &load);
		fmt_time(b, sizeof(b), boot[i]);
		fmt_time(at, sizeof(at), up_at[i]);
		if (boot[i] < 0) {
			printf("L%-4d  starved: its parent's ticks alone need %.0f%% of level 1\n", i,
			       load * 100);
			break;
		}
		printf("L%-4d  %-7s  %-7s  %.0f%%\n", i, b, at, load * 100);
	}
	printf("depth within %.0f s: %d\n", budget_s, deepest);
}

static int parse_positive(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || !(*v > 0) || *v > 1e9 ? -EINVAL : 0;
}

/* The fit and its figures as JSON on stdout (model_json.h). */
static int print_json(const struct model_input *in, const struct model_fit *f, int hw, double hw_us,
		      double budget)
{
	struct model_hw_ask ask = { .exit_us = hw_us, .budget_s = budget, .max_level = MODEL_HW_LEVELS };
	json_object *j = model_json(in->obs, in->n, f, hw ? &ask : NULL);
	const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = puts(text) < 0 || fflush(stdout) ? VERDICT_INFRA : VERDICT_PASS;

	json_object_put(j);
	return rc;
}

static void print_text(const struct model_input *in, const struct model_fit *f, int hw, double hw_us,
		       double budget)
{
	printf("exit-cost model: boot(N) = W + exits(N) x k^(N-2) x t1\n");
	printf("fit on %d level%s: k = %.2f level-1 exits per exit per level of nesting, "
	       "t1 = %.1f us per level-1 exit (%.0f/s)%s, W = %.2f s%s\n", f->nt, f->nt == 1 ? "" : "s",
	       f->k, f->l1_exit_s * 1e6, f->l1_exit_s > 0 ? 1 / f->l1_exit_s : 0,
	       f->t1_given ? " given" : "", f->work_s, f->nruns > 1 ? " (the passes' mean)" : "");
	if (f->nt <= f->nruns + !f->t1_given)
		printf("(as many levels as parameters: an exact fit, no check of the model)\n");
	print_fit_table(in, f);
	print_next(in, f);
	if (hw)
		print_hw(f, hw_us, budget);
}

int cmd_model(int argc, char **argv)
{
	static struct model_input in;
	struct model_fit fit;
	double l1_us = 0, hw_us = MODEL_HW_EXIT_US, budget = MODEL_BUDGET_S;
	int i = 2, hw = 0, json = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--hw"))
			hw = 1;
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--l1-exit-us") && i + 1 < argc) {
			if (parse_positive(argv[++i], &l1_us) < 0)
				goto bad_number;
		} else if (!strcmp(argv[i], "--hw-exit-us") && i + 1 < argc) {
			if (parse_positive(argv[++i], &hw_us) < 0)
				goto bad_number;
			hw = 1;
		} else if (!strcmp(argv[i], "--budget") && i + 1 < argc) {
			if (parse_positive(argv[++i], &budget) < 0)
				goto bad_number;
		} else {
			fprintf(stderr, "supernested: model: unknown option '%s' (--l1-exit-us US, --hw, "
				"--hw-exit-us US, --budget SECONDS, --json)\n", argv[i]);
			return VERDICT_USAGE;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "supernested: model wants report.json files, run directories or console logs\n");
		return VERDICT_USAGE;
	}
	for (int a = i; a < argc; a++)
		if (load_input(&in, argv[a]) < 0)
			return VERDICT_INFRA;
	if (model_fit(in.obs, in.n, l1_us * 1e-6, &fit) < 0) {
		fprintf(stderr, "supernested: %s%s: no fit: the model needs a level >= 3 that came up "
			"with its exit counts (child-exits at its parent and at level 1)\n", argv[i],
			argc - i > 1 ? " ..." : "");
		return VERDICT_INFRA;
	}
	if (json)
		return print_json(&in, &fit, hw, hw_us, budget);
	print_text(&in, &fit, hw, hw_us, budget);
	return VERDICT_PASS;

bad_number:
	fprintf(stderr, "supernested: model: %s wants a positive number, not '%s'\n", argv[i - 1], argv[i]);
	return VERDICT_USAGE;
}
