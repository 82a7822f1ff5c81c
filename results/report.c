/* report.c - format and parse report lines (see report.h). Pure logic,
 * shared by the in-guest launcher and the host tool. */
#include "report.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int valid_name(const char *s)
{
	if (!*s || strlen(s) >= REPORT_KEY_MAX)
		return 0;
	for (; *s; s++)
		if (!is_name_char(*s))
			return 0;
	return 1;
}

/* Characters that may stand in a value without quotes. */
static int is_bare_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '=';
}

/* CRC-32 (IEEE 802.3, as zlib's crc32()): small and fast enough for one
 * line at a time, without a table. */
static uint32_t crc32_of(const char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= (unsigned char)*p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

/* A cut at @at (<= strlen) moved back off UTF-8 continuation bytes, so a
 * shortened value never ends in half a character. */
static size_t cut_point(const char *s, size_t at)
{
	while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
		at--;
	return at;
}

int report_init(struct report *r, int level, const char *event)
{
	memset(r, 0, sizeof(*r));
	if (level < 0 || !valid_name(event))
		return -EINVAL;
	r->level = level;
	node_first(&r->node, level);
	snprintf(r->event, sizeof(r->event), "%s", event);
	return 0;
}

int report_init_node(struct report *r, const struct node *n, const char *event)
{
	int rc = report_init(r, n->level, event);

	if (rc == 0)
		r->node = *n;
	return rc;
}

int report_add(struct report *r, const char *key, const char *value)
{
	struct report_field *f;
	size_t n;

	if (!valid_name(key) || !strcmp(key, REPORT_CRC_KEY))
		return -EINVAL;
	if (r->nfields >= REPORT_FIELDS_MAX)
		return -E2BIG;
	f = &r->field[r->nfields++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	n = strlen(value ? value : "");
	if (n < sizeof(f->value)) {
		memcpy(f->value, value ? value : "", n + 1);
	} else {
		n = cut_point(value, sizeof(f->value) - 4);
		memcpy(f->value, value, n);
		strcpy(f->value + n, "...");
	}
	return 0;
}

int report_addf(struct report *r, const char *key, const char *fmt, ...)
{
	char buf[REPORT_VALUE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return report_add(r, key, buf);
}

int report_add_node(struct report *r, const char *key, const struct node *n)
{
	char name[NODE_NAME_MAX];

	if (node_format(n, name, sizeof(name)) < 0)
		return -EINVAL;
	return report_add(r, key, name);
}

const char *report_get(const struct report *r, const char *key)
{
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(r->field[i].key, key) == 0)
			return r->field[i].value;
	return NULL;
}

int report_get_long(const struct report *r, const char *key, long long min, long long max,
		    long long *out)
{
	const char *v = report_get(r, key);
	char *end;
	long long n;

	if (!v)
		return -ENOENT;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (!*v || errno || *end || n < min || n > max)
		return -ERANGE;
	*out = n;
	return 0;
}

int report_get_real(const struct report *r, const char *key, double min, double max,
		    double *out)
{
	const char *v = report_get(r, key);
	char *end;
	double d;

	if (!v)
		return -ENOENT;
	/* plain decimals only: no "inf", "nan", hex floats or exponents */
	if (!*v || strspn(v, "0123456789.-") != strlen(v))
		return -ERANGE;
	d = strtod(v, &end);
	if (*end || !isfinite(d) || d < min || d > max)
		return -ERANGE;
	*out = d;
	return 0;
}

int report_quote(const char *value, char *buf, size_t len)
{
	size_t o = 0;
	int bare = *value != '\0';

	for (const char *p = value; *p && bare; p++)
		bare = is_bare_char((unsigned char)*p);
	if (bare) {
		if (strlen(value) >= len)
			return -ENOSPC;
		strcpy(buf, value);
		return (int)strlen(value);
	}

#define PUT(c) do { if (o + 1 >= len) return -ENOSPC; buf[o++] = (c); } while (0)
	PUT('"');
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		switch (*p) {
		case '"':  PUT('\\'); PUT('"'); break;
		case '\\': PUT('\\'); PUT('\\'); break;
		case '\n': PUT('\\'); PUT('n'); break;
		case '\t': PUT('\\'); PUT('t'); break;
		default:
			if (*p < 0x20 || *p >= 0x7f) {
				static const char hex[] = "0123456789abcdef";
				PUT('\\'); PUT('x'); PUT(hex[*p >> 4]); PUT(hex[*p & 15]);
			} else {
				PUT((char)*p);
			}
		}
	}
	PUT('"');
#undef PUT
	buf[o] = '\0';
	return (int)o;
}

int report_format(const struct report *r, char *buf, size_t len)
{
	char quoted[REPORT_VALUE_MAX * 4 + 3], name[NODE_NAME_MAX];
	int n, o;

	if (r->node.level == r->level && r->level > 0 && !node_is_first(&r->node)) {
		if (node_format(&r->node, name, sizeof(name)) < 0)
			return -ENOSPC;
	} else {
		snprintf(name, sizeof(name), "%d", r->level);
	}
	n = snprintf(buf, len, REPORT_PREFIX "%s %s", name, r->event);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	o = n;
	for (int i = 0; i < r->nfields; i++) {
		if (report_quote(r->field[i].value, quoted, sizeof(quoted)) < 0)
			return -ENOSPC;
		n = snprintf(buf + o, len - o, " %s=%s", r->field[i].key, quoted);
		if (n < 0 || (size_t)n >= len - o)
			return -ENOSPC;
		o += n;
	}
	return report_seal(buf, len);
}

int report_seal(char *buf, size_t len)
{
	const char *start = strstr(buf, REPORT_PREFIX);
	size_t o = strlen(buf);
	int n;

	if (!start)
		start = buf;
	n = snprintf(buf + o, len - o, " " REPORT_CRC_KEY "=%08x",
		     crc32_of(start, (size_t)(buf + o - start)));
	if (n != REPORT_CRC_LEN || (size_t)n >= len - o) {
		buf[o] = '\0';
		return -ENOSPC;
	}
	return (int)o + n;
}

int report_format_fit(struct report *r, char *buf, size_t len)
{
	int n;

	if (len > REPORT_LINE_MAX)
		len = REPORT_LINE_MAX;
	while ((n = report_format(r, buf, len)) < 0) {
		struct report_field *longest = NULL;
		size_t cut;

		for (int i = 0; i < r->nfields; i++)
			if (!longest || strlen(r->field[i].value) > strlen(longest->value))
				longest = &r->field[i];
		if (!longest || strlen(longest->value) < 8)
			return report_format(r, buf, len);	/* cannot shrink: the prefix alone */
		cut = cut_point(longest->value, strlen(longest->value) / 2);
		strcpy(longest->value + cut, "...");
	}
	return n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse one quoted value starting after the opening quote; the decoded
 * bytes are stored as printable UTF-8 (text.h). */
static const char *parse_quoted(const char *p, char *out, size_t len)
{
	char raw[REPORT_VALUE_MAX * 4], shown[REPORT_VALUE_MAX * 4 * 4 + 1];
	size_t o = 0;

	for (; *p && *p != '"'; p++) {
		char c = *p;

		if (c == '\\') {
			p++;
			switch (*p) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'x': {
				int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);

				if (hi < 0 || lo < 0)
					return NULL;
				c = (char)(hi << 4 | lo);
				p += 2;
				break;
			}
			default:
				return NULL;
			}
		}
		if (o < sizeof(raw))
			raw[o++] = c;
	}
	if (*p != '"')
		return NULL;
	/* escaping may make it longer than its field: cut and mark it */
	if (text_printable(shown, sizeof(shown), raw, o) >= len) {
		size_t cut = cut_point(shown, len - 4);

		memcpy(shown + cut, "...", 4);
	}
	memcpy(out, shown, strlen(shown) + 1);
	return p + 1;
}

