/* junit.c - JUnit XML through libxml2 (see junit.h). */
#include "junit.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct junit {
	xmlTextWriterPtr w;
	int failed;
	int in_properties;
};

#define X(s) ((const xmlChar *)(s))

static void attr(struct junit *j, const char *name, const char *value)
{
	if (value && xmlTextWriterWriteAttribute(j->w, X(name), X(value)) < 0)
		j->failed = 1;
}

static void attr_int(struct junit *j, const char *name, int v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", v);
	attr(j, name, buf);
}

static void attr_time(struct junit *j, double s)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", s < 0 ? 0 : s);
	attr(j, "time", buf);
}

static void start(struct junit *j, const char *el)
{
	if (xmlTextWriterStartElement(j->w, X(el)) < 0)
		j->failed = 1;
}

static void end(struct junit *j)
{
	if (xmlTextWriterEndElement(j->w) < 0)
		j->failed = 1;
}

/* Our one-line errors say what failed; libxml2's own would repeat it. */
static void quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

struct junit *junit_open(const char *path, const char *name)
{
	struct junit *j;
	FILE *f = fopen(path, "we");	/* for errno: libxml2 does not keep it */

	if (!f)
		return NULL;
	fclose(f);
	xmlSetGenericErrorFunc(NULL, quiet);
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->w = xmlNewTextWriterFilename(path, 0);
	if (!j->w) {
		free(j);
		errno = errno ? errno : EIO;
		return NULL;
	}
	xmlTextWriterSetIndent(j->w, 1);
	xmlTextWriterSetIndentString(j->w, X("  "));
	if (xmlTextWriterStartDocument(j->w, NULL, "UTF-8", NULL) < 0)
		j->failed = 1;
	start(j, "testsuites");
	attr(j, "name", name);
	return j;
}

void junit_suite_begin(struct junit *j, const char *name, int tests, int failures, int errors,
		       int skipped, double time_s, const char *timestamp)
{
	start(j, "testsuite");
	attr(j, "name", name);
	attr_int(j, "tests", tests);
	attr_int(j, "failures", failures);
	attr_int(j, "errors", errors);
	attr_int(j, "skipped", skipped);
	attr_time(j, time_s);
	/* xs:dateTime without the zone letter, as Ant writes it */
	if (timestamp && *timestamp) {
		char ts[32];

		snprintf(ts, sizeof(ts), "%.19s", timestamp);
		attr(j, "timestamp", ts);
	}
}

void junit_property(struct junit *j, const char *name, const char *value)
{
	if (!j->in_properties) {
		start(j, "properties");
		j->in_properties = 1;
	}
	start(j, "property");
	attr(j, "name", name);
	attr(j, "value", value ? value : "");
	end(j);
}

static void close_properties(struct junit *j)
{
	if (j->in_properties) {
		end(j);
		j->in_properties = 0;
	}
}

void junit_case(struct junit *j, const char *classname, const char *name, double time_s,
		enum level_status st, const char *type, const char *message, const char *text)
{
	static const char *const child[] = {
		[LEVEL_FAIL] = "failure", [LEVEL_ERROR] = "error", [LEVEL_SKIP] = "skipped",
	};

	close_properties(j);
	start(j, "testcase");
	attr(j, "name", name);
	attr(j, "classname", classname);
	attr_time(j, time_s);
	if (st != LEVEL_PASS) {
		start(j, child[st]);
		attr(j, "message", message);
		if (st != LEVEL_SKIP)
			attr(j, "type", type);
		if (text && *text && xmlTextWriterWriteString(j->w, X(text)) < 0)
			j->failed = 1;
		end(j);
	}
	end(j);
}

void junit_suite_end(struct junit *j)
{
	close_properties(j);
	end(j);
}

int junit_close(struct junit *j)
{
	int rc;

	if (xmlTextWriterEndDocument(j->w) < 0)	/* closes open elements */
		j->failed = 1;
	xmlFreeTextWriter(j->w);	/* flushes and closes the file */
	rc = j->failed ? -EIO : 0;
	free(j);
	return rc;
}

static void add_property(void *ctx, const char *name, const char *value)
{
	junit_property(ctx, name, value);
}

/* The evidence of a failed level: its detail, then its last console lines. */
static char *evidence_text(const struct run_model *m, const struct level_verdict *v)
{
	const struct level_record *l = &m->level[v->blame];
	size_t cap = 256 + (size_t)l->nevidence * sizeof(l->evidence[0]), len = 0;
	char *t = calloc(1, cap);

	if (!t)
		return NULL;
	len += (size_t)snprintf(t + len, cap - len, "outcome: %s (%s)\n", outcome_name(v->outcome),
				outcome_text(v->outcome));
	if (v->detail[0] && len < cap)
		len += (size_t)snprintf(t + len, cap - len, "detail: %.200s\n", v->detail);
	for (int k = 0; k < l->nevidence && len < cap; k++)
		len += (size_t)snprintf(t + len, cap - len, "%s\n", l->evidence[k]);
	return t;
}

int write_run_junit(const char *path, const struct run_results *r)
{
	struct junit *j = junit_open(path, "supernested");

	if (!j)
		return -errno;
	for (int p = 0; p < r->npasses; p++) {
		static struct pass_test tests[PASS_TESTS_MAX];	/* a level; a tree's node */
		int n = pass_tests(&r->pass[p], r->max_depth, tests, PASS_TESTS_MAX), count[4] = { 0 };
		char suite[64], classname[64], name[NODE_NAME_MAX + 8];
		struct level_verdict v;

		for (int k = 0; k < n; k++) {
			level_verdict(tests[k].m, tests[k].level, &v);
			count[v.status]++;
		}
		if (r->npasses > 1) {
			snprintf(suite, sizeof(suite), "supernested depth, pass %d", p + 1);
			snprintf(classname, sizeof(classname), "supernested.depth.pass%d", p + 1);
		} else {
			snprintf(suite, sizeof(suite), "supernested depth");
			snprintf(classname, sizeof(classname), "supernested.depth");
		}
		junit_suite_begin(j, suite, n, count[LEVEL_FAIL], count[LEVEL_ERROR],
				  count[LEVEL_SKIP], r->pass[p].info.duration_s, r->pass[p].info.started);
		settings_each(&r->pass[p].info, add_property, j);
		for (int k = 0; k < n; k++) {
			const struct run_model *m = tests[k].m;
			int i = tests[k].level;
			char *text = NULL;

			level_verdict(m, i, &v);
			if (v.status == LEVEL_FAIL || v.status == LEVEL_ERROR)
				text = evidence_text(m, &v);
			snprintf(name, sizeof(name), "level %s", tests[k].name);
			junit_case(j, classname, name, level_boot_time(m, i), v.status,
				   outcome_name(v.outcome), v.message, text);
			free(text);
		}
		junit_suite_end(j);
	}
	return junit_close(j);
}
