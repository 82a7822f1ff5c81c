/* test_report.c - the report-line protocol: format, quote, parse, garbled input, limits. */
#include "tap.h"
#include "seal.h"
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Every byte of a formatted line must be printable ASCII. */
static int all_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Format a one-field report with @value, parse it back, compare. */
static void round_trip(const char *name, const char *value, int want_quoted, const char *want_back)
{
	struct report r, back;
	char line[REPORT_LINE_MAX * 2];
	size_t off = 99;
	int n;

	is_int(report_init(&r, 2, "up"), 0, "%s: init", name);
	is_int(report_add(&r, "text", value), 0, "%s: add", name);
	n = report_format(&r, line, sizeof(line));
	ok(n > 0 && (size_t)n == strlen(line), "%s: format returns the length (%d)", name, n);
	ok(all_printable(line), "%s: formatted line is printable ASCII: %s", name, line);
	ok(strncmp(line, "supernested: L2 up text=", 24) == 0, "%s: line starts with prefix", name);
	is_int(line[24] == '"', want_quoted, "%s: value %s", name, want_quoted ? "quoted" : "bare");
	is_int(report_parse(line, &back, &off), 0, "%s: parses back", name);
	is_int(off, 0, "%s: offset 0", name);
	is_int(back.level, 2, "%s: level", name);
	is_str(back.event, "up", "%s: event", name);
	is_int(back.nfields, 1, "%s: one field", name);
	is_str(back.field[0].key, "text", "%s: key", name);
	is_str(report_get(&back, "text"), want_back ? want_back : value,
	       "%s: value survives the round trip%s", name, want_back ? ", printable" : "");
}

static void test_round_trips(void)
{
	round_trip("space", "AMD EPYC 7B13 64-Core Processor", 1, NULL);
	round_trip("double quote", "say \"hi\"", 1, NULL);
	round_trip("backslash", "C:\\path\\x41", 1, NULL);
	round_trip("newline", "line one\nline two", 1, "line one\\x0aline two");
	round_trip("tab", "a\tb", 1, "a\\tb");
	round_trip("control bytes", "\x01\x02\x1b[0m\x1f\x7f", 1, "\\x01\\x02\\x1b[0m\\x1f\\x7f");
	round_trip("bytes >= 0x80", "caf\xc3\xa9 \xe2\x94\x80\xff", 1, "caf\xc3\xa9 \xe2\x94\x80\\xff");
	round_trip("equals sign", "a=b", 1, NULL);
	round_trip("only equals", "=", 1, NULL);
	round_trip("empty", "", 1, NULL);
	round_trip("bare", "6.1.0-56-amd64", 0, NULL);
	round_trip("bare punctuation", "/dev/vda:1,2;[x]{y}~!@#$%^&*()+'`|<>?", 0, NULL);
	round_trip("leading space", " x", 1, NULL);
	round_trip("trailing space", "x ", 1, NULL);
}

static void test_exact_format(void)
{
	struct report r;
	char line[REPORT_LINE_MAX];
	char q[64];

	report_init(&r, 2, "up");
	report_add(&r, "cpu", "AMD EPYC");
	report_add(&r, "virt", "svm");
	report_add(&r, "nested", "1");
	report_add(&r, "accel", "kvm");
	report_addf(&r, "mem_mb", "%d", 7680);
	is_int(report_format(&r, line, sizeof(line)),
	       (int)strlen("supernested: L2 up cpu=\"AMD EPYC\" virt=svm nested=1 accel=kvm mem_mb=7680") +
	       REPORT_CRC_LEN, "format length of the header example");
	/* the checksum is zlib's crc32 of the text before it (python3:
	 * zlib.crc32(b'supernested: L2 up ...')) */
	is_str(line, "supernested: L2 up cpu=\"AMD EPYC\" virt=svm nested=1 accel=kvm mem_mb=7680"
	       " crc=ea94df8b", "format matches the example in report.h, crc32 last");

	report_init(&r, 0, "child-up");
	is_int(report_format(&r, line, sizeof(line)), 24 + REPORT_CRC_LEN, "no fields: length");
	is_str(line, "supernested: L0 child-up crc=e542bea4", "no fields: prefix, level, event, crc");

	is_int(report_quote("a\"b\\c\nd\te\x01\xff", q, sizeof(q)), 23, "quote length of every escape");
	is_str(q, "\"a\\\"b\\\\c\\nd\\te\\x01\\xff\"", "quote uses \\\" \\\\ \\n \\t \\xHH (lower case)");
	is_int(report_quote("", q, sizeof(q)), 2, "empty value quotes to two bytes");
	is_str(q, "\"\"", "empty value is \"\"");
	is_int(report_quote("kvm", q, sizeof(q)), 3, "bare value length");
	is_str(q, "kvm", "bare value stays unquoted");
	is_int(report_quote("\x7f", q, sizeof(q)), 6, "DEL is escaped");
	is_str(q, "\"\\x7f\"", "DEL as \\x7f");
	is_int(report_quote("kvm", q, 3), -ENOSPC, "quote: bare value without room for NUL");
	is_int(report_quote("kvm", q, 4), 3, "quote: bare value exact fit");
	is_int(report_quote("a b", q, 5), -ENOSPC, "quote: quoted value without room for NUL");
	is_int(report_quote("a b", q, 6), 5, "quote: quoted value exact fit");
	is_str(q, "\"a b\"", "quote: exact fit content");
	is_int(report_quote("\x01", q, 6), -ENOSPC, "quote: escape needing 6 bytes with NUL, 6 given");
}

