/* kernel_config.c - a kernel's .config against image/kernel.config (see
 * kernel_config.h). */
#include "kernel_config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Find the line starting with @prefix (at a line start) in @text. */
static const char *find_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p;) {
		if (!strncmp(p, prefix, n))
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

void kconfig_value(const char *config, const char *option, char *out, size_t len)
{
	char prefix[96];
	const char *line;

	snprintf(out, len, "n");
	if (snprintf(prefix, sizeof(prefix), "%s=", option) >= (int)sizeof(prefix))
		return;
	line = find_line(config, prefix);
	if (line) {
		line += strlen(prefix);
		snprintf(out, len, "%.*s", (int)strcspn(line, "\n"), line);
	}
}

int kconfig_check(const char *fragment, const char *config, struct kconfig_problem *p, int max)
{
	char why[sizeof(p->why)] = "";
	int optional = 0, count = 0;

	for (const char *line = fragment; line && *line;) {
		size_t len = strcspn(line, "\n");

		if (!strncmp(line, KCONFIG_OPTIONAL_MARKER, strlen(KCONFIG_OPTIONAL_MARKER))) {
			optional = 1;
		} else if (line[0] == '#') {
			snprintf(why, sizeof(why), "%.*s", (int)(len > 2 ? len - 2 : 0), line + 2);
		} else if (!strncmp(line, "CONFIG_", 7)) {
			const char *eq = memchr(line, '=', len);
			char option[64], want[4], have[16];

			if (!eq || eq - line >= (long)sizeof(option) || line + len - eq - 1 != 1 ||
			    (eq[1] != 'y' && eq[1] != 'm'))
				return -EINVAL;
			snprintf(option, sizeof(option), "%.*s", (int)(eq - line), line);
			snprintf(want, sizeof(want), "%c", eq[1]);
			kconfig_value(config, option, have, sizeof(have));
			/* "=m" in the fragment: built in does as well */
			if (strcmp(have, "y") && strcmp(have, want)) {
				if (count < max) {
					struct kconfig_problem *q = &p[count];

					snprintf(q->option, sizeof(q->option), "%s", option);
					snprintf(q->want, sizeof(q->want), "%s", want);
					snprintf(q->have, sizeof(q->have), "%s", have);
					snprintf(q->why, sizeof(q->why), "%s", why);
					q->warning = optional;
				}
				count++;
			}
		} else if (len) {
			return -EINVAL;
		}
		line = line[len] ? line + len + 1 : NULL;
	}
	return count;
}

void kconfig_problem_text(const struct kconfig_problem *p, char *out, size_t len)
{
	snprintf(out, len, "%s: %s is %s (needed for %s): set %s=%s%s",
		 p->warning ? "warning" : "error", p->option,
		 !strcmp(p->have, "n") ? "not set" : p->have, p->why, p->option,
		 p->want, !strcmp(p->want, "m") ? " or y" : "");
}
