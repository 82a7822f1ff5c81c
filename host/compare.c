/* compare.c - regressions against a baseline report (see compare.h). */
#include "compare.h"
#include "junit.h"
#include "output.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
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

int report_figures_load(const char *path, struct report_figures *f, char *err, size_t errlen)
{
	json_object *root, *levels, *stats;
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
	str(root, "started", f->started, sizeof(f->started));
	f->deepest = (int)num(get(root, "result"), "deepest", 0);
	f->completed = json_object_get_boolean(get(get(root, "result"), "completed"));
	f->passes = (int)num(get(root, "settings"), "passes", 1);
	for (size_t i = 0; i < json_object_array_length(levels); i++) {
		json_object *l = json_object_array_get_idx(levels, i);
		int n = (int)num(l, "level", 0);
		double boot;

		if (n < 1 || n > RUN_MAX_LEVELS)
			continue;
		if (!f->kernel[0])
			str(l, "kernel", f->kernel, sizeof(f->kernel));
		f->level[n].up = json_object_get_boolean(get(l, "up"));
		boot = num(l, "boot_s", -1);
		if (boot < 0 && n == 1 && f->level[n].up)
			boot = num(l, "up_at_s", -1);	/* the host starts level 1 at 0 */
		f->level[n] = (struct level_figures){ .up = f->level[n].up, .n = boot >= 0,
						      .mean = boot, .sd = -1 };
		if (n > f->max_level)
			f->max_level = n;
	}
	/* a --passes report: figures over every pass */
	stats = get(root, "stats");
	for (size_t i = 0; stats && json_object_is_type(stats, json_type_array) &&
			   i < json_object_array_length(stats); i++) {
		json_object *s = json_object_array_get_idx(stats, i), *b = get(s, "boot_s");
		int n = (int)num(s, "level", 0);

		if (n < 1 || n > RUN_MAX_LEVELS || num(b, "n", 0) < 1)
			continue;
		f->level[n].up = 1;
		f->level[n].n = (int)num(b, "n", 0);
		f->level[n].mean = num(b, "mean", -1);
		f->level[n].sd = num(b, "sd", -1);
		if (n > f->max_level)
			f->max_level = n;
	}
	json_object_put(root);
	return 0;
}

double compare_limit(double base_mean, double base_sd)
{
	double rel = COMPARE_REL_LIMIT * base_mean, noise = COMPARE_SD_LIMIT * (base_sd > 0 ? base_sd : 0);

	return base_mean + (rel > noise ? rel : noise);
}

void compare_figures(const struct report_figures *base, const struct report_figures *now,
		     struct comparison *c)
{
	memset(c, 0, sizeof(*c));
	c->depth_base = base->deepest;
	c->depth_new = now->deepest;
	c->depth_dropped = now->deepest < base->deepest;
	for (int i = 1; i <= base->max_level && c->nchecks < RUN_MAX_LEVELS; i++) {
		const struct level_figures *b = &base->level[i], *n = &now->level[i];
		struct level_check *k;

		if (!b->up || b->n < 1)
			continue;
		k = &c->check[c->nchecks++];
		*k = (struct level_check){ .level = i, .base = b->mean, .base_sd = b->sd,
					   .now = n->up && n->n ? n->mean : -1,
					   .limit = compare_limit(b->mean, b->sd) };
		/* a level missing from the new run is the depth check's to report */
		k->regressed = k->now >= 0 && k->now > k->limit;
		c->regressions += k->regressed;
	}
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

void print_comparison(FILE *out, const struct report_figures *base,
		      const struct report_figures *now, const struct comparison *c)
{
	fprintf(out, "baseline: %s (%s, kernel %s)\n", base->path, base->started[0] ? base->started : "?",
		base->kernel[0] ? base->kernel : "?");
	fprintf(out, "new:      %s (%s, kernel %s)\n", now->path, now->started[0] ? now->started : "?",
		now->kernel[0] ? now->kernel : "?");
	fprintf(out, "%-6s%19s%19s %10s %9s  %s\n", "", "baseline", "new", "limit", "change",
		"verdict");
	fprintf(out, "%-6s%19d%19d %10s %9s  %s\n", "depth", c->depth_base, c->depth_new, "", "",
		c->depth_dropped ? "DEPTH DROPPED" : "ok");
	for (int i = 0; i < c->nchecks; i++) {
		const struct level_check *k = &c->check[i];
		const struct level_figures *n = &now->level[k->level];
		char b[48], nw[48], lim[24], ch[24];

		fmt_fig(b, sizeof(b), k->base, k->base_sd);
		fmt_fig(nw, sizeof(nw), k->now, k->now >= 0 ? n->sd : -1);
		snprintf(lim, sizeof(lim), "%.1f s", k->limit);
		if (k->now >= 0 && k->base > 0)
			snprintf(ch, sizeof(ch), "%+.0f %%", 100 * (k->now - k->base) / k->base);
		else
			snprintf(ch, sizeof(ch), "-");
		fprintf(out, "L%-5d", k->level);
		put_col(out, b, 18);
		put_col(out, nw, 18);
		fprintf(out, " %10s %9s  %s\n", lim, ch,
			k->now < 0 ? "not up" : k->regressed ? "SLOWER" : "ok");
	}
	fprintf(out, "%s: %s%d level(s) slower than max(%.0f %%, %.0f sd) over the baseline\n",
		c->depth_dropped || c->regressions ? "REGRESSION" : "no regression",
		c->depth_dropped ? "depth dropped; " : "", c->regressions,
		100 * COMPARE_REL_LIMIT, COMPARE_SD_LIMIT);
}

int write_compare_junit(const char *path, const struct report_figures *base,
			const struct report_figures *now, const struct comparison *c)
{
	struct junit *j = junit_open(path, "supernested compare");
	char msg[300], name[32];

	if (!j)
		return -errno;
	junit_suite_begin(j, "supernested compare", 1 + c->nchecks,
			  c->depth_dropped + c->regressions, 0, 0, 0, now->started);
	junit_property(j, "baseline", base->path);
	junit_property(j, "new", now->path);
	snprintf(msg, sizeof(msg), "depth %d, baseline %d", c->depth_new, c->depth_base);
	junit_case(j, "supernested.compare", "depth", 0, c->depth_dropped ? LEVEL_FAIL : LEVEL_PASS,
		   "depth-dropped", msg, msg);
	for (int i = 0; i < c->nchecks; i++) {
		const struct level_check *k = &c->check[i];
		enum level_status st = k->now < 0 ? LEVEL_SKIP : k->regressed ? LEVEL_FAIL : LEVEL_PASS;

		snprintf(name, sizeof(name), "level %d boot time", k->level);
		if (k->now < 0)
			snprintf(msg, sizeof(msg), "level %d not up in the new run", k->level);
		else
			snprintf(msg, sizeof(msg), "boot %.2f s, baseline %.2f s, limit %.2f s", k->now,
				 k->base, k->limit);
		junit_case(j, "supernested.compare", name, k->now > 0 ? k->now : 0, st,
			   "boot-time-regression", msg, st == LEVEL_FAIL ? msg : NULL);
	}
	junit_suite_end(j);
	return junit_close(j);
}