static void test_init_add_errors(void)
{
	struct report r;
	char key24[REPORT_KEY_MAX + 1];

	is_int(report_init(&r, -1, "up"), -EINVAL, "negative level refused");
	is_int(report_init(&r, 1, ""), -EINVAL, "empty event refused");
	is_int(report_init(&r, 1, "Up"), -EINVAL, "upper case event refused");
	is_int(report_init(&r, 1, "child up"), -EINVAL, "event with a space refused");
	memset(key24, 'a', REPORT_KEY_MAX);
	key24[REPORT_KEY_MAX] = '\0';
	is_int(report_init(&r, 1, key24), -EINVAL, "event of REPORT_KEY_MAX chars refused");
	key24[REPORT_KEY_MAX - 1] = '\0';
	is_int(report_init(&r, 1, key24), 0, "event of REPORT_KEY_MAX-1 chars accepted");

	report_init(&r, 1, "up");
	is_int(report_add(&r, "", "v"), -EINVAL, "empty key refused");
	is_int(report_add(&r, "a=b", "v"), -EINVAL, "key with '=' refused");
	is_int(report_add(&r, "Key", "v"), -EINVAL, "upper case key refused");
	is_int(report_add(&r, "a b", "v"), -EINVAL, "key with a space refused");
	is_int(r.nfields, 0, "refused keys add no field");
	is_int(report_add(&r, "k", NULL), 0, "NULL value accepted");
	is_str(report_get(&r, "k"), "", "NULL value stored as empty");
	is_int(report_addf(&r, "boot_s", "%.3f", 1.5), 0, "addf");
	is_str(report_get(&r, "boot_s"), "1.500", "addf formats");
}

static void test_parse_after_kernel_text(void)
{
	const char *kernel = "[    2.345678] virtio_blk virtio1: [vda] 1048576 512-byte logical blocks";
	char line[512];
	struct report r;
	size_t off = 0;

	snprintf(line, sizeof(line), "%ssupernested: L3 up accel=kvm cpu=\"QEMU Virtual CPU\"", kernel);
	report_seal(line, sizeof(line));
	is_int(report_parse(line, &r, &off), 0, "report glued after kernel text parses");
	is_int(off, strlen(kernel), "offset points at the prefix");
	is_int(strncmp(line + off, REPORT_PREFIX, strlen(REPORT_PREFIX)), 0, "line+offset is the report");
	is_int(r.level, 3, "glued: level");
	is_str(r.event, "up", "glued: event");
	is_str(report_get(&r, "accel"), "kvm", "glued: bare field");
	is_str(report_get(&r, "cpu"), "QEMU Virtual CPU", "glued: quoted field");

	off = 12345;
	is_int(report_parse("[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)",
			    &r, &off), -ENOENT, "plain kernel line: -ENOENT");
	is_int(off, 12345, "offset untouched for -ENOENT");
	is_int(report_parse("", &r, NULL), -ENOENT, "empty line: -ENOENT");
	is_int(report_parse("supernested: level 2 up", &r, NULL), -ENOENT,
	       "no 'L' after the colon: not a report");
	is_int(report_parse(sealed("supernested: L2 up"), &r, NULL), 0, "NULL offset pointer accepted");
}

