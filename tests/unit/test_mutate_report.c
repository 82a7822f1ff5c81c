/* test_mutate_report.c - the fuzzer's structure-aware mutator: lines it
 * changes are sealed again (they parse), it stays within the size it is
 * given, is deterministic for a seed, and every kind of change happens. */
#include "tap.h"
#include "seal.h"
#include "fuzz/mutate_report.h"
#include "report.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG SRCDIR "/tests/data/logs/run-depth3-max-depth.log"
#define SEEDS 4000

static const char *const op_names[MOP_COUNT] = {
	[MOP_VALUE] = "a text value", [MOP_NUMBER] = "a number", [MOP_OUTCOME] = "an outcome name",
	[MOP_LEVEL] = "the level", [MOP_EVENT] = "the event", [MOP_KEY_DROP] = "a key dropped",
	[MOP_KEY_DUP] = "a key twice", [MOP_KEY_SWAP] = "two keys swapped",
	[MOP_KEY_ADD] = "a key added", [MOP_KEY_RENAME] = "a key renamed",
	[MOP_STAMP] = "the stamp", [MOP_LINE_DROP] = "a line dropped",
	[MOP_LINE_DUP] = "a line twice", [MOP_LINE_SWAP] = "two lines swapped",
	[MOP_LINE_MOVE] = "a line moved", [MOP_SPLICE] = "a real line spliced in",
	[MOP_TEXT] = "kernel text inserted", [MOP_BYTES] = "bytes of a line, sealed again",
	[MOP_UNSEALED] = "a field left with its old checksum",
};

/* Every line holding a report ends with the checksum of that report. */
static int all_sealed(const uint8_t *data, size_t size)
{
	char line[8192];
	size_t o = 0;

	while (o < size) {
		const uint8_t *nl = memchr(data + o, '\n', size - o);
		size_t len = nl ? (size_t)(nl - (data + o)) : size - o;
		char again[sizeof(line) + 32];

		if (len < sizeof(line)) {
			memcpy(line, data + o, len);
			line[len] = '\0';
			if (strstr(line, REPORT_PREFIX)) {
				snprintf(again, sizeof(again), "%s", line);
				if (mutate_report_reseal(again, sizeof(again)) < 0 || strcmp(again, line))
					return 0;
			}
		}
		o += len + 1;
	}
	return 1;
}

/* A report line of @data that parses and carries @value in some field. */
static int parses_with_value(const uint8_t *data, size_t size, const char *value)
{
	static struct report r;
	char line[8192];
	size_t o = 0;

	while (o < size) {
		const uint8_t *nl = memchr(data + o, '\n', size - o);
		size_t len = nl ? (size_t)(nl - (data + o)) : size - o;

		if (len < sizeof(line)) {
			memcpy(line, data + o, len);
			line[len] = '\0';
			if (report_parse(line, &r, NULL) == 0)
				for (int i = 0; i < r.nfields; i++)
					if (!strcmp(r.field[i].value, value))
						return 1;
		}
		o += len + 1;
	}
	return 0;
}

static size_t flip_one(uint8_t *data, size_t size, size_t max_size)
{
	(void)max_size;
	if (size)
		data[size / 2] ^= 0x01;
	return size;
}

static void test_reseal(void)
{
	char line[REPORT_LINE_MAX * 2];
	struct report r;
	size_t off;

	snprintf(line, sizeof(line), "%s", sealed("supernested: L2 child-up level=3 boot_s=7.264"));
	line[strlen(line) - REPORT_CRC_LEN - 1] = '9';	/* boot_s=7.269, old checksum */
	is_int(report_parse(line, &r, NULL), -EBADMSG, "a changed value breaks the checksum");
	ok(mutate_report_reseal(line, sizeof(line)) > 0, "sealed again");
	is_int(report_parse(line, &r, NULL), 0, "the changed line parses");
	is_str(report_get(&r, "boot_s"), "7.269", "with the new value");

	snprintf(line, sizeof(line), "[+1.0s] [ 0.5] kernel text supernested: L1 summary deepest=1 "
		 "result=max-depth failed_level=1");
	ok(mutate_report_reseal(line, sizeof(line)) > 0, "a line with no checksum gets one");
	is_int(report_parse(line, &r, &off), 0, "behind kernel text it parses");
	is_str(r.event, "summary", "its event");
	snprintf(line, sizeof(line), "[    1.0] no report here");
	is_int(mutate_report_reseal(line, sizeof(line)), -1, "no report: nothing to seal");
}

