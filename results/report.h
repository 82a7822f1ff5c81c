/* report.h - the report-line protocol every level speaks up the serial chain.
 *
 * One line per event, readable by a person and unambiguous to parse:
 *
 *   supernested: L2 up cpu="AMD EPYC" virt=svm nested=1 accel=kvm mem_mb=7680
 *
 * "supernested: L<level> <event>" then key=value fields, and last a
 * checksum: " crc=XXXXXXXX", the CRC-32 of everything before it.  A value
 * is bare when it is made of safe characters, otherwise double-quoted with
 * C-like escapes (\" \\ \n \t \xHH), so every line stays printable ASCII.
 *
 * The checksum is what makes a report whole: a line cut by a reader's
 * buffer, interleaved with kernel text or damaged on a serial port never
 * parses as a report with fields lost.  Parsed values are printable UTF-8
 * (text.h): whatever a child sends, nothing raw reaches a terminal or JSON. */
#ifndef SUPERNESTED_REPORT_H
#define SUPERNESTED_REPORT_H

#include <stddef.h>

#include "node.h"

#define REPORT_PREFIX "supernested: L"
#define REPORT_CRC_KEY "crc"
#define REPORT_CRC_LEN 13	/* " crc=XXXXXXXX" */
/* Longest report line, checksum included.  Readers keep lines up to
 * LINE_READER_MAX (line_reader.h), room for a report glued behind as much
 * kernel text again. */
#define REPORT_LINE_MAX 1024
#define REPORT_LEVEL_MAX NODE_LEVEL_MAX	/* deepest level a report may name */
#define REPORT_FIELDS_MAX 24
#define REPORT_KEY_MAX 24
#define REPORT_VALUE_MAX 400

struct report_field {
	char key[REPORT_KEY_MAX];
	char value[REPORT_VALUE_MAX];
};

struct report {
	int level;
	struct node node;	/* who speaks: "L1.2" in a tree (node.h), else level's first node */
	char event[REPORT_KEY_MAX];
	int nfields;
	struct report_field field[REPORT_FIELDS_MAX];
};

/* Start a report for @level and @event (lower case, digits and '-'). */
int report_init(struct report *r, int level, const char *event);
/* ... for node @n of a tree ("supernested: L1.2 up ..."). */
int report_init_node(struct report *r, const struct node *n, const char *event);

/* Add a field; a value too long is cut and marked with "..." (a report is
 * evidence, never worth losing for one long line). -E2BIG when full,
 * -EINVAL for a bad key. */
int report_add(struct report *r, const char *key, const char *value);
int report_addf(struct report *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add a field naming node @n ("level=1.2"), spelt as node.h says. */
int report_add_node(struct report *r, const char *key, const struct node *n);

/* Value of @key or NULL. */
const char *report_get(const struct report *r, const char *key);

/* Integer value of @key in [@min, @max]: 0, -ENOENT when absent, -ERANGE
 * when not a number or out of range (never cast into something plausible). */
int report_get_long(const struct report *r, const char *key, long long min, long long max,
		    long long *out);
/* Same for a finite decimal number (seconds, say). */
int report_get_real(const struct report *r, const char *key, double min, double max,
		    double *out);

/* Write the line (no newline, checksum last) into @buf. Returns its
 * length, or -ENOSPC. */
int report_format(const struct report *r, char *buf, size_t len);

/* Append the checksum to the line in @buf (NUL-terminated), computed from
 * its REPORT_PREFIX on.  Returns the new length, or -ENOSPC.  (Tests and
 * the fuzz harness build lines with it; report_format calls it.) */
int report_seal(char *buf, size_t len);

/* Like report_format, but shortens the longest values (marking them "...")
 * until the line fits in REPORT_LINE_MAX: a report is never dropped for
 * being long.  Returns the length. */
int report_format_fit(struct report *r, char *buf, size_t len);

/* Parse a console line.  The report may follow other text on the same line
 * (a kernel message interleaved before it); *@offset tells where it starts.
 * A report runs to the end of the line (a trailing CR is allowed) and its
 * checksum must match.  Returns 0 on success, -ENOENT when the line holds
 * no report, -EBADMSG when it holds a garbled one (prefix present but the
 * rest does not parse or check). */
int report_parse(const char *line, struct report *r, size_t *offset);

/* Quote @value for a report line into @buf as report_format would. */
int report_quote(const char *value, char *buf, size_t len);

#endif