static void test_parse_garbled(void)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{ "supernested: L2 up text=\"abc", "truncated quote" },
		{ "supernested: L2 up text=\"abc\\", "backslash at end of line" },
		{ "supernested: L2 up text=\"a\\qb\"", "bad escape \\q" },
		{ "supernested: L2 up text=\"\\x4\"", "\\x with one hex digit" },
		{ "supernested: L2 up text=\"\\xzz\"", "\\x with no hex digit" },
		{ "supernested: L2 up text=\"\\x", "\\x at end of line" },
		{ "supernested: L2", "missing event" },
		{ "supernested: L2 ", "missing event after space" },
		{ "supernested: L2 Up", "event in upper case" },
		{ "supernested: L", "missing level" },
		{ "supernested: Lx up", "level not a number" },
		{ "supernested: L-1 up", "negative level" },
		{ "supernested: L2x up", "level with trailing letters" },
		{ "supernested: L65 up", "level beyond REPORT_LEVEL_MAX" },
		{ "supernested: L4294967297 up", "level wrapping a 32-bit int" },
		{ "supernested: L99999999999999999999 up", "level overflowing long" },
		{ "supernested: L2  up", "two spaces before event" },
		{ "supernested: L2 up accel", "key without '='" },
		{ "supernested: L2 up accel=", "key with an empty bare value" },
		{ "supernested: L2 up =kvm", "value without key" },
		{ "supernested: L2 up Accel=kvm", "key in upper case" },
		{ "supernested: L2 up a=b=c", "'=' in a bare value" },
		{ "supernested: L2 up text=\"a\"b", "text right after closing quote" },
		{ "supernested: L2 up accel=kvm\rx=1", "carriage return inside the line" },
		{ "supernested: L2 up aaaaaaaaaaaaaaaaaaaaaaaaa=1", "key longer than REPORT_KEY_MAX" },
		{ "supernested: L2 up deepest=1 deepest=9", "a key twice" },
		{ "supernested: L2 up text=\"caf\xc3\xa9\"", "raw byte >= 0x80 inside quotes" },
		{ "supernested: L2 up text=\"a\x1b[2Jb\"", "raw ESC inside quotes" },
		{ "supernested: L2 up text=\"a\tb\"", "raw tab inside quotes" },
	};
	struct report r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(report_parse(sealed(bad[i].line), &r, NULL), -EBADMSG,
		       "garbled (%s), checksum right: -EBADMSG", bad[i].why);
}

/* The checksum makes a report whole: cut, damaged or unsealed lines are
 * garbled, never reports with fields lost. */
static void test_checksum(void)
{
	char line[REPORT_LINE_MAX * 2], cut[REPORT_LINE_MAX * 2];
	struct report r;
	size_t n;

	is_int(report_parse("supernested: L2 up accel=kvm", &r, NULL), -EBADMSG,
	       "a line without checksum: -EBADMSG");
	snprintf(line, sizeof(line), "%s", sealed("supernested: L2 up accel=kvm mem_mb=512"));
	is_int(report_parse(line, &r, NULL), 0, "sealed line parses");
	is_int(r.nfields, 2, "the checksum is not a field");
	ok(report_get(&r, "crc") == NULL, "crc is not readable as a field");
	for (n = strlen("supernested: L2 up"); n < strlen(line); n++) {
		snprintf(cut, sizeof(cut), "%.*s", (int)n, line);
		if (report_parse(cut, &r, NULL) != -EBADMSG)
			break;
	}
	is_int(n, strlen(line), "every cut of the line is garbled");
	line[20] ^= 1;	/* one bit flipped on a noisy serial line */
	is_int(report_parse(line, &r, NULL), -EBADMSG, "one flipped bit: -EBADMSG");
	snprintf(line, sizeof(line), "%s", sealed("supernested: L2 up accel=kvm"));
	line[strlen(line) - 1] = 'G';
	is_int(report_parse(line, &r, NULL), -EBADMSG, "checksum not hex: -EBADMSG");
	snprintf(line, sizeof(line), "%s trailing", sealed("supernested: L2 up accel=kvm"));
	is_int(report_parse(line, &r, NULL), -EBADMSG, "text after the checksum: -EBADMSG");
	{
		struct report k;

		report_init(&k, 1, "up");
		is_int(report_add(&k, "crc", "1"), -EINVAL, "crc is not a key a report may add");
	}
	/* a report quoted inside a relayed console line does not win */
	{
		struct report in;
		char inner[REPORT_LINE_MAX], outer[REPORT_LINE_MAX];

		report_init(&in, 5, "up");
		report_format(&in, inner, sizeof(inner));
		report_init(&in, 2, "console");
		report_add(&in, "text", inner);
		report_format(&in, outer, sizeof(outer));
		is_int(report_parse(outer, &r, NULL), 0, "relayed console line parses");
		is_int(r.level, 2, "as its carrier's level, not the quoted L5");
		is_str(r.event, "console", "as a console event");
	}
}

