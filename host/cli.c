/* cli.c - the host tool's usage errors and number options (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "supernested: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try: supernested --help)\n");
	return EXIT_USAGE;
}

int parse_num(const char *text, long min, long max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}
