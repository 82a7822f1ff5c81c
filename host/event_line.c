/* event_line.c - report lines as short sentences for the live view. */
#include "event_line.h"
#include "exercised.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append to @buf at *@n, never past @len, always NUL-terminated. */
static void put(char *buf, size_t len, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n + 1 >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	*n = (size_t)w >= len - *n ? len - 1 : *n + (size_t)w;
}

static const char *get(const struct report *r, const char *key)
{
	const char *v = report_get(r, key);

	return v ? v : "";
}

/* @before VALUE @after, when @key has a value */
static void put_field(char *buf, size_t len, size_t *n, const struct report *r,
		      const char *key, const char *before, const char *after)
{
	const char *v = report_get(r, key);

	if (v && *v)
		put(buf, len, n, "%s%s%s", before, v, after);
}

static void up(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "up");
	put_field(b, l, n, r, "accel", ": ", "");
	put_field(b, l, n, r, "virt", ", ", "");
	put_field(b, l, n, r, "nested", " nested=", "");
	put_field(b, l, n, r, "mem_mb", ", ", " MiB");
	if (report_get(r, "ipi_tlb"))	/* several CPUs, and the proof they work together */
		put(b, l, n, ", %s CPUs (IPIs: %s TLB, %s call, %s resched)", get(r, "smp"),
		    get(r, "ipi_tlb"), get(r, "ipi_call"), get(r, "ipi_resched"));
	put_field(b, l, n, r, "kernel", ", kernel ", "");
	if (report_get(r, "exercised")) {	/* briefly: "pc, 6 PCI, PMU on, lapic-deadline, tickless" */
		struct exercised e;

		exercised_parse(report_get(r, "exercised"), &e);
		put(b, l, n, "; %s, ", e.machine);
		if (e.pci >= 0)
			put(b, l, n, "%d PCI", e.pci);
		else
			put(b, l, n, "PCI ?");
		put(b, l, n, ", PMU %s, %s, %s", e.pmu < 0 ? "?" : e.pmu ? "on" : "off",
		    e.timer[0] ? e.timer : "timer ?", e.tick[0] ? e.tick : "tick ?");
	}
	put_field(b, l, n, r, "tick_stride", " every ", " jiffies");	/* the deep levels' slow tick */
}

static void child_start(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "starting L%s", get(r, "level"));
	put_field(b, l, n, r, "mem_mb", " (", " MiB");
	put_field(b, l, n, r, "budget_s", ", budget ", " s)");
}

static void child_up(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "L%s booted in %s s", get(r, "level"), get(r, "boot_s"));
	put_field(b, l, n, r, "vcpu_cpus", ", its vCPUs on CPUs ", "");
	put_field(b, l, n, r, "vcpu_guest_ms", " (guest ms ", ")");
}

static void child_fail(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "L%s FAILED: %s", get(r, "level"), get(r, "reason"));
	put_field(b, l, n, r, "detail", " (", ")");
}

static void child_extend(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "L%s still booting and working: budget now %s s", get(r, "level"),
	    get(r, "budget_s"));
}

static void stop(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "stops going deeper: %s", get(r, "reason"));
	put_field(b, l, n, r, "detail", " (", ")");
}

static void summary(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "done: deepest level %s, chain ended at L%s: %s", get(r, "deepest"),
	    get(r, "failed_level"), get(r, "result"));
}

static void warning(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "warning: %s", get(r, "detail"));
}

static void config_error(char *b, size_t l, size_t *n, const struct report *r)
{
	put(b, l, n, "setting %s=%s refused, default used: %s", get(r, "key"), get(r, "value"),
	    get(r, "detail"));
}

static const struct {
	const char *event;
	void (*say)(char *buf, size_t len, size_t *n, const struct report *r);
	int level1_only;	/* deeper levels' copies say nothing new */
} sentences[] = {
	{ "up", up, 0 },
	{ "child-start", child_start, 0 },
	{ "child-up", child_up, 0 },
	{ "child-fail", child_fail, 0 },
	{ "child-extend", child_extend, 0 },
	{ "stop", stop, 0 },
	{ "summary", summary, 1 },
	{ "warning", warning, 0 },
	{ "config-error", config_error, 0 },
};

size_t event_line_format(char *buf, size_t len, const struct report *r, double t)
{
	size_t n = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++) {
		if (strcmp(r->event, sentences[i].event))
			continue;
		if (sentences[i].level1_only && r->level != 1)
			return 0;
		char name[NODE_NAME_MAX];

		if (node_format(&r->node, name, sizeof(name)) < 0)	/* as its line spells it */
			snprintf(name, sizeof(name), "%d", r->level);
		put(buf, len, &n, "[%7.1fs] L%s ", t, name);
		sentences[i].say(buf, len, &n, r);
		return n;
	}
	return 0;
}
