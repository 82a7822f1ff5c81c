/* compare.c - regressions against a baseline report (see compare.h). */
#include "compare.h"
#include "junit.h"
#include "output.h"
#include "profile.h"
#include "stats.h"
#include "verdict.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static double num(json_object *o, const char *key, double fallback)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return fallback;
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return fallback;
	return json_object_get_double(v);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static void str(json_object *o, const char *key, char *buf, size_t len)
{
	json_object *v = get(o, key);

	snprintf(buf, len, "%s", v && json_object_is_type(v, json_type_string) ?
		 json_object_get_string(v) : "");
}

static double boot_of(json_object *l, int n)
{
	double boot = num(l, "boot_s", -1);

	if (boot < 0 && n == 1 && json_object_get_boolean(get(l, "up")))
		boot = num(l, "up_at_s", -1);	/* the host starts level 1 at 0 */
	return boot;
}

static void add_sample(struct level_figures *l, double v)
{
	if (v >= 0 && l->n < FIGURES_SAMPLES_MAX)
		l->sample[l->n++] = v;
}

static void level_stats(struct level_figures *l)
{
	struct stats s;

	stats_compute(l->sample, l->n, &s);
	l->mean = l->n ? s.mean : -1;
	l->sd = s.sd;
}

/* One pass's levels: boot times and outcomes. */
static void read_levels(struct report_figures *f, json_object *levels)
{
	for (size_t i = 0; levels && json_object_is_type(levels, json_type_array) &&
			   i < json_object_array_length(levels); i++) {
		json_object *l = json_object_array_get_idx(levels, i);
		int n = (int)num(l, "level", 0);
		char state[32];
		enum outcome o;

		if (n < 1 || n > RUN_MAX_LEVELS)
			continue;
		if (!f->kernel[0])
			str(l, "kernel", f->kernel, sizeof(f->kernel));
		if (json_object_get_boolean(get(l, "up"))) {
			f->level[n].up = 1;
			add_sample(&f->level[n], boot_of(l, n));
		}
		str(l, "outcome", state, sizeof(state));
		o = outcome_from_name(state);
		if (outcome_is_failure(o))
			f->level[n].failures |= 1u << o;
		else if (o == OUTCOME_MAX_DEPTH)
			f->level[n].ended = 1;
		if (n > f->max_level)
			f->max_level = n;
	}
}

/* Good by verdict.h's rule, for every pass; reports from before the rule
 * recorded exit 0 for a level that came up and died, so the levels are
 * judged again. */
static void judge(struct report_figures *f, json_object *result, json_object *levels, int pass)
{
	int expected = f->expect_depth > 0 ? f->expect_depth :
		       f->max_depth > 0 ? f->max_depth : RUN_MAX_LEVELS;
	int deepest = (int)num(result, "deepest", 0), status = (int)num(result, "exit_status", -1);
	char where[24] = "";

	if (!f->good)
		return;
	if (pass > 0 && f->passes > 1)
		snprintf(where, sizeof(where), " (pass %d)", pass);
	/* the cause first: a level that failed within the expected depth */
	for (size_t i = 0; levels && json_object_is_type(levels, json_type_array) &&
			   i < json_object_array_length(levels) && !f->not_good[0]; i++) {
		json_object *l = json_object_array_get_idx(levels, i);
		int n = (int)num(l, "level", 0), up = json_object_get_boolean(get(l, "up"));
		char state[32];
		enum outcome o;

		str(l, "outcome", state, sizeof(state));
		o = outcome_from_name(state);
		if (n < 1 || n > expected || !outcome_is_failure(o) ||
		    (up && !verdict_outcome_is_death(o)))
			continue;
		snprintf(f->not_good, sizeof(f->not_good), "level %d %s: %s%s", n,
			 up ? "came up and then failed" : "failed", state, where);
	}
	if (f->not_good[0])
		;
	else if (!json_object_get_boolean(get(result, "completed")))
		snprintf(f->not_good, sizeof(f->not_good), "the run did not complete%s", where);
	else if ((f->expect_depth > 0 || f->max_depth > 0) && deepest < expected)
		snprintf(f->not_good, sizeof(f->not_good), "depth %d, %d expected%s", deepest,
			 expected, where);
	else if (status > 0)
		snprintf(f->not_good, sizeof(f->not_good), "exit status %d%s", status, where);
	else
		return;
	f->good = 0;
}

