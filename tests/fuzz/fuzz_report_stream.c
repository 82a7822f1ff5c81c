/* fuzz_report_stream.c - libFuzzer harness over the path every byte from a
 * guest takes, as parse reads a console.log: the line splitter, the host's
 * own lines on level 1's end, report parsing, the chain's rules (as the
 * host and as a launcher relaying its child), the event model, the
 * verdict, the table, report.json.
 * Its custom mutator (mutate_report.c) changes report lines field by field
 * and seals them again, so new values, orders and counts pass the checksum
 * and reach the chain's rules and the event model.
 * It asserts what a CI gate relies on:
 *   - report.json always passes a strict JSON parser (no Infinity/NaN,
 *     valid UTF-8), and every number in it is finite;
 *   - the deepest level is one seen up, never deeper than any level a
 *     report named nor the chain's maxdepth;
 *   - a report parsed, formatted and parsed again says the same;
 *   - a summary's max-depth is at the chain's maxdepth, a failure it
 *     names is one its level reported; a max-depth stop is at the
 *     maxdepth; a level reported failed never comes up afterwards;
 *   - the verdict is an exit status of a run (0, 1 or 3), never a pass
 *     with fewer levels up than expected, nor with a death the summary
 *     names within the expected depth, at any expected depth;
 *   - the table, the verdict line and the answer print for any stream;
 *     TAP has as many test lines as its plan; JUnit is well-formed XML
 *     and KCIDB strict JSON (one input in 64);
 *   - parse of the console.log a live run would write for these bytes
 *     comes to the live run's verdict (one input in eight).
 * Built with the undefined-behaviour sanitizer, no recovery: any signed
 * overflow on a number a guest sent is a crash here. */
#include "events.h"
#include "junit.h"
#include "kcidb.h"
#include "console_log.h"
#include "level1_end.h"
#include "line_reader.h"
#include "mutate_report.h"
#include "output.h"
#include "slurp.h"
#include "table.h"
#include "tap_out.h"
#include "text.h"
#include "verdict.h"

#include <json-c/json.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed);

static struct run_model m;
static struct run_tree tree;	/* the same stream as a width-2 depth-3 tree's chains */
static int tree_on;		/* ... for one input in sixteen (4 chains: 4 times the work) */
static struct chain relay;	/* what level 1's launcher would relay from level 2 */
static struct pass_result pass = { .m = &m, .info = { .source = "fuzz", .image_unchanged = -1 } };
static int named;	/* deepest level any well-formed report named */

/* A report formatted again parses back to the same report. */
static void check_roundtrip(const struct report *r)
{
	static char buf[REPORT_LINE_MAX * 8];
	static struct report back;
	int n = report_format(r, buf, sizeof(buf));

	if (n < 0 || n > REPORT_LINE_MAX)
		return;	/* values that only fit quoted in a longer line */
	if (report_parse(buf, &back, NULL) != 0 || back.level != r->level ||
	    !node_equal(&back.node, &r->node) ||
	    strcmp(back.event, r->event) || back.nfields != r->nfields)
		abort();
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(back.field[i].key, r->field[i].key) ||
		    strcmp(back.field[i].value, r->field[i].value))
			abort();
}

static unsigned char failed_seen[RUN_MAX_LEVELS + 2];	/* an accepted child-fail named it */
static unsigned char was_up[RUN_MAX_LEVELS + 1];

/* The rules as the stream shows them, line by line: a level its parent
 * reported failed never comes up afterwards (by its own up line or one
 * recovered from what followed); a max-depth stop is at the chain's
 * maxdepth. */
static void check_order(const struct report *r, int accepted)
{
	long long n;

	for (int i = 1; i <= RUN_MAX_LEVELS; i++) {
		if (m.level[i].up && !was_up[i] && failed_seen[i])
			abort();
		was_up[i] = (unsigned char)m.level[i].up;
	}
	if (!r || !accepted)
		return;
	if (!strcmp(r->event, "child-fail") &&
	    report_get_long(r, "level", 1, RUN_MAX_LEVELS, &n) == 0)
		failed_seen[n] = 1;
	if (!strcmp(r->event, "stop") && report_get(r, "reason") &&
	    !strcmp(report_get(r, "reason"), "max-depth") && m.chain.maxdepth &&
	    r->level != m.chain.maxdepth)
		abort();
}

