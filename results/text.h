/* text.h - make untrusted bytes safe to show and to store: printable,
 * valid UTF-8, cut on character boundaries.  Every string a report carries
 * (a child's kernel line, a CPU name) goes through here before it reaches
 * a terminal, report.json or a relayed line. */
#ifndef SUPERNESTED_TEXT_H
#define SUPERNESTED_TEXT_H

#include <stddef.h>

/* Copy @src (@n bytes) into @dst (@len bytes, NUL-terminated): printable
 * ASCII and valid UTF-8 characters (no C0/C1 controls, no DEL) are kept,
 * a tab becomes "\t", every other byte becomes "\xHH".  When @dst is full
 * the copy stops before the character or escape that does not fit.
 * Returns the length written. */
size_t text_printable(char *dst, size_t len, const char *src, size_t n);

/* Same for a NUL-terminated @src. */
size_t text_printable_str(char *dst, size_t len, const char *src);

/* Length of the valid UTF-8 character at @s (1-4), 0 when the bytes there
 * are not one (overlong, surrogate, beyond U+10FFFF, cut short). */
size_t utf8_char_len(const unsigned char *s, size_t avail);

/* 1 when @s is valid UTF-8 without control characters. */
int text_is_clean(const char *s);

/* Append formatted text to @buf (@len bytes) at *@n, which it advances.
 * -ENOSPC when it does not fit: *@n stays, and a command line or a config
 * file built this way is refused rather than cut. */
int text_appendf(char *buf, size_t len, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