int report_figures_load(const char *path, struct report_figures *f, char *err, size_t errlen)
{
	json_object *root, *levels, *passes, *set;
	struct stat st;
	char file[600];

	memset(f, 0, sizeof(*f));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(file, sizeof(file), "%s/report.json", path);
	else
		snprintf(file, sizeof(file), "%s", path);
	snprintf(f->path, sizeof(f->path), "%s", file);
	root = json_object_from_file(file);
	if (!root) {
		snprintf(err, errlen, "cannot read %s as JSON: %s", file,
			 access(file, R_OK) ? strerror(errno) : "not valid JSON");
		return -EINVAL;
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_is_type(get(root, "result"), json_type_object) ||
	    !json_object_is_type(levels = get(root, "levels"), json_type_array)) {
		snprintf(err, errlen, "%s is not a supernested report.json (no result or levels)", file);
		json_object_put(root);
		return -EINVAL;
	}
	set = get(root, "settings");
	str(root, "started", f->started, sizeof(f->started));
	{
		char recorded[sizeof(f->profile)];

		str(set, "profile", recorded, sizeof(recorded));
		snprintf(f->profile, sizeof(f->profile), "%s", run_profile_of(recorded));
	}
	f->width = (int)num(root, "width", 1);
	f->deepest = (int)num(get(root, "result"), "deepest", 0);
	f->completed = json_object_get_boolean(get(get(root, "result"), "completed"));
	f->exit_status = (int)num(get(root, "result"), "exit_status", -1);
	f->passes = (int)num(set, "passes", 1);
	f->expect_depth = (int)num(set, "expect_depth", 0);
	f->max_depth = (int)num(set, "max_depth", 0);
	f->runs = 1;
	f->good = 1;
	/* every pass: its boot times are the samples, its outcomes count */
	passes = get(root, "passes");
	if (passes && json_object_is_type(passes, json_type_array) && json_object_array_length(passes)) {
		for (size_t p = 0; p < json_object_array_length(passes); p++) {
			json_object *o = json_object_array_get_idx(passes, p);

			read_levels(f, get(o, "levels"));
			judge(f, get(o, "result"), get(o, "levels"), (int)p + 1);
		}
	} else {
		read_levels(f, levels);
		judge(f, get(root, "result"), levels, 0);
	}
	/* ci/nightly.sh records the night's own status in its history copy: a
	 * run flagged as a regression is no reference either (no ratchet) */
	if (f->good && num(get(root, "nightly"), "exit_status", 0) > 0) {
		f->good = 0;
		snprintf(f->not_good, sizeof(f->not_good), "the nightly flagged it (exit status %d)",
			 (int)num(get(root, "nightly"), "exit_status", 0));
	}
	for (int n = 1; n <= f->max_level; n++)
		level_stats(&f->level[n]);
	json_object_put(root);
	return 0;
}

void figures_pool(struct report_figures *pool, const struct report_figures *run)
{
	if (pool->runs == 0) {
		*pool = *run;	/* its path, date, kernel and depth to start with */
		snprintf(pool->path, sizeof(pool->path), "%s", run->path);
		return;
	}
	pool->runs++;
	pool->passes += run->passes;
	pool->good = pool->good && run->good;
	if (run->deepest < pool->deepest)
		pool->deepest = run->deepest;
	pool->completed = pool->completed && run->completed;
	if (run->max_level > pool->max_level)
		pool->max_level = run->max_level;
	snprintf(pool->path, sizeof(pool->path), "%d good runs pooled", pool->runs);
	for (int n = 1; n <= run->max_level; n++) {
		struct level_figures *p = &pool->level[n];
		const struct level_figures *r = &run->level[n];

		p->up |= r->up;
		p->ended |= r->ended;
		p->failures |= r->failures;
		for (int k = 0; k < r->n; k++)
			add_sample(p, r->sample[k]);
		level_stats(p);
	}
}

enum outcome figures_first_failure(unsigned failures)
{
	for (int o = 0; o < OUTCOME__COUNT; o++)
		if (failures & (1u << o))
			return (enum outcome)o;
	return OUTCOME_NONE;
}

double compare_limit(double base_mean, double base_sd)
{
	double rel = COMPARE_REL_LIMIT * base_mean, noise = COMPARE_SD_LIMIT * (base_sd > 0 ? base_sd : 0);

	return base_mean + (rel > noise ? rel : noise);
}

