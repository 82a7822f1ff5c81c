/* test_text.c - untrusted bytes made printable, valid UTF-8, cut whole. */
#include "tap.h"

#include <errno.h>
#include "text.h"

static void check(const char *name, const char *in, size_t n, size_t room, const char *want)
{
	char out[256];

	text_printable(out, room, in, n);
	is_str(out, want, "%s", name);
	ok(text_is_clean(out), "%s: result is clean", name);
}

int main(void)
{
	char out[64];

	check("ASCII kept", "Linux version 6.1", 17, 64, "Linux version 6.1");
	check("ESC escaped", "a\x1b[2Jb", 6, 64, "a\\x1b[2Jb");
	check("CR and BEL escaped", "x\ry\a", 4, 64, "x\\x0dy\\x07");
	check("tab as \\t", "a\tb", 3, 64, "a\\tb");
	check("DEL escaped", "\x7f", 1, 64, "\\x7f");
	check("NUL inside escaped", "a\0b", 3, 64, "a\\x00b");
	check("valid UTF-8 kept", "caf\xc3\xa9 \xe2\x94\x80 \xf0\x9f\x98\x80", 14, 64,
	      "caf\xc3\xa9 \xe2\x94\x80 \xf0\x9f\x98\x80");
	check("lone 0xff escaped", "\xff", 1, 64, "\\xff");
	check("overlong NUL escaped", "\xc0\x80", 2, 64, "\\xc0\\x80");
	check("surrogate escaped", "\xed\xa0\x80", 3, 64, "\\xed\\xa0\\x80");
	check("beyond U+10FFFF escaped", "\xf4\x90\x80\x80", 4, 64, "\\xf4\\x90\\x80\\x80");
	check("truncated sequence escaped", "a\xe2\x94", 3, 64, "a\\xe2\\x94");
	check("C1 control (CSI) escaped", "\xc2\x9b" "31m", 5, 64, "\\xc2\\x9b31m");
	check("U+00A0 kept", "\xc2\xa0", 2, 64, "\xc2\xa0");

	/* cutting: never half a character, never half an escape */
	check("cut before a 2-byte char", "ab\xc3\xa9", 4, 4, "ab");
	check("2-byte char exactly fits", "ab\xc3\xa9", 4, 5, "ab\xc3\xa9");
	check("cut before an escape", "ab\x1b", 3, 6, "ab");
	check("escape exactly fits", "ab\x1b", 3, 7, "ab\\x1b");
	{
		char forty[81];

		for (int i = 0; i < 40; i++)
			forty[2 * i] = '\xc3', forty[2 * i + 1] = '\xa9';
		forty[80] = '\0';
		is_int(text_printable_str(out, 80, forty), 78, "40 x e-acute into 80 bytes: 39 whole characters");
		ok(text_is_clean(out), "40 x e-acute cut: still valid UTF-8");
	}
	is_int(text_printable(out, 1, "abc", 3), 0, "room for the NUL only");
	is_str(out, "", "room for the NUL only: empty");

	is_int(utf8_char_len((const unsigned char *)"\xe2\x94\x80", 3), 3, "3-byte length");
	is_int(utf8_char_len((const unsigned char *)"\xe2\x94\x80", 2), 0, "3-byte cut short");
	is_int(utf8_char_len((const unsigned char *)"\x80", 1), 0, "continuation byte alone");
	is_int(text_is_clean("plain"), 1, "plain is clean");
	is_int(text_is_clean("a\x1b"), 0, "ESC is not clean");
	is_int(text_is_clean("\xff"), 0, "0xff is not clean");
	{
		char buf[8];
		size_t n = 0;

		is_int(text_appendf(buf, sizeof(buf), &n, "%s", "abc"), 0, "appendf: fits");
		is_int(text_appendf(buf, sizeof(buf), &n, "%d", 1234), 0, "appendf: fills to the last byte");
		is_str(buf, "abc1234", "appendf: both parts");
		is_int(text_appendf(buf, sizeof(buf), &n, "x"), -ENOSPC, "appendf: no room is -ENOSPC");
		is_int(n, 7, "appendf: the length stays where it was");
	}
	return tap_done();
}