static void test_parse_cr_and_spaces(void)
{
	char line[256];
	struct report r;

	snprintf(line, sizeof(line), "%s\r", sealed("supernested: L2 up accel=kvm"));
	is_int(report_parse(line, &r, NULL), 0, "trailing \\r accepted");
	is_str(report_get(&r, "accel"), "kvm", "trailing \\r not part of the value");
	snprintf(line, sizeof(line), "%s\r", sealed("supernested: L2 up"));
	is_int(report_parse(line, &r, NULL), 0, "event then \\r accepted");
	is_int(r.nfields, 0, "event then \\r: no fields");
	is_str(r.event, "up", "event then \\r: event");
	snprintf(line, sizeof(line), "%s\r\r", sealed("supernested: L2 up"));
	is_int(report_parse(line, &r, NULL), -EBADMSG, "two trailing \\r: -EBADMSG");
	is_int(report_parse(sealed("supernested: L4 summary  deepest=4   result=max-depth  "), &r, NULL), 0,
	       "extra spaces between fields accepted");
	is_int(r.nfields, 2, "extra spaces: two fields");
	is_str(report_get(&r, "result"), "max-depth", "extra spaces: value");
	is_int(report_parse(sealed("supernested: L0 x"), &r, NULL), 0, "level 0 accepted");
	is_int(report_parse(sealed("supernested: L64 x"), &r, NULL), 0, "level 64 accepted");
	is_int(r.level, 64, "level 64 parsed");
	is_int(report_parse(sealed("supernested: L2 up text=\"\\x41\\x4A\\x4a\""), &r, NULL), 0,
	       "upper and lower case hex escapes accepted");
	is_str(report_get(&r, "text"), "AJJ", "hex escapes decoded");
}

/* Whatever bytes a child sends, a parsed value is printable UTF-8. */
static void test_hostile_values(void)
{
	struct report r;

	is_int(report_parse(sealed("supernested: L2 up text=\"a\\x1b[2Jb\\x0dc\""), &r, NULL), 0,
	       "escaped ESC and CR parse");
	is_str(report_get(&r, "text"), "a\\x1b[2Jb\\x0dc", "ESC and CR stay escaped in the value");
	is_int(report_parse(sealed("supernested: L2 up cpu=\"\\xff\\xfe\""), &r, NULL), 0,
	       "escaped invalid UTF-8 parses");
	is_str(report_get(&r, "cpu"), "\\xff\\xfe", "invalid UTF-8 stays escaped");
	is_int(report_parse(sealed("supernested: L2 up cpu=\"caf\\xc3\\xa9\""), &r, NULL), 0,
	       "escaped UTF-8 parses");
	is_str(report_get(&r, "cpu"), "caf\xc3\xa9", "valid UTF-8 is kept as characters");
	is_int(report_parse(sealed("supernested: L2 up cpu=\"\\xc2\\x9b\""), &r, NULL), 0,
	       "escaped C1 control parses");
	is_str(report_get(&r, "cpu"), "\\xc2\\x9b", "C1 control (a terminal's CSI) stays escaped");
}

