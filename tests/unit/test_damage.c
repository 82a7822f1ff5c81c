/* test_damage.c - property test: one damaged line never loses what the rest
 * of a real run's stream proves.  For every line of recorded real logs and
 * every byte of what came over the serial line (the host's own "[+s]" stamp
 * is not: the host writes it), the byte is flipped (two ways) and the whole
 * log parsed again.  Each time the run must keep the depth, result and
 * failed level of the intact log (never less, never more), keep its exit
 * status (a log cut before its summary whose last report is hit ends where
 * the rest proves, at the same depth and status), and a lost structural line (up, child-start, child-up, level 1's
 * summary, the deepest level's stop) must be said in a "damaged stream"
 * note. */
#include "tap.h"
#include "events.h"
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 256

static struct run_model m;

struct log {
	char *line[MAX_LINES];
	int n;
};

static int load(const char *name, struct log *l)
{
	char path[512], buf[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/logs/%s", SRCDIR, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	l->n = 0;
	while (l->n < MAX_LINES && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		l->line[l->n++] = strdup(buf);
	}
	fclose(f);
	return 0;
}

static void parse(const struct log *l, int damaged, const char *instead)
{
	events_init(&m);
	for (int i = 0; i < l->n; i++)
		events_line(&m, i == damaged ? instead : l->line[i], -1);
	events_finish(&m);
}

/* Where the serial line's bytes start: after the host's stamp. */
static size_t serial_start(const char *line)
{
	const char *e;

	if (strncmp(line, "[+", 2) || !(e = strstr(line, "s] ")))
		return 0;
	return (size_t)(e + 3 - line);
}

/* A line whose loss must be noted: it carries the chain's structure. */
static int structural(const char *line, int deepest)
{
	const char *p = strstr(line, "supernested: L");
	char event[24];
	int level;

	if (!p || sscanf(p, "supernested: L%d %23s", &level, event) != 2)
		return 0;
	return !strcmp(event, "up") || !strcmp(event, "child-start") ||
	       !strcmp(event, "child-up") || (!strcmp(event, "summary") && level == 1) ||
	       (!strcmp(event, "stop") && level == deepest);
}

static int noted_damage(void)
{
	for (int i = 0; i < m.nnotes; i++)
		if (strstr(m.notes[i], "damaged stream"))
			return 1;
	return 0;
}

static void property(const char *name, int want_depth, const char *want_result,
		     const unsigned char *flips, size_t nflips)
{
	struct log l;
	struct run_verdict v;
	int depth, failed, status, summary, last_report = -1;
	enum outcome result;
	long runs = 0, kept = 0, structural_runs = 0, noted = 0, bad = 0, lines = 0, earlier = 0;
	char first_bad[400] = "";

	if (load(name, &l) < 0) {
		ok(0, "%s read", name);
		return;
	}
	parse(&l, -1, NULL);
	verdict_run(&m, 0, &v);
	depth = m.deepest, result = m.result, failed = m.failed_level;
	status = v.status, summary = m.summary_seen;
	is_int(depth, want_depth, "%s intact: depth %d", name, want_depth);
	is_str(outcome_name(result), want_result, "%s intact: %s", name, want_result);
	is_int(m.damaged, 0, "%s intact: nothing found lost", name);
	is_int(m.rejected, 0, "%s intact: every real report passes the rules and the clock", name);
	for (int i = 0; i < l.n; i++)
		if (strstr(l.line[i], "supernested: L"))
			last_report = i;
	for (int i = 0; i < l.n; i++) {
		size_t from = serial_start(l.line[i]), len = strlen(l.line[i]);
		int is_structural = structural(l.line[i], depth);

		lines += from < len;
		for (size_t j = from; j < len; j++) {
			for (size_t k = 0; k < nflips; k++) {
				char copy[8192];
				int good;

				snprintf(copy, sizeof(copy), "%s", l.line[i]);
				copy[j] = (char)(copy[j] ^ flips[k]);
				parse(&l, i, copy);
				verdict_run(&m, 0, &v);
				runs++;
				/* the last report of a log cut before its summary: nothing
				 * follows to prove what it said, the end is judged on the
				 * rest (the same depth and exit status) */
				good = m.deepest == depth && m.summary_seen == summary &&
				       (int)v.status == status &&
				       ((m.result == result && m.failed_level == failed) ||
					(!summary && i == last_report && m.failed_level >= depth));
				kept += good;
				earlier += good && m.failed_level != failed;
				if (is_structural) {
					structural_runs++;
					noted += noted_damage();
					good &= noted_damage();
				}
				if (!good && !bad++)
					snprintf(first_bad, sizeof(first_bad),
						 "line %d byte %zu ^0x%02x: depth %d %s at L%d exit %d, "
						 "damaged %d", i + 1, j, flips[k], m.deepest,
						 outcome_name(m.result), m.failed_level, (int)v.status,
						 m.damaged);
			}
		}
	}
	printf("# %s: %ld lines with serial bytes, %ld runs (every byte flipped %s), "
	     "%ld kept depth %d and exit %d, %ld of them with %s at L%d (the rest: the cut log's last "
	     "report hit, the chain ending where the rest proves); %ld in structural lines, %ld noted\n",
	     name, lines, runs, nflips > 1 ? "^0x01 and ^0x80" : "^0x01", kept, depth, status,
	     kept - earlier, outcome_name(result), failed,
	     structural_runs, noted);
	is_int(bad, 0, "%s: every one-byte damage keeps depth %d, %s at L%d, exit %d (%ld runs)%s%s",
	       name, depth, outcome_name(result), failed, status, runs, bad ? ": first " : "",
	       first_bad);
	is_int(noted, structural_runs, "%s: every lost structural line is noted (%ld)", name,
	       structural_runs);
	for (int i = 0; i < l.n; i++)
		free(l.line[i]);
}

int main(void)
{
	static const unsigned char both[] = { 0x01, 0x80 }, one[] = { 0x01 };

	property("run-depth4-loaded.log", 4, "max-depth", both, sizeof(both));
	property("run-depth5-up.log", 5, "max-depth", one, sizeof(one));
	property("run-depth3-max-depth.log", 3, "max-depth", one, sizeof(one));
	property("run-depth2-max-depth.log", 2, "max-depth", one, sizeof(one));
	property("run-l2-oom-panic.log", 1, "oom", one, sizeof(one));
	property("run-depth3-extend.log", 3, "max-depth", one, sizeof(one));
	property("run-depth5-l5-slow.log", 4, "timeout", one, sizeof(one));
	property("run-depth5-cut-at-l5.log", 4, "none", one, sizeof(one));
	return tap_done();
}