static void on_line(void *ctx, const char *line)
{
	static struct report r;
	char why[200];
	long long n;
	int before = m.last_report_line, parsed;

	/* as parse reads console.log: the host's own lines on level 1's end,
	 * every other line to the model */
	if (level1_end_read_line(ctx, &m, line))
		return;
	events_line(&m, line, -1);
	if (tree_on)
		run_tree_line(&tree, line, -1);
	parsed = report_parse(line, &r, NULL) == 0;
	check_order(parsed ? &r : NULL, parsed && m.last_report_line != before);
	if (parsed) {
		chain_accept(&relay, &r, why, sizeof(why));
		if (r.level > named)
			named = r.level;
		if (report_get_long(&r, "level", 0, REPORT_LEVEL_MAX, &n) == 0 && n > named)
			named = (int)n;
		check_roundtrip(&r);
	}
}

static int valid_utf8(const char *s)
{
	size_t n = strlen(s), k;

	for (size_t i = 0; i < n; i += k)
		if (!(k = utf8_char_len((const unsigned char *)s + i, n - i)))
			return 0;
	return 1;
}

/* What a strict parser checks of json-c's output, on the objects: every
 * number finite (json-c would write NaN or Infinity), every string and key
 * valid UTF-8 (json-c writes other bytes as they are). */
static void check_values(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_double:
		if (!isfinite(json_object_get_double(o)))
			abort();
		break;
	case json_type_string:
		if (!valid_utf8(json_object_get_string(o)))
			abort();
		break;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			if (!valid_utf8(key))
				abort();
			check_values(val);
		}
		break;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			check_values(json_object_array_get_idx(o, i));
		break;
	default:
		break;
	}
}

static void check_json(int exit_status)
{
	struct run_results r = { .pass = &pass, .npasses = 1 };
	json_object *root;

	pass.info.exit_status = exit_status;
	root = report_json(&r);
	check_values(root);
#ifndef FUZZ_QUICK_JSON
	{	/* and the text itself through a strict parser (the ASan build:
		 * it doubles the cost of an execution) */
		const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
		struct json_tokener *tok = json_tokener_new();
		json_object *back;

		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		back = json_tokener_parse_ex(tok, text, (int)strlen(text));
		if (!back || json_tokener_get_error(tok) != json_tokener_success)
			abort();	/* report.json a strict parser refuses */
		check_values(back);
		json_object_put(back);
		json_tokener_free(tok);
	}
#endif
	json_object_put(root);
}

static void check_chain(void)
{
	int deepest = 0;

	for (int i = 1; i <= m.max_level; i++) {
		if (!m.level[i].up)
			continue;
		/* up only with its parent up (its child-start may be a line
		 * lost and recovered from what followed) */
		if (i > 1 && !m.level[i - 1].up)
			abort();
		deepest = i;
	}
	if (m.deepest != deepest || m.deepest > named || m.deepest > RUN_MAX_LEVELS ||
	    (m.chain.maxdepth && m.deepest > m.chain.maxdepth))
		abort();
}

/* The chain's consistency rules, seen from the model they produced: a
 * summary's max-depth is at the chain's maxdepth; a failure it names is
 * one the level reported (its stop, its parent's child-fail or evidence). */
static void check_summary(void)
{
	const struct level_record *f;

	if (!m.summary_seen || m.failed_level < 1 || m.failed_level > RUN_MAX_LEVELS)
		return;
	f = &m.level[m.failed_level];
	if (m.result == OUTCOME_MAX_DEPTH && m.chain.maxdepth && m.failed_level != m.chain.maxdepth)
		abort();
	if (outcome_is_failure(m.result) && f->outcome == OUTCOME_NONE && !f->nevidence)
		abort();
}

/* The verdict at several expected depths; returns the run's (as parse has
 * it, no --expect-depth). */
static int check_verdict(void)
{
	static const int expect[] = { 0, 1, 2, 3, 8, RUN_MAX_LEVELS, RUN_MAX_LEVELS + 1 };
	struct run_verdict v;
	char text[512];
	int status = 0;

	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		verdict_run(&m, expect[i], &v);
		if ((v.status != VERDICT_PASS && v.status != VERDICT_FAIL &&
		     v.status != VERDICT_INFRA) ||
		    (v.status == VERDICT_PASS && m.deepest < v.expected) ||
		    v.level < 0 || v.level > RUN_MAX_LEVELS)
			abort();
		/* a death the summary names within the expected depth (a panic
		 * after coming up) is never a pass */
		if (m.summary_seen && verdict_outcome_is_death(m.result) && m.failed_level >= 1 &&
		    m.failed_level <= v.expected && v.status == VERDICT_PASS)
			abort();
		if (verdict_describe(&m, &v, text, sizeof(text)) < 0 || strlen(text) >= sizeof(text))
			abort();
		if (i == 0)
			status = (int)v.status;
	}
	return status;
}