/* The fields after "L<level> <event>", up to the end of @p. */
static int parse_fields(const char *p, struct report *r)
{
	for (;;) {
		struct report_field *f;
		size_t n;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			return 0;
		if (r->nfields >= REPORT_FIELDS_MAX)
			return -EBADMSG;
		f = &r->field[r->nfields];
		for (n = 0; is_name_char(p[n]); n++)
			;
		if (n == 0 || n >= REPORT_KEY_MAX || p[n] != '=')
			return -EBADMSG;
		memcpy(f->key, p, n);
		f->key[n] = '\0';
		if (report_get(r, f->key))	/* a key twice: which one to believe? */
			return -EBADMSG;
		p += n + 1;
		if (*p == '"') {
			p = parse_quoted(p + 1, f->value, sizeof(f->value));
			if (!p)
				return -EBADMSG;
		} else {
			for (n = 0; is_bare_char((unsigned char)p[n]); n++)
				;
			if (n == 0 || n >= sizeof(f->value))
				return -EBADMSG;
			memcpy(f->value, p, n);
			f->value[n] = '\0';
			p += n;
		}
		if (*p != ' ' && *p != '\0')
			return -EBADMSG;
		r->nfields++;
	}
}

/* The report starting at @start, running to the end of the line. */
static int parse_at(const char *start, struct report *r)
{
	char body[REPORT_LINE_MAX], *end;
	size_t n = strlen(start);
	const char *crc, *p;
	unsigned long want;
	long level;

	memset(r, 0, sizeof(*r));
	if (n && start[n - 1] == '\r')
		n--;
	if (n > REPORT_LINE_MAX || n < strlen(REPORT_PREFIX) + REPORT_CRC_LEN)
		return -EBADMSG;
	crc = start + n - REPORT_CRC_LEN;
	if (strncmp(crc, " " REPORT_CRC_KEY "=", 5) != 0 ||
	    strspn(crc + 5, "0123456789abcdef") < 8)
		return -EBADMSG;
	want = strtoul(crc + 5, NULL, 16);
	if (crc32_of(start, (size_t)(crc - start)) != want)
		return -EBADMSG;
	for (p = start; p < crc; p++)	/* a well-formed line is printable ASCII */
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return -EBADMSG;
	memcpy(body, start, (size_t)(crc - start));
	body[crc - start] = '\0';

	p = body + strlen(REPORT_PREFIX);
	if (*p < '0' || *p > '9')
		return -EBADMSG;
	errno = 0;
	level = strtol(p, &end, 10);
	if (*end == '.') {	/* a node of a tree: "L1.2.1" (node.h) */
		char name[NODE_NAME_MAX];
		size_t len = strspn(p, "0123456789.");

		if (len >= sizeof(name) || (p[len] != ' ' && p[len] != '\0'))
			return -EBADMSG;
		memcpy(name, p, len);
		name[len] = '\0';
		if (node_parse(name, &r->node) < 0)
			return -EBADMSG;
		level = r->node.level;
		end = (char *)p + len;
	} else if (errno || level > REPORT_LEVEL_MAX || (*end != ' ' && *end != '\0')) {
		return -EBADMSG;
	} else {
		node_first(&r->node, (int)level);
	}
	r->level = (int)level;
	p = *end ? end + 1 : end;
	for (n = 0; is_name_char(p[n]); n++)
		;
	if (n == 0 || n >= REPORT_KEY_MAX || (p[n] != ' ' && p[n] != '\0'))
		return -EBADMSG;
	memcpy(r->event, p, n);
	r->event[n] = '\0';
	return parse_fields(p + n, r);
}

int report_parse(const char *line, struct report *r, size_t *offset)
{
	const char *first = strstr(line, REPORT_PREFIX), *p;

	if (!first)
		return -ENOENT;
	/* the first occurrence whose checksum holds: a report quoted inside
	 * another (a relayed console line) never wins over its carrier */
	for (p = first; p; p = strstr(p + 1, REPORT_PREFIX)) {
		if (parse_at(p, r) == 0) {
			if (offset)
				*offset = (size_t)(p - line);
			return 0;
		}
	}
	if (offset)
		*offset = (size_t)(first - line);
	memset(r, 0, sizeof(*r));
	return -EBADMSG;
}