static void test_mutations(const char *log)
{
	size_t size = strlen(log), max = size + 1024;
	uint8_t *a = malloc(max), *b = malloc(max);
	int seen[MOP_COUNT] = { 0 }, over = 0, differ = 0, sealed_ok = 0, sealed_n = 0;
	int changed = 0, huge = 0, outcome = 0, tight_over = 0;

	for (unsigned int seed = 1; seed <= SEEDS; seed++) {
		size_t na, nb;
		enum mutate_op op;

		memcpy(a, log, size);
		na = mutate_report_stream(a, size, max, seed, seed % 4 ? NULL : flip_one);
		op = mutate_report_last();
		memcpy(b, log, size);
		nb = mutate_report_stream(b, size, max, seed, seed % 4 ? NULL : flip_one);
		seen[op]++;
		over += na > max;
		differ += na != nb || memcmp(a, b, na);
		changed += na != size || memcmp(a, log, size);
		/* a line changed field by field (no bytes flipped, none left
		 * unsealed on purpose) is sealed again */
		if (seed % 4 && op != MOP_UNSEALED && op != MOP_TEXT) {
			sealed_n++;
			sealed_ok += all_sealed(a, na);
		}
		huge += parses_with_value(a, na, "9223372036854775807") ||
			parses_with_value(a, na, "4611686018427387904");
		outcome += parses_with_value(a, na, "oom") || parses_with_value(a, na, "qemu-crash");
		memcpy(a, log, size);
		tight_over += mutate_report_stream(a, size, size, seed, NULL) > size;
	}
	is_int(over, 0, "never longer than max_size");
	is_int(tight_over, 0, "never longer than max_size when it is the input's size");
	is_int(differ, 0, "the same seed gives the same stream");
	ok(changed > SEEDS * 9 / 10, "the stream changes (%d of %d)", changed, SEEDS);
	for (int op = 0; op < MOP_COUNT; op++)
		ok(seen[op] > 0, "change: %s (%d times)", op_names[op], seen[op]);
	ok(sealed_ok > sealed_n * 9 / 10, "report lines carry a valid checksum after %d of %d changes",
	   sealed_ok, sealed_n);
	ok(huge > 0, "boundary numbers reach a line that parses (%d streams)", huge);
	ok(outcome > 0, "outcome names reach a line that parses (%d streams)", outcome);
	free(a);
	free(b);
}

static void test_cross(const char *log)
{
	const char *other = "supernested: L9 frob x=1 crc=00000000\nsecond line\n";
	size_t max = strlen(log) + 256, n;
	uint8_t *out = malloc(max);
	int spliced = 0, over = 0;

	for (unsigned int seed = 1; seed <= 200; seed++) {
		n = mutate_report_cross((const uint8_t *)log, strlen(log), (const uint8_t *)other,
					strlen(other), out, max, seed);
		over += n > max;
		spliced += memmem(out, n, "L9 frob", 7) != NULL || memmem(out, n, "second line", 11) != NULL;
	}
	is_int(over, 0, "a cross-over stays within max_out");
	ok(spliced > 150, "a cross-over splices the other stream's lines in (%d of 200)", spliced);
	free(out);
}

/* Streams with no report line (the fuzzer found the mutator picking line
 * -1 in one) and the empty stream. */
static void test_no_reports(void)
{
	static const char *const streams[] = { "", "\n", "[    1.0] kernel text only\nmore\n" };
	uint8_t buf[4096];
	int over = 0, spliced = 0;

	for (size_t k = 0; k < sizeof(streams) / sizeof(streams[0]); k++) {
		for (unsigned int seed = 1; seed <= 500; seed++) {
			size_t n = strlen(streams[k]);

			memcpy(buf, streams[k], n);
			n = mutate_report_stream(buf, n, sizeof(buf), seed, seed % 2 ? flip_one : NULL);
			over += n > sizeof(buf);
			spliced += memmem(buf, n, REPORT_PREFIX, strlen(REPORT_PREFIX)) != NULL;
		}
	}
	is_int(over, 0, "streams without reports: within max_size");
	ok(spliced > 100, "report lines are spliced into streams that had none (%d of 1500)", spliced);
}

int main(void)
{
	char *log = tap_slurp(LOG);

	test_reseal();
	test_no_reports();
	if (!log) {
		tap_skip("recorded log missing");
	} else {
		test_mutations(log);
		test_cross(log);
	}
	free(log);
	return tap_done();
}
