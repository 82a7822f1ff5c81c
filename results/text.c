/* text.c - printable, valid UTF-8 copies of untrusted bytes (see text.h). */
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t utf8_char_len(const unsigned char *s, size_t avail)
{
	unsigned cp;
	size_t n;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A character that a terminal shows as itself: no C0/C1 control, no DEL. */
static int is_shown(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] >= 0x20 && s[0] < 0x7f;
	return !(n == 2 && s[0] == 0xc2 && s[1] < 0xa0);	/* U+0080..U+009F */
}

size_t text_printable(char *dst, size_t len, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t c = utf8_char_len(s + i, n - i);
		char esc[5];
		const char *out;
		size_t outn;

		if (c && is_shown(s + i, c)) {
			out = (const char *)s + i;
			outn = c;
		} else {
			c = 1;
			if (s[i] == '\t') {
				memcpy(esc, "\\t", 2);
				outn = 2;
			} else {
				esc[0] = '\\', esc[1] = 'x';
				esc[2] = hex[s[i] >> 4], esc[3] = hex[s[i] & 15];
				outn = 4;
			}
			out = esc;
		}
		if (o + outn >= len)
			break;
		memcpy(dst + o, out, outn);
		o += outn;
		i += c;
	}
	dst[o] = '\0';
	return o;
}

size_t text_printable_str(char *dst, size_t len, const char *src)
{
	return text_printable(dst, len, src, strlen(src));
}

int text_is_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		size_t c = utf8_char_len(p + i, n - i);

		if (!c || !is_shown(p + i, c))
			return 0;
		i += c;
	}
	return 1;
}

int text_appendf(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n >= len)
		return -ENOSPC;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= len - *n) {
		buf[*n] = '\0';
		return -ENOSPC;
	}
	*n += (size_t)k;
	return 0;
}
