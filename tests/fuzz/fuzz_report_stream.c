/* fuzz_report_stream.c - libFuzzer harness over the path every byte from a
 * guest takes: the line splitter, report parsing, the chain's rules (as the
 * host and as a launcher relaying its child), the event model, report.json.
 * It asserts what a CI gate relies on:
 *   - report.json always passes a strict JSON parser (no Infinity/NaN,
 *     valid UTF-8), and every number in it is finite;
 *   - no level counts as up without its parent up and its parent's
 *     child-start for it, and the deepest level is one seen up. */
#include "events.h"
#include "line_reader.h"
#include "output.h"

#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct run_model m;
static struct chain relay;	/* what level 1's launcher would relay from level 2 */
static struct pass_result pass = { .m = &m, .info = { .source = "fuzz", .image_unchanged = -1 } };

static void on_line(void *ctx, char *line)
{
	struct report r;
	char why[200];

	(void)ctx;
	events_line(&m, line, -1);
	if (report_parse(line, &r, NULL) == 0)
		chain_accept(&relay, &r, why, sizeof(why));
}

static void check_numbers(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_double:
		if (!isfinite(json_object_get_double(o)))
			abort();
		break;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			check_numbers(val);
		}
		break;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			check_numbers(json_object_array_get_idx(o, i));
		break;
	default:
		break;
	}
}

static void check_json(void)
{
	struct run_results r = { .pass = &pass, .npasses = 1 };
	json_object *root, *back;
	const char *text;
	struct json_tokener *tok;

	root = report_json(&r);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	tok = json_tokener_new();

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	back = json_tokener_parse_ex(tok, text, (int)strlen(text));
	if (!back || json_tokener_get_error(tok) != json_tokener_success)
		abort();	/* report.json a strict parser refuses */
	check_numbers(back);
	json_object_put(back);
	json_tokener_free(tok);
	json_object_put(root);
}

static void check_chain(void)
{
	int deepest = 0;

	for (int i = 1; i <= m.max_level; i++) {
		if (!m.level[i].up)
			continue;
		/* up only with the parent up and its child-start seen */
		if (i > 1 && (!m.level[i - 1].up || m.level[i].started_at_s < 0))
			abort();
		deepest = i;
	}
	if (m.deepest != deepest)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct line_reader lr;
	int fd = memfd_create("stream", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	events_init(&m);
	chain_init(&relay, 1, 0);
	line_reader_init(&lr, fd, LINE_READER_MAX);
	while (line_reader_read(&lr, on_line, NULL) != 0)
		;
	close(fd);
	events_finish(&m);
	check_chain();
	check_json();
	return 0;
}