static void test_get(void)
{
	struct report r;
	long long n = 42;
	double d = 42;

	is_int(report_parse(sealed("supernested: L2 summary deepest=4 neg=-7 junk=12abc big=99999999999999999999 "
			    "empty=\"\" result=max-depth wrap=4294967297 up=1.5 inf=inf nan=nan "
			    "exp=1e999 hex=0x10 dots=1.2.3"), &r, NULL), 0, "summary parses");
	is_str(report_get(&r, "result"), "max-depth", "report_get");
	ok(report_get(&r, "missing") == NULL, "report_get of a missing key is NULL");
	ok(report_get(&r, "deep") == NULL, "report_get needs the whole key");
	is_int(report_get_long(&r, "deepest", 0, 64, &n), 0, "report_get_long");
	is_int(n, 4, "report_get_long value");
	is_int(report_get_long(&r, "neg", -10, 10, &n), 0, "report_get_long negative in range");
	is_int(n, -7, "negative value");
	is_int(report_get_long(&r, "neg", 0, 10, &n), -ERANGE, "negative out of range: -ERANGE");
	is_int(report_get_long(&r, "junk", 0, 100, &n), -ERANGE, "trailing letters: -ERANGE");
	is_int(report_get_long(&r, "big", 0, 1LL << 62, &n), -ERANGE, "overflow: -ERANGE");
	is_int(report_get_long(&r, "wrap", 0, 64, &n), -ERANGE, "2^32+1 is not level 1: -ERANGE");
	is_int(report_get_long(&r, "empty", 0, 64, &n), -ERANGE, "empty: -ERANGE");
	is_int(report_get_long(&r, "missing", 0, 64, &n), -ENOENT, "missing: -ENOENT");
	is_int(report_get_long(&r, "result", 0, 64, &n), -ERANGE, "a word: -ERANGE");
	is_int(n, -7, "failed gets leave the output alone");
	is_int(report_get_real(&r, "up", 0, 10, &d), 0, "report_get_real");
	ok(d == 1.5, "real value 1.5");
	is_int(report_get_real(&r, "inf", 0, 1e9, &d), -ERANGE, "inf: -ERANGE");
	is_int(report_get_real(&r, "nan", 0, 1e9, &d), -ERANGE, "nan: -ERANGE");
	is_int(report_get_real(&r, "exp", 0, 1e9, &d), -ERANGE, "1e999: -ERANGE");
	is_int(report_get_real(&r, "hex", 0, 1e9, &d), -ERANGE, "hex float: -ERANGE");
	is_int(report_get_real(&r, "dots", 0, 1e9, &d), -ERANGE, "1.2.3: -ERANGE");
	is_int(report_get_real(&r, "neg", 0, 1e9, &d), -ERANGE, "below min: -ERANGE");
	is_int(report_get_real(&r, "big", 0, 1e9, &d), -ERANGE, "above max: -ERANGE");
}

static void test_long_values(void)
{
	char big[1000], exact[REPORT_VALUE_MAX], line[REPORT_LINE_MAX * 2];
	struct report r, back;
	const char *v;
	int all_x = 1;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	report_init(&r, 1, "evidence");
	is_int(report_add(&r, "text", big), 0, "long value accepted");
	v = report_get(&r, "text");
	is_int(strlen(v), REPORT_VALUE_MAX - 1, "long value cut to REPORT_VALUE_MAX-1");
	is_str(v + REPORT_VALUE_MAX - 4, "...", "cut value ends with ...");
	for (int i = 0; i < REPORT_VALUE_MAX - 4; i++)
		all_x &= v[i] == 'x';
	ok(all_x, "cut value keeps the start");
	ok(report_format(&r, line, sizeof(line)) > 0, "cut value formats");
	is_int(report_parse(line, &back, NULL), 0, "cut value parses");
	is_str(report_get(&back, "text"), v, "cut value round trip");

	memset(exact, 'y', sizeof(exact) - 1);
	exact[sizeof(exact) - 1] = '\0';
	report_init(&r, 1, "evidence");
	report_add(&r, "text", exact);
	is_str(report_get(&r, "text"), exact, "value of REPORT_VALUE_MAX-1 chars kept whole");

	/* one more char is one too many */
	big[REPORT_VALUE_MAX] = '\0';
	report_init(&r, 1, "evidence");
	report_add(&r, "text", big);
	is_str(report_get(&r, "text") + REPORT_VALUE_MAX - 4, "...", "REPORT_VALUE_MAX chars are cut");

	/* a bare value longer than a field holds cannot be a report of ours */
	snprintf(line, sizeof(line), "supernested: L1 evidence text=%s", exact);
	report_seal(line, sizeof(line));
	is_int(report_parse(line, &back, NULL), 0, "bare value of REPORT_VALUE_MAX-1 chars parses");
	snprintf(line, sizeof(line), "supernested: L1 evidence text=%sy", exact);
	report_seal(line, sizeof(line));
	is_int(report_parse(line, &back, NULL), -EBADMSG, "bare value of REPORT_VALUE_MAX chars: -EBADMSG");
}