/* The terminal's view: goes nowhere, but every format runs.  TAP: as many
 * test lines as its plan says, each one line. */
static void check_print(void)
{
	static FILE *null;
	static char tap[1 << 16];
	struct run_results r = { .pass = &pass, .npasses = 1 };
	FILE *f = fmemopen(tap, sizeof(tap), "w");
	int plan = -1, tests = 0;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	print_table(null, &m);
	print_verdict(null, &m, 0);
	print_verdict(null, &m, 3);
	print_answer(null, &m);
	if (!f)
		abort();
	print_run_tap(f, &r);
	if (fclose(f) != 0)
		abort();	/* longer than 64 KiB: 65 levels of one line each never are */
	for (char *l = tap, *nl; *l; l = nl + 1) {
		if (!(nl = strchr(l, '\n')))
			abort();	/* a line cut */
		if (plan < 0 && sscanf(l, "1..%d", &plan) != 1)
			abort();	/* the plan comes first */
		else if (!strncmp(l, "ok ", 3) || !strncmp(l, "not ok ", 7))
			tests++;
	}
	if (tests != plan)
		abort();
}

static char ci_dir[] = "/dev/shm/supernested-fuzz.XXXXXX";
static char junit[64], kcidb[64];

static void remove_ci_files(void)
{
	unlink(junit);
	unlink(kcidb);
	rmdir(ci_dir);
}

/* JUnit and KCIDB as a CI reads them, for one input in 64 (each is a file
 * written, synced and renamed): well-formed XML, strict JSON. */
static void check_ci_files(void)
{
	static int made;
	struct run_results r = { .pass = &pass, .npasses = 1 };
	xmlDocPtr doc;
	json_object *o;
	struct json_tokener *tok;
	char *text;

	if (!made) {
		if (!mkdtemp(ci_dir))
			abort();
		made = 1;
		snprintf(junit, sizeof(junit), "%s/junit.xml", ci_dir);
		snprintf(kcidb, sizeof(kcidb), "%s/kcidb.json", ci_dir);
		atexit(remove_ci_files);
	}
	if (write_run_junit(junit, &r) < 0 || write_run_kcidb(kcidb, &r) < 0)
		abort();
	doc = xmlReadFile(junit, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		abort();	/* JUnit a CI cannot read */
	xmlFreeDoc(doc);
	text = slurp(kcidb, 0, NULL);
	tok = json_tokener_new();
	if (!text || !tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)strlen(text));
	if (!o || json_tokener_get_error(tok) != json_tokener_success)
		abort();	/* KCIDB a strict parser refuses */
	check_values(o);
	json_object_put(o);
	json_tokener_free(tok);
	free(text);
}

/* The live run's path for the same bytes: line_reader splits the serial
 * stream, each line is stamped and made printable as console.log has it
 * (console_log_format) and fed to the model; parse then reads that
 * console.log back.  Both must come to the same verdict. */
static struct run_model live, back;
static char live_log[1 << 20];
static size_t live_len;

static void live_line(void *ctx, char *raw)
{
	static char line[CONSOLE_LOG_LINE_MAX + 1];
	double *t = ctx;
	size_t stamp, n;

	*t += 0.25;
	n = console_log_format(line, sizeof(line) - 1, raw, *t, &stamp);
	if (live_len + n + 1 > sizeof(live_log))
		abort();	/* 4 times the longest input, at most, and its stamps */
	memcpy(live_log + live_len, line, n);
	live_log[live_len + n] = '\n';
	live_len += n + 1;
	line[n] = '\0';
	events_line(&live, line, -1);
}

static void back_line(void *ctx, const char *line)
{
	if (!level1_end_read_line(ctx, &back, line))
		events_line(&back, line, -1);
}