void compare_figures(const struct report_figures *base, const struct report_figures *now,
		     struct comparison *c)
{
	int top = base->max_level > now->max_level ? base->max_level : now->max_level;

	memset(c, 0, sizeof(*c));
	c->depth_base = base->deepest;
	c->depth_new = now->deepest;
	c->depth_dropped = now->deepest < base->deepest;
	for (int i = 1; i <= top && c->nchecks < RUN_MAX_LEVELS; i++) {
		const struct level_figures *b = &base->level[i], *n = &now->level[i];
		struct level_check *k;

		if (!b->up && !b->failures && !n->failures)
			continue;	/* a level neither shows: the depth check's */
		k = &c->check[c->nchecks++];
		*k = (struct level_check){ .level = i, .base = b->n ? b->mean : -1, .base_sd = b->sd,
					   .now = n->up && n->n ? n->mean : -1,
					   .timed = b->up && b->n > 0,
					   .base_outcome = figures_first_failure(b->failures),
					   .now_outcome = figures_first_failure(n->failures),
					   .outcome_known = n->up || n->failures };
		/* the noise is the larger spread of the two: a noisy night's mean of
		 * three is no more precise than its samples (docs/verdict.md: with
		 * the reference's sd alone, 2 of 4 comparisons of unchanged runs
		 * alarmed) */
		k->noise_sd = n->n > 1 && n->sd > b->sd ? n->sd : b->sd;
		k->limit = k->timed ? compare_limit(b->mean, k->noise_sd) : -1;
		/* a level missing from the new run is the depth check's to report */
		k->regressed = k->timed && k->now >= 0 && k->now > k->limit;
		/* worse: a failure, or a failure class, the reference never showed here */
		k->outcome_regressed = (n->failures & ~b->failures) != 0;
		if (k->outcome_regressed)
			k->now_outcome = figures_first_failure(n->failures & ~b->failures);
		c->regressions += k->regressed;
		c->outcome_regressions += k->outcome_regressed;
	}
}

int comparison_regressed(const struct comparison *c)
{
	return c->depth_dropped || c->regressions || c->outcome_regressions;
}

static void fmt_fig(char *buf, size_t len, double mean, double sd)
{
	if (mean < 0)
		snprintf(buf, len, "-");
	else if (sd >= 0)
		snprintf(buf, len, "%.1f \u00b1 %.1f s", mean, sd);
	else
		snprintf(buf, len, "%.1f s", mean);
}

/* "ok", "max-depth" or the level's first failure; "-" when it does not show. */
static const char *state_of(const struct level_figures *l, enum outcome failed)
{
	if (failed != OUTCOME_NONE)
		return outcome_name(failed);
	if (l->ended)
		return outcome_name(OUTCOME_MAX_DEPTH);
	return l->up ? "ok" : "-";
}

void print_comparison(FILE *out, const struct report_figures *base,
		      const struct report_figures *now, const struct comparison *c)
{
	fprintf(out, "baseline: %s (%s, kernel %s)\n", base->path, base->started[0] ? base->started : "?",
		base->kernel[0] ? base->kernel : "?");
	fprintf(out, "new:      %s (%s, kernel %s)\n", now->path, now->started[0] ? now->started : "?",
		now->kernel[0] ? now->kernel : "?");
	fprintf(out, "%-6s%19s%19s %10s %9s  %-24s %s\n", "", "baseline", "new", "limit", "change",
		"outcome", "verdict");
	fprintf(out, "%-6s%19d%19d %10s %9s  %-24s %s\n", "depth", c->depth_base, c->depth_new, "", "",
		"", c->depth_dropped ? "DEPTH DROPPED" : "ok");
	for (int i = 0; i < c->nchecks; i++) {
		const struct level_check *k = &c->check[i];
		const struct level_figures *b = &base->level[k->level], *n = &now->level[k->level];
		char bf[48], nw[48], lim[24], ch[24], oc[64], verdict[48];

		fmt_fig(bf, sizeof(bf), k->base, k->base_sd);
		fmt_fig(nw, sizeof(nw), k->now, k->now >= 0 ? n->sd : -1);
		if (k->limit >= 0)
			snprintf(lim, sizeof(lim), "%.1f s", k->limit);
		else
			snprintf(lim, sizeof(lim), "-");
		if (k->now >= 0 && k->base > 0)
			snprintf(ch, sizeof(ch), "%+.0f %%", 100 * (k->now - k->base) / k->base);
		else
			snprintf(ch, sizeof(ch), "-");
		snprintf(oc, sizeof(oc), "%s -> %s", state_of(b, k->base_outcome),
			 state_of(n, k->now_outcome));
		snprintf(verdict, sizeof(verdict), "%s%s%s", k->outcome_regressed ? "WORSE OUTCOME" : "",
			 k->outcome_regressed && k->regressed ? ", " : "",
			 k->regressed ? "SLOWER" : "");
		if (!verdict[0])
			snprintf(verdict, sizeof(verdict), "%s", k->now < 0 && k->timed ? "not up" : "ok");
		fprintf(out, "L%-5d", k->level);
		put_col(out, bf, 18);
		put_col(out, nw, 18);
		fprintf(out, " %10s %9s  %-24s %s\n", lim, ch, oc, verdict);
	}
	fprintf(out, "%s: %s%d level(s) with a worse outcome, %d slower than max(%.0f %%, %.0f sd) "
		"over the baseline\n", comparison_regressed(c) ? "REGRESSION" : "no regression",
		c->depth_dropped ? "depth dropped; " : "", c->outcome_regressions, c->regressions,
		100 * COMPARE_REL_LIMIT, COMPARE_SD_LIMIT);
}