static void test_limits(void)
{
	struct report r, back;
	char line[REPORT_LINE_MAX * 4], key[16];
	int n, o;

	report_init(&r, 1, "up");
	for (int i = 0; i < REPORT_FIELDS_MAX; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		if (report_add(&r, key, "v") != 0)
			break;
	}
	is_int(r.nfields, REPORT_FIELDS_MAX, "REPORT_FIELDS_MAX fields fit");
	is_int(report_add(&r, "one_more", "v"), -E2BIG, "one more field: -E2BIG");
	is_int(r.nfields, REPORT_FIELDS_MAX, "field count unchanged after -E2BIG");
	ok(report_get(&r, "one_more") == NULL, "refused field not stored");

	n = report_format(&r, line, sizeof(line));
	ok(n > 0, "full report formats");
	is_int(report_parse(line, &back, NULL), 0, "full report parses");
	is_int(back.nfields, REPORT_FIELDS_MAX, "full report: all fields back");
	is_str(report_get(&back, "k23"), "v", "full report: last field");
	o = snprintf(line + n, sizeof(line) - (size_t)n, " extra=1");
	ok(o > 0, "append a field to the line");
	is_int(report_parse(line, &back, NULL), -EBADMSG, "parse of REPORT_FIELDS_MAX+1 fields: -EBADMSG");

	/* formatting into buffers around the exact size */
	report_init(&r, 12, "child-start");
	report_add(&r, "disk", "/dev/vda");
	report_add(&r, "cpu", "a b");
	n = report_format(&r, line, sizeof(line));
	is_str(line, sealed("supernested: L12 child-start disk=/dev/vda cpu=\"a b\""), "reference line");
	{
		char small[128];

		is_int(report_format(&r, small, (size_t)n + 1), n, "format with exact room");
		is_str(small, line, "format with exact room: same text");
		is_int(report_format(&r, small, (size_t)n), -ENOSPC, "format one byte short: -ENOSPC");
		is_int(report_format(&r, small, 10), -ENOSPC, "format into 10 bytes: -ENOSPC");
		is_int(report_format(&r, small, 20), -ENOSPC, "format without room for the prefix: -ENOSPC");
		is_int(report_format(&r, small, 30), -ENOSPC, "format with room for the prefix only: -ENOSPC");
	}
}

int main(void)
{
	test_round_trips();
	test_exact_format();
	test_init_add_errors();
	test_parse_after_kernel_text();
	test_parse_garbled();
	test_checksum();
	test_parse_cr_and_spaces();
	test_hostile_values();
	test_get();
	test_long_values();
	test_limits();
	{	/* report_format_fit: long escaped values are shortened, never dropped */
		struct report r, back;
		char big[REPORT_VALUE_MAX], line[REPORT_LINE_MAX];
		int n;

		memset(big, '\x01', sizeof(big) - 1);	/* each byte quotes to \x01: 4x longer */
		big[sizeof(big) - 1] = '\0';
		report_init(&r, 3, "evidence");
		report_add(&r, "level", "4");
		report_add(&r, "text", big);
		ok(report_format(&r, line, sizeof(line)) < 0, "fit: plain format refuses the long line");
		n = report_format_fit(&r, line, sizeof(line));
		ok(n > 0 && n < REPORT_LINE_MAX, "fit: shortened line fits (%d)", n);
		ok(report_parse(line, &back, NULL) == 0, "fit: shortened line parses");
		is_str(report_get(&back, "level"), "4", "fit: short field intact");
		{	/* the parsed value shows each byte as "\x01" */
			const char *t = report_get(&back, "text");
			size_t kept = 0;

			while ((t = strstr(t, "\\x01")) != NULL)
				kept++, t += 4;
			ok(kept < strlen(big) && strstr(report_get(&back, "text"), "...") != NULL,
			   "fit: long field cut (%zu of %zu bytes kept) and marked", kept, strlen(big));
		}
	}
	return tap_done();
}