static void check_live_parse(int fd)
{
	static struct line_reader lr;
	static struct level1_end end;
	struct run_verdict a, b;
	double t = 0;

	events_init(&live);
	events_init(&back);
	level1_end_init(&end);
	live_len = 0;
	if (lseek(fd, 0, SEEK_SET) < 0)
		abort();
	line_reader_init(&lr, fd, LINE_READER_MAX);
	while (line_reader_read(&lr, live_line, &t) != 0)
		;
	if (ftruncate(fd, 0) < 0 || pwrite(fd, live_log, live_len, 0) != (ssize_t)live_len ||
	    lseek(fd, 0, SEEK_SET) < 0 || console_log_read(fd, back_line, &end) < 0)
		abort();
	if (end.seen && !back.summary_seen)
		level1_end_judge(&back, &end);
	events_finish(&live);
	events_finish(&back);
	verdict_run(&live, 0, &a);
	verdict_run(&back, 0, &b);
	if (live.deepest != back.deepest || live.result != back.result ||
	    live.failed_level != back.failed_level || live.summary_seen != back.summary_seen ||
	    live.lines != back.lines || a.status != b.status || a.level != b.level)
		abort();
}

/* The stream as a tree (run_tree.h): its depths, nodes, verdict and every
 * output of a tree hold together whatever the lines say. */
static void check_tree(void)
{
	static struct run_tree_node nodes[2 * TREE_LEAVES_MAX];
	static FILE *null;
	struct pass_result tp = { .m = tree.chain[0], .tree = &tree, .info = pass.info };
	struct run_results r = { .pass = &tp, .npasses = 1 };
	struct run_verdict v;
	int every, any, n;
	json_object *root;

	run_tree_finish(&tree);
	run_tree_depth(&tree, &every, &any);
	if (every < 0 || every > any || any > 3)
		abort();
	n = run_tree_nodes(&tree, nodes, 2 * TREE_LEAVES_MAX);
	if (n < 0 || n > 7)
		abort();	/* a width-2 depth-3 tree has 7 nodes */
	for (int i = 0; i < n; i++)
		if (nodes[i].node.level < 1 || nodes[i].node.level > 3 || nodes[i].parent >= i ||
		    (i > 0 && (nodes[i].parent < 0 ||
			       !node_on_path(&nodes[nodes[i].parent].node, &nodes[i].node))))
			abort();
	if (run_tree_verdict(&tree, 3, &v) < 0 ||
	    (v.status != VERDICT_PASS && v.status != VERDICT_FAIL && v.status != VERDICT_INFRA) ||
	    (v.status == VERDICT_PASS && every < 3))
		abort();
	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	print_tree_table(null, &tree);
	print_tree_verdict(null, &tp, 3);
	root = report_json(&r);
	check_values(root);
	json_object_put(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;	/* one memory file, emptied for each input: cheaper than a new one */
	static struct level1_end end;
	struct budget_clock clock;
	/* parse --max-depth N for one input in seven, N from its size */
	int max_depth = size % 7 == 3 ? 1 + (int)(size / 7 % 8) : 0;

	if (fd < 0 && (fd = memfd_create("stream", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size ||
	    lseek(fd, 0, SEEK_SET) < 0)
		abort();
	events_init(&m);
	if (max_depth)
		events_expect_maxdepth(&m, max_depth);
	tree_on = size % 16 == 1 && run_tree_init(&tree, 2, 3) == 0;
	chain_init(&relay, 1, 0);
	level1_end_init(&end);
	named = 0;
	memset(failed_seen, 0, sizeof(failed_seen));
	memset(was_up, 0, sizeof(was_up));
	if (console_log_read(fd, on_line, &end) < 0)
		abort();
	if (end.seen && !m.summary_seen)
		level1_end_judge(&m, &end);
	events_finish(&m);
	events_level1_clock(&m, max_depth ? 10 : 0, &clock);
	if (isnan(clock.deeper_budget_s) || clock.deeper_budget_s < 0)
		abort();
	check_chain();
	check_summary();
	check_print();
	check_json(check_verdict());
	if (size % 64 == 9)
		check_ci_files();
	if (size % 8 == 5)	/* one input in eight: it costs two more passes */
		check_live_parse(fd);
	if (tree_on) {
		check_tree();
		run_tree_free(&tree);
		tree_on = 0;
	}
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return mutate_report_stream(data, size, max_size, seed, LLVMFuzzerMutate);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
	return mutate_report_cross(data1, size1, data2, size2, out, max_out_size, seed);
}
