/* report.h - the report-line protocol every level speaks up the serial chain.
 *
 * One line per event, readable by a person and unambiguous to parse:
 *
 *   supernested: L2 up cpu="AMD EPYC" virt=svm nested=1 accel=kvm mem_mb=7680
 *
 * "supernested: L<level> <event>" then key=value fields.  A value is bare
 * when it is made of safe characters, otherwise double-quoted with C-like
 * escapes (\" \\ \n \t \xHH), so every line stays printable ASCII. */
#ifndef SUPERNESTED_REPORT_H
#define SUPERNESTED_REPORT_H

#include <stddef.h>

#define REPORT_PREFIX "supernested: L"
#define REPORT_LINE_MAX 1024
#define REPORT_FIELDS_MAX 24
#define REPORT_KEY_MAX 24
#define REPORT_VALUE_MAX 400

struct report_field {
	char key[REPORT_KEY_MAX];
	char value[REPORT_VALUE_MAX];
};

struct report {
	int level;
	char event[REPORT_KEY_MAX];
	int nfields;
	struct report_field field[REPORT_FIELDS_MAX];
};

/* Start a report for @level and @event (lower case, digits and '-'). */
int report_init(struct report *r, int level, const char *event);

/* Add a field; a value too long is cut and marked with "..." (a report is
 * evidence, never worth losing for one long line). -E2BIG when full,
 * -EINVAL for a bad key. */
int report_add(struct report *r, const char *key, const char *value);
int report_addf(struct report *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Value of @key or NULL. */
const char *report_get(const struct report *r, const char *key);
/* Integer value of @key, or @fallback when absent or not a number. */
long long report_get_int(const struct report *r, const char *key, long long fallback);

/* Write the line (no newline) into @buf. Returns its length, or -ENOSPC. */
int report_format(const struct report *r, char *buf, size_t len);

/* Like report_format, but shortens the longest values (marking them "...")
 * until the line fits in REPORT_LINE_MAX: a report is never dropped for
 * being long.  Returns the length. */
int report_format_fit(struct report *r, char *buf, size_t len);

/* Parse a console line.  The report may follow other text on the same line
 * (a kernel message interleaved before it); *@offset tells where it starts.
 * Returns 0 on success, -ENOENT when the line holds no report, -EBADMSG when
 * it holds a garbled one (prefix present but the rest does not parse). */
int report_parse(const char *line, struct report *r, size_t *offset);

/* Quote @value for a report line into @buf as report_format would. */
int report_quote(const char *value, char *buf, size_t len);

#endif