void compare_junit_suite(struct junit *j, const char *suite, const struct report_figures *base,
			 const struct report_figures *now, const struct comparison *c)
{
	char msg[300], name[48], classname[64], runs[16];

	snprintf(classname, sizeof(classname), "supernested.%s", suite);
	for (char *p = classname; *p; p++)
		if (*p == ' ')
			*p = '.';
	junit_suite_begin(j, suite, 1 + 2 * c->nchecks,
			  c->depth_dropped + c->regressions + c->outcome_regressions, 0, 0, 0,
			  now->started);
	junit_property(j, "baseline", base->path);
	snprintf(runs, sizeof(runs), "%d", base->runs);
	junit_property(j, "baseline_runs", runs);
	junit_property(j, "new", now->path);
	snprintf(msg, sizeof(msg), "depth %d, baseline %d", c->depth_new, c->depth_base);
	junit_case(j, classname, "depth", 0, c->depth_dropped ? LEVEL_FAIL : LEVEL_PASS,
		   "depth-dropped", msg, msg);
	for (int i = 0; i < c->nchecks; i++) {
		const struct level_check *k = &c->check[i];
		enum level_status st;

		snprintf(name, sizeof(name), "level %d outcome", k->level);
		snprintf(msg, sizeof(msg), "level %d: %s -> %s", k->level,
			 state_of(&base->level[k->level], k->base_outcome),
			 state_of(&now->level[k->level], k->now_outcome));
		junit_case(j, classname, name, 0, k->outcome_regressed ? LEVEL_FAIL : LEVEL_PASS,
			   "outcome-regression", msg, k->outcome_regressed ? msg : NULL);
		st = !k->timed || k->now < 0 ? LEVEL_SKIP : k->regressed ? LEVEL_FAIL : LEVEL_PASS;
		snprintf(name, sizeof(name), "level %d boot time", k->level);
		if (!k->timed)
			snprintf(msg, sizeof(msg), "level %d has no boot time in the baseline", k->level);
		else if (k->now < 0)
			snprintf(msg, sizeof(msg), "level %d not up in the new run", k->level);
		else
			snprintf(msg, sizeof(msg), "boot %.2f s, baseline %.2f s, limit %.2f s", k->now,
				 k->base, k->limit);
		junit_case(j, classname, name, k->now > 0 ? k->now : 0, st,
			   "boot-time-regression", msg, st == LEVEL_FAIL ? msg : NULL);
	}
	junit_suite_end(j);
}

int write_compare_junit(const char *path, const struct report_figures *base,
			const struct report_figures *now, const struct comparison *c)
{
	struct junit *j = junit_open(path, "supernested compare");

	if (!j)
		return -errno;
	compare_junit_suite(j, "supernested compare", base, now, c);
	return junit_close(j);
}

/* A candidate reference: enough to sort, judge and name it. */
struct candidate {
	char path[600];
	char started[32];
	int good;
	char not_good[200];
};

