/* report.c - format and parse report lines (see report.h). Pure logic,
 * shared by the in-guest launcher and the host tool. */
#include "report.h"

#include <errno.h>
#include <stdarg.h>
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

int report_init(struct report *r, int level, const char *event)
{
	memset(r, 0, sizeof(*r));
	if (level < 0 || !valid_name(event))
		return -EINVAL;
	r->level = level;
	snprintf(r->event, sizeof(r->event), "%s", event);
	return 0;
}

int report_add(struct report *r, const char *key, const char *value)
{
	struct report_field *f;
	size_t n;

	if (!valid_name(key))
		return -EINVAL;
	if (r->nfields >= REPORT_FIELDS_MAX)
		return -E2BIG;
	f = &r->field[r->nfields++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	n = strlen(value ? value : "");
	if (n < sizeof(f->value)) {
		memcpy(f->value, value ? value : "", n + 1);
	} else {
		memcpy(f->value, value, sizeof(f->value) - 4);
		strcpy(f->value + sizeof(f->value) - 4, "...");
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

const char *report_get(const struct report *r, const char *key)
{
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(r->field[i].key, key) == 0)
			return r->field[i].value;
	return NULL;
}

long long report_get_int(const struct report *r, const char *key, long long fallback)
{
	const char *v = report_get(r, key);
	char *end;
	long long n;

	if (!v || !*v)
		return fallback;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end)
		return fallback;
	return n;
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
	char quoted[REPORT_VALUE_MAX * 4 + 3];
	int n, o;

	n = snprintf(buf, len, REPORT_PREFIX "%d %s", r->level, r->event);
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
	return o;
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
		cut = strlen(longest->value) / 2;
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

/* Parse one quoted value starting after the opening quote. */
static const char *parse_quoted(const char *p, char *out, size_t len)
{
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
		if (o + 1 < len)
			out[o++] = c;
	}
	if (*p != '"')
		return NULL;
	out[o] = '\0';
	return p + 1;
}

int report_parse(const char *line, struct report *r, size_t *offset)
{
	const char *start = strstr(line, REPORT_PREFIX), *p;
	char *end;
	long level;
	size_t n;

	if (!start)
		return -ENOENT;
	if (offset)
		*offset = (size_t)(start - line);
	memset(r, 0, sizeof(*r));
	p = start + strlen(REPORT_PREFIX);
	if (*p < '0' || *p > '9')
		return -EBADMSG;
	level = strtol(p, &end, 10);
	if (level < 0 || level > 1000 || *end != ' ')
		return -EBADMSG;
	r->level = (int)level;
	p = end + 1;
	for (n = 0; is_name_char(p[n]); n++)
		;
	if (n == 0 || n >= REPORT_KEY_MAX || (p[n] != ' ' && p[n] != '\0' && p[n] != '\r'))
		return -EBADMSG;
	memcpy(r->event, p, n);
	r->event[n] = '\0';
	p += n;

	for (;;) {
		struct report_field *f;

		while (*p == ' ')
			p++;
		if (*p == '\0' || (*p == '\r' && p[1] == '\0'))
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
		if (*p != ' ' && *p != '\0' && *p != '\r')
			return -EBADMSG;
		r->nfields++;
	}
}
