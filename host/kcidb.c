/* kcidb.c - KCIDB I/O JSON (see kcidb.h). */
#include "kcidb.h"
#include "level_status.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int kcidb_time(const char *started, double offset_s, char *buf, size_t len)
{
	struct tm tm = { 0 };
	const char *end;
	double whole, frac;
	time_t t;

	if (!started || !(end = strptime(started, "%Y-%m-%dT%H:%M:%S", &tm)) ||
	    (*end && strcmp(end, "Z")) || offset_s < 0)
		return -EINVAL;
	frac = modf(offset_s, &whole);
	t = timegm(&tm) + (time_t)whole;
	gmtime_r(&t, &tm);
	if (strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return -ENOSPC;
	if ((size_t)snprintf(buf + strlen(buf), len - strlen(buf), ".%06d+00:00",
			     (int)(frac * 1e6)) >= len - strlen(buf))
		return -ENOSPC;
	return 0;
}

static void add_setting(void *ctx, const char *name, const char *value)
{
	json_object_object_add(ctx, name, json_object_new_string(value));
}

/* The kernel under test: what the levels booted (the image's). */
static const char *kernel_release(const struct run_model *m)
{
	for (int i = 1; i <= m->max_level; i++)
		if (m->level[i].kernel[0])
			return m->level[i].kernel;
	return "unknown";
}

static json_object *level_test(const struct run_results *r, int p, const struct pass_test *test,
			       const char *run_id)
{
	const struct pass_result *pr = &r->pass[p];
	const struct run_model *m = test->m;
	int i = test->level;
	const struct level_record *l = &m->level[i];
	json_object *t = json_object_new_object(), *misc = json_object_new_object();
	json_object *set = json_object_new_object();
	struct level_verdict v;
	double boot = level_boot_time(m, i), start = i == 1 ? 0 : l->started_at_s;
	char buf[512];

	level_verdict(m, i, &v);
	snprintf(buf, sizeof(buf), "%s:%s.pass%d.level%s", KCIDB_ORIGIN, run_id, p + 1, test->id);
	json_object_object_add(t, "id", json_object_new_string(buf));
	snprintf(buf, sizeof(buf), "%s:%s", KCIDB_ORIGIN, kernel_release(m));
	json_object_object_add(t, "build_id", json_object_new_string(buf));
	json_object_object_add(t, "origin", json_object_new_string(KCIDB_ORIGIN));
	snprintf(buf, sizeof(buf), "nested_kvm.depth.level%s", test->id);
	json_object_object_add(t, "path", json_object_new_string(buf));
	json_object_object_add(t, "status", json_object_new_string(level_status_name(v.status)));
	if (boot >= 0)
		json_object_object_add(t, "duration", json_object_new_double(boot));
	if (start >= 0 && v.status != LEVEL_SKIP &&
	    kcidb_time(pr->info.started, start, buf, sizeof(buf)) == 0)
		json_object_object_add(t, "start_time", json_object_new_string(buf));
	snprintf(buf, sizeof(buf), "level %s: %s", test->name, v.message);
	json_object_object_add(t, "comment", json_object_new_string(buf));
	if (v.status == LEVEL_FAIL || v.status == LEVEL_ERROR) {
		const struct level_record *b = &m->level[v.blame];
		char excerpt[LEVEL_EVIDENCE_MAX * 160 + 512];
		size_t len = (size_t)snprintf(excerpt, sizeof(excerpt), "%.400s\n", v.detail);

		for (int k = 0; k < b->nevidence && len < sizeof(excerpt); k++)
			len += (size_t)snprintf(excerpt + len, sizeof(excerpt) - len, "%s\n",
						b->evidence[k]);
		json_object_object_add(t, "log_excerpt", json_object_new_string(excerpt));
	}
	json_object_object_add(misc, "kernel_release", json_object_new_string(kernel_release(m)));
	json_object_object_add(misc, "level", json_object_new_int(i));
	if (pr->tree)	/* its node in the tree: the level is its depth */
		json_object_object_add(misc, "node", json_object_new_string(test->name));
	json_object_object_add(misc, "pass", json_object_new_int(p + 1));
	json_object_object_add(misc, "outcome", json_object_new_string(
		v.status == LEVEL_PASS ? "up" : outcome_name(v.outcome)));
	if (l->accel[0])
		json_object_object_add(misc, "accel", json_object_new_string(l->accel));
	settings_each(&pr->info, add_setting, set);
	json_object_object_add(misc, "settings", set);
	json_object_object_add(t, "misc", misc);
	return t;
}

int write_run_kcidb(const char *path, const struct run_results *r)
{
	json_object *root = json_object_new_object(), *ver = json_object_new_object();
	json_object *out = json_object_new_array();
	char run_id[64];
	int rc = 0;

	json_object_object_add(ver, "major", json_object_new_int(KCIDB_MAJOR));
	json_object_object_add(ver, "minor", json_object_new_int(KCIDB_MINOR));
	json_object_object_add(root, "version", ver);
	for (int p = 0; p < r->npasses; p++) {
		static struct pass_test tests[PASS_TESTS_MAX];	/* a level; a tree's node */
		int n = pass_tests(&r->pass[p], r->max_depth, tests, PASS_TESTS_MAX);

		/* ids must be unique per origin: the run's start names the run */
		const char *src = r->pass[0].info.source ? r->pass[0].info.source : "parsed";

		snprintf(run_id, sizeof(run_id), "%s", r->pass[0].info.started ?
			 r->pass[0].info.started : strrchr(src, '/') ? strrchr(src, '/') + 1 : src);
		for (int k = 0; k < n; k++)
			json_object_array_add(out, level_test(r, p, &tests[k], run_id));
	}
	json_object_object_add(root, "tests", out);
	if (json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED) < 0)
		rc = errno ? -errno : -EIO;
	json_object_put(root);
	return rc;
}