static int by_started(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	int d = strcmp(x->started, y->started);

	return d ? d : strcmp(x->path, y->path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* @path's runs: itself when it holds a report (a file, a run directory),
 * else every subdirectory holding a report.json (a history directory). */
static int expand(const char *path, char ***out, int *n)
{
	struct stat st;
	char file[700], **names = NULL;
	struct dirent *e;
	DIR *d;
	int k = 0, cap = 0;

	snprintf(file, sizeof(file), "%s/report.json", path);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode) || access(file, F_OK) == 0) {
		*out = malloc(sizeof(char *));
		if (!*out || !((*out)[0] = strdup(path)))
			return -ENOMEM;
		*n = 1;
		return 0;
	}
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char **grown;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(file, sizeof(file), "%s/%s/report.json", path, e->d_name) >= (int)sizeof(file) ||
		    access(file, F_OK) != 0)
			continue;
		if (k == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(names, (size_t)cap * sizeof(char *));
			if (!grown)
				break;
			names = grown;
		}
		if (asprintf(&names[k], "%s/%s", path, e->d_name) < 0)
			break;
		k++;
	}
	closedir(d);
	qsort(names, (size_t)k, sizeof(char *), by_name);
	*out = names;
	*n = k;
	return 0;
}

static int same_file(const char *a, const char *b)
{
	struct stat x, y;
	char fa[700], fb[700];

	snprintf(fa, sizeof(fa), "%s", a);
	snprintf(fb, sizeof(fb), "%s", b);
	if (stat(fa, &x) == 0 && S_ISDIR(x.st_mode))
		snprintf(fa, sizeof(fa), "%s/report.json", a);
	if (stat(fb, &y) == 0 && S_ISDIR(y.st_mode))
		snprintf(fb, sizeof(fb), "%s/report.json", b);
	return stat(fa, &x) == 0 && stat(fb, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

static int compare_one(FILE *out, struct junit *j, const char *title, const char *suite,
		       const struct report_figures *ref, const struct report_figures *now)
{
	struct comparison c;

	compare_figures(ref, now, &c);
	fprintf(out, "%s\n", title);
	print_comparison(out, ref, now, &c);
	if (j)
		compare_junit_suite(j, suite, ref, now, &c);
	return comparison_regressed(&c);
}

int compare_references(const struct compare_request *q, FILE *out, char *err, size_t errlen)
{
	static struct report_figures now, one, pool, pin;
	struct candidate *cand = NULL;
	struct junit *j = NULL;
	int ncand = 0, ngood = 0, nother = 0, nother_width = 0, first, rc = COMPARE_NO_REFERENCE, regressed = 0;
	char title[800];

	err[0] = '\0';
	if (report_figures_load(q->new_path, &now, err, errlen) < 0)
		return COMPARE_ERROR;
	for (int i = 0; i < q->nbases; i++) {
		char **runs = NULL;
		int n = 0, e = expand(q->bases[i], &runs, &n);

		if (e < 0) {
			snprintf(err, errlen, "cannot read %s: %s", q->bases[i], strerror(-e));
			free(cand);
			return COMPARE_ERROR;
		}
		for (int k = 0; k < n; k++) {
			struct candidate *grown;

			if (same_file(runs[k], q->new_path)) {
				free(runs[k]);
				continue;	/* never the run itself */
			}
			if (report_figures_load(runs[k], &one, err, errlen) < 0) {
				if (n == 1) {	/* named: its error is the answer */
					free(runs[k]);
					free(runs);
					free(cand);
					return COMPARE_ERROR;
				}
				fprintf(out, "skipped: %s\n", err);	/* one of a history's */
				err[0] = '\0';
				free(runs[k]);
				continue;
			}
			grown = realloc(cand, (size_t)(ncand + 1) * sizeof(*cand));
			if (!grown) {
				free(runs[k]);
				continue;
			}
			cand = grown;
			snprintf(cand[ncand].path, sizeof(cand[ncand].path), "%s", runs[k]);
			snprintf(cand[ncand].started, sizeof(cand[ncand].started), "%s", one.started);
			cand[ncand].good = one.good;
			snprintf(cand[ncand].not_good, sizeof(cand[ncand].not_good), "%s", one.not_good);
			/* like with like: another profile's machines are another
			 * benchmark, and so is a tree of another width */
			if (strcmp(one.profile, now.profile)) {
				cand[ncand].good = 0;
				snprintf(cand[ncand].not_good, sizeof(cand[ncand].not_good),
					 "profile %s, the new run's is %s", one.profile, now.profile);
				nother++;
			} else if (one.width != now.width) {
				cand[ncand].good = 0;
				snprintf(cand[ncand].not_good, sizeof(cand[ncand].not_good),
					 "width %d, the new run's is %d", one.width, now.width);
				nother_width++;
			}
			ncand++;
			free(runs[k]);
		}
		free(runs);
	}
	if (ncand)
		qsort(cand, (size_t)ncand, sizeof(*cand), by_started);
	for (int k = 0; k < ncand; k++) {
		if (!cand[k].good)
			fprintf(out, "not a baseline: %s: %s\n", cand[k].path, cand[k].not_good);
		ngood += cand[k].good;
	}
	/* the window: the newest q->window good runs, oldest first */
	first = 0;
	for (int k = ncand - 1, kept = 0; k >= 0; k--)
		if (cand[k].good && ++kept <= (q->window > 0 ? q->window : COMPARE_WINDOW))
			first = k;
	memset(&pool, 0, sizeof(pool));
	for (int k = first; k < ncand && ngood; k++) {
		if (!cand[k].good)
			continue;
		if (report_figures_load(cand[k].path, &one, err, errlen) < 0)
			goto out;
		figures_pool(&pool, &one);
	}
	if (q->junit && !(j = junit_open(q->junit, "supernested compare"))) {
		snprintf(err, errlen, "cannot write %s: %s", q->junit, strerror(errno));
		rc = COMPARE_ERROR;
		goto out;
	}
	if (pool.runs) {
		snprintf(title, sizeof(title), "against the reference: %d good run(s)%s%s", pool.runs,
			 pool.runs > 1 ? ", pooled, the oldest " : "",
			 pool.runs > 1 ? cand[first].started : "");
		regressed |= compare_one(out, j, title, "supernested compare", &pool, &now);
		rc = COMPARE_OK;
	} else {
		fprintf(out, "no good run to compare with among %d\n", ncand);
		if (nother && !nother_width && !q->pin)
			snprintf(err, errlen, "no run of profile %s to compare with (%d of another profile "
				 "left out: compare like with like)", now.profile, nother);
		else if (nother_width && !q->pin)
			snprintf(err, errlen, "no run of profile %s and width %d to compare with (%d of "
				 "another profile, %d of another width left out: compare like with like)",
				 now.profile, now.width, nother, nother_width);
	}
	/* the pin: named, or the oldest good run of the window */
	if (q->pin) {
		if (report_figures_load(q->pin, &pin, err, errlen) < 0) {
			rc = COMPARE_ERROR;
			goto out;
		}
		if (strcmp(pin.profile, now.profile)) {
			snprintf(err, errlen, "pinned reference %s is profile %s, the new run %s: compare "
				 "like with like", q->pin, pin.profile, now.profile);
			rc = COMPARE_ERROR;
			goto out;
		}
		if (pin.width != now.width) {
			snprintf(err, errlen, "pinned reference %s is width %d, the new run %d: compare "
				 "like with like", q->pin, pin.width, now.width);
			rc = COMPARE_ERROR;
			goto out;
		}
		if (!pin.good)
			fprintf(out, "pinned reference %s is not a good run (%s): compared all the same\n",
				q->pin, pin.not_good);
	} else if (pool.runs > 1 && report_figures_load(cand[first].path, &pin, err, errlen) < 0) {
		rc = COMPARE_ERROR;
		goto out;
	}
	if (q->pin || pool.runs > 1) {
		/* one run says little of how runs differ from each other; the pool
		 * does: the pin's sd is the pool's where that is larger (measured:
		 * a quiet and a normal run of the same image differ by 28 % at L2
		 * with sd 0.2 and 0.3 s, while the pool's L2 sd was 2.6 s) */
		for (int n = 1; n <= pin.max_level && pool.runs > 1; n++)
			if (pool.level[n].sd > pin.level[n].sd)
				pin.level[n].sd = pool.level[n].sd;
		snprintf(title, sizeof(title), "against the pinned reference (slow drift%s): %s",
			 pool.runs > 1 ? "; sd: the pool's where larger" : "", pin.path);
		regressed |= compare_one(out, j, title, "supernested compare pinned", &pin, &now);
		rc = COMPARE_OK;
	}
	if (rc == COMPARE_OK && regressed)
		rc = COMPARE_REGRESSION;
out:
	if (j && junit_close(j) < 0 && rc != COMPARE_ERROR) {
		snprintf(err, errlen, "cannot write %s: %s", q->junit, strerror(EIO));
		rc = COMPARE_ERROR;
	}
	free(cand);
	return rc;
}
