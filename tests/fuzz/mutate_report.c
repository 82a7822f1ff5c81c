/* mutate_report.c - structure-aware mutations of a report stream, lines
 * sealed again after the change (see mutate_report.h). */
#include "mutate_report.h"
#include "report.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MUT_LINES_MAX 2048	/* lines taken apart; the rest is kept as it is */
#define MUT_LINE_CAP 4096	/* room for one line while it is rebuilt */
#define MUT_FIELDS_MAX 32

/* Values that sit on a boundary of some check: int, long long, double,
 * the chain's ranges (1 << 30, 1e7, REPORT_LEVEL_MAX), text strtod takes. */
static const char *const numbers[] = {
	"0", "-0", "-1", "1", "2", "7", "63", "64", "65", "66", "100", "255", "256", "65535",
	"65536", "65537", "1073741823", "1073741824", "1073741825", "2147483647",
	"2147483648", "-2147483648", "4294967295", "4294967296", "4611686018427387903",
	"4611686018427387904", "4611686018427387905", "9223372036854775807",
	"9223372036854775808", "-9223372036854775808", "18446744073709551615",
	"18446744073709551616", "99999999999999999999999999999", "0.0", "0.001", "0.000001",
	"1e-320", "0.0000000000000000000000000000000000000001", "9999999.999", "10000000",
	"10000000.0", "10000000.1", "1e7", "1e308", "1.7976931348623157e308", "inf", "-inf",
	"nan", "NaN", "infinity", "0x10", "1.5", ".", "-", "..", "-.5", "5.", "00000000001",
	"1.2.3", "+1", " 1", "",
};

/* Every outcome name, and a few that are not. */
static const char *const outcomes[] = {
	"none", "max-depth", "no-virt", "kvm-module", "nested-disabled", "no-kvm-dev",
	"no-memory", "qemu-start", "timeout", "panic", "oom", "kvm-error", "qemu-crash",
	"qemu-exit", "config-error", "internal-error", "run-limit", "unknown", "MAX-DEPTH", "ok",
};

static const char *const events[] = {
	"up", "child-start", "child-up", "child-fail", "child-extend", "child-exits",
	"evidence", "stop", "summary", "config-error", "warning", "console", "qemu", "frob",
};

/* Keys, and the kind of value each one takes. */
enum key_kind { K_LEVEL, K_NUMBER, K_OUTCOME, K_TEXT };
static const struct {
	const char *key;
	enum key_kind kind;
} keys[] = {
	{ "level", K_LEVEL }, { "deepest", K_LEVEL }, { "failed_level", K_LEVEL },
	{ "maxdepth", K_LEVEL }, { "uptime_s", K_NUMBER }, { "launcher_s", K_NUMBER },
	{ "boot_s", K_NUMBER }, { "budget_s", K_NUMBER }, { "after_s", K_NUMBER },
	{ "mem_mb", K_NUMBER }, { "avail_mb", K_NUMBER }, { "need_mb", K_NUMBER },
	{ "reserve_mb", K_NUMBER }, { "smp", K_NUMBER }, { "total", K_NUMBER },
	{ "io", K_NUMBER }, { "mmio", K_NUMBER }, { "halt", K_NUMBER }, { "irq", K_NUMBER },
	{ "irq_window", K_NUMBER }, { "emul", K_NUMBER }, { "msr", K_NUMBER },
	{ "npf", K_NUMBER }, { "traced", K_NUMBER }, { "work", K_NUMBER },
	{ "reason", K_OUTCOME }, { "result", K_OUTCOME }, { "text", K_TEXT },
	{ "detail", K_TEXT }, { "hint", K_TEXT }, { "garbled", K_TEXT }, { "cpu", K_TEXT },
	{ "accel", K_TEXT }, { "virt", K_TEXT }, { "nested", K_TEXT }, { "crng", K_TEXT },
	{ "thp", K_TEXT }, { "top", K_TEXT }, { "io_ports", K_TEXT }, { "msrs", K_TEXT },
	{ "key", K_TEXT }, { "value", K_TEXT }, { "kernel", K_TEXT }, { "version", K_TEXT },
};

/* Text values, as they stand on a line (quoted where a launcher quotes). */
static const char *const texts[] = {
	"\"[    1.234567] Kernel panic - not syncing: VFS: Unable to mount root fs\"",
	"\"[    2.000000] Out of memory: Killed process 1 (init)\"",
	"\"[    0.5] init invoked oom-killer: gfp_mask=0x0\"",
	"\"[    3.1] BUG: kernel NULL pointer dereference, address: 0000000000000000\"",
	"\"KVM internal error. Suberror: 1\"", "\"qemu: emulation failure\"",
	"\"Could not access KVM kernel module: No such file or directory\"",
	"\"failed to initialize kvm: Permission denied\"",
	"\"cannot set up guest memory 'pc.ram': Cannot allocate memory\"",
	"\"kvm: no hardware support for 'kvm_intel'\"", "\"kvm: disabled by bios\"",
	"\"\\x1b]0;title\\x07 caf\\xc3\\xa9 \\xff\"", "\"\\xe2\\x80\\xae\\xf0\\x9f\\x98\\x80\"",
	"\"\\xc3\"", "\"\\x00\"", "\"\"", "\"a\\\"b\\\\c\\n\\t\"", "bare", "madvise", "never",
	"ready", "waiting", "svm", "vmx", "kvm", "tcg", "1", "Y", "N",
	"npf:1080,cpuid:512,io:433", "0x3fd:130,0x3f8:128", "\"supernested: L3 up crc=00000000\"",
	"\"maximum depth reached\"", "\"child never reported up\"",
	"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
};

/* Real report lines (their checksums are computed when spliced in). */
static const char *const templates[] = {
	"supernested: L1 up uptime_s=1.603 launcher_s=0.081 accel=tcg vendor=AuthenticAMD cpu=\"QEMU TCG CPU version 2.5+\" virt=svm nested=1 smp=1 mem_mb=1241 avail_mb=1131 kernel=6.1.192-supernested booted=direct entry=pvh version=0.2.0 qemu=\"7.2.22\" console=ttyS0 crng=ready thp=madvise maxdepth=3",
	"supernested: L1 child-start level=2 mem_mb=746 need_mb=747 reserve_mb=302 smp=1 boot=direct machine=microvm qemu_bin=qemu-system-x86_64-microvm cpu=\"host,pmu=off\" accel=kvm disk=/dev/vda budget_s=5",
	"supernested: L2 up uptime_s=1.524 launcher_s=0.153 accel=kvm vendor=AuthenticAMD virt=svm nested=1 smp=1 mem_mb=716 avail_mb=635 console=hvc0 crng=waiting thp=madvise maxdepth=3",
	"supernested: L1 child-up level=2 boot_s=3.651",
	"supernested: L1 child-exits level=2 total=2640 io=433 mmio=953 halt=1 irq=271 irq_window=35 emul=1749 msr=254 npf=1080 traced=2640 top=npf:1080,cpuid:512,io:433 io_ports=0x3fd:130,0x3f8:128 msrs=0x80b:42,0x819:35",
	"supernested: L1 child-exits level=3 total=3270 io=3 mmio=2 halt=0 irq=3262 irq_window=1 emul=0 npf=3",
	"supernested: L2 child-start level=3 mem_mb=256 need_mb=256 reserve_mb=286 smp=1 boot=direct accel=kvm budget_s=5",
	"supernested: L2 warning detail=\"random pool not initialised\"",
	"supernested: L2 child-extend level=3 budget_s=7.5 after_s=5.0 work=101",
	"supernested: L3 up uptime_s=1.546 launcher_s=0.170 accel=kvm mem_mb=235 avail_mb=212 maxdepth=3",
	"supernested: L2 child-up level=3 boot_s=7.264",
	"supernested: L3 console text=\"[    1.907946] reboot: Power down\"",
	"supernested: L3 stop reason=max-depth detail=\"level 3 is supernested.maxdepth\"",
	"supernested: L3 summary deepest=3 result=max-depth failed_level=3 text=\"maximum depth reached\"",
	"supernested: L2 summary deepest=3 result=max-depth failed_level=3 text=\"maximum depth reached\"",
	"supernested: L1 summary deepest=3 result=max-depth failed_level=3 text=\"maximum depth reached\"",
	"supernested: L2 child-fail level=3 reason=timeout detail=\"child never reported up\" hint=\"a longer budget\"",
	"supernested: L1 child-fail level=2 reason=panic detail=\"child kernel panic\"",
	"supernested: L2 evidence level=3 text=\"[    0.9] Kernel panic - not syncing: Out of memory\"",
	"supernested: L2 evidence level=2 text=\"[    0.8] Out of memory: Killed process 1\"",
	"supernested: L2 stop reason=no-virt detail=\"no vmx/svm\"",
	"supernested: L3 qemu text=\"qemu-system-x86_64: terminating on signal 15\"",
	"supernested: L1 config-error key=supernested.maxdepth value=99 detail=\"out of range\"",
	"supernested: L2 console text=\"x\" garbled=1",
};

/* Console text that is no report: what the classifier reads. */
static const char *const kernel_lines[] = {
	"[    5.000000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
	"[    4.000000] init invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0",
	"[    4.100000] Out of memory: Killed process 1 (init) total-vm:1234kB",
	"[    3.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008",
	"[    0.700000] kvm: no hardware support for 'kvm_intel'",
	"[    0.700000] kvm: disabled by bios", "KVM internal error. Suberror: 1",
	"[    1.0] reboot: Power down", "", "\r", "\x1b[2J\x1b[H", "supernested: L",
	"supernested: L2 up crc=zzzzzzzz",
	/* the host's own lines on level 1's end (console.log, level1_end.h) */
	"[host] qemu-stderr qemu-system-x86_64: KVM internal error. Suberror: 1",
	"[host] qemu-stderr qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory",
	"[host] evidence RIP: 0010:native_safe_halt+0xb/0x10",
	"[host] end status=256 why=ran-out qemu exited with status 1",
	"[host] end status=0 why=ran-out ", "[host] end status=9 why=signal stopped by SIGINT",
	"[host] end status=15 why=run-limit the run's time limit",
	"[host] end status=139 why=budget level 1 silent past its budget",
	"[host] end status=2147483647 why=ran-out", "[host] end status=-1 why=budget x",
	"[host] end status=65280 why=frob",
};

struct rng {
	unsigned long long s;
};

static unsigned int next(struct rng *r)
{
	/* xorshift64*: deterministic for a seed, cheap */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (unsigned int)((r->s * 2685821657736338717ULL) >> 32);
}

static size_t below(struct rng *r, size_t n)
{
	return n ? next(r) % n : 0;
}

/* @v + @d, left as it is where that would overflow (the mutator itself
 * runs under the undefined-behaviour sanitizer). */
static long long nudge(long long v, long long d)
{
	if ((d > 0 && v > LLONG_MAX - d) || (d < 0 && v < LLONG_MIN - d))
		return v;
	return v + d;
}

#define PICK(r, table) ((table)[below((r), sizeof(table) / sizeof((table)[0]))])

static enum mutate_op last_op;

enum mutate_op mutate_report_last(void)
{
	return last_op;
}

/* A stream taken apart into lines (each without its newline). */
struct stream {
	char *line[MUT_LINES_MAX];
	int n;
	char *rest;		/* past MUT_LINES_MAX lines: kept as it is */
	size_t nrest;
	int final_newline;
};

static char *dup_bytes(const void *p, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();	/* a fuzzer without memory: nothing to recover */
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void stream_split(struct stream *st, const uint8_t *data, size_t size)
{
	size_t o = 0;

	memset(st, 0, sizeof(*st));
	while (o < size && st->n < MUT_LINES_MAX) {
		const uint8_t *nl = memchr(data + o, '\n', size - o);
		size_t len = nl ? (size_t)(nl - (data + o)) : size - o;

		st->line[st->n++] = dup_bytes(data + o, len);
		o += len + (nl ? 1 : 0);
		st->final_newline = nl != NULL;
	}
	st->rest = dup_bytes(data + o, size - o);
	st->nrest = size - o;
}

static void stream_free(struct stream *st)
{
	for (int i = 0; i < st->n; i++)
		free(st->line[i]);
	free(st->rest);
	st->rest = NULL;
	st->n = 0;
}

/* The stream joined again; lines that do not fit are left off whole. */
static size_t stream_join(const struct stream *st, uint8_t *out, size_t max)
{
	size_t o = 0;

	for (int i = 0; i < st->n; i++) {
		size_t len = strlen(st->line[i]);
		int nl = i + 1 < st->n || st->final_newline || st->nrest;

		if (o + len + (size_t)nl > max)
			return o;
		memcpy(out + o, st->line[i], len);
		o += len;
		if (nl)
			out[o++] = '\n';
	}
	if (st->nrest && o + st->nrest <= max) {
		memcpy(out + o, st->rest, st->nrest);
		o += st->nrest;
	}
	return o;
}

static void stream_insert(struct stream *st, int at, char *line)
{
	if (st->n >= MUT_LINES_MAX) {
		free(line);
		return;
	}
	memmove(&st->line[at + 1], &st->line[at], sizeof(st->line[0]) * (size_t)(st->n - at));
	st->line[at] = line;
	st->n++;
}

static void stream_remove(struct stream *st, int at)
{
	free(st->line[at]);
	memmove(&st->line[at], &st->line[at + 1], sizeof(st->line[0]) * (size_t)(st->n - at - 1));
	st->n--;
}

/* One report line taken apart: what comes before the report (a stamp,
 * kernel text), "L<level> <event>", the fields as they stand (values
 * still quoted), and what could not be taken apart. */
struct rline {
	char head[MUT_LINE_CAP];
	char level[32];
	char event[64];
	int nf;
	struct rfield {
		char key[64];
		char value[MUT_LINE_CAP];
		int has_value;
	} f[MUT_FIELDS_MAX];
	char tail[MUT_LINE_CAP];
};

static void copy_n(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A token: up to a blank, or a quoted value to its closing quote. */
static size_t token_len(const char *p)
{
	size_t n = 0;

	if (*p == '"') {
		for (n = 1; p[n] && p[n] != '"'; n++)
			if (p[n] == '\\' && p[n + 1])
				n++;
		return p[n] ? n + 1 : n;
	}
	while (p[n] && p[n] != ' ')
		n++;
	return n;
}

/* Take @line apart; 0 when it holds no report prefix. */
static int rline_parse(struct rline *rl, const char *line)
{
	const char *p = strstr(line, REPORT_PREFIX), *end;
	size_t n;

	if (!p)
		return 0;
	memset(rl, 0, offsetof(struct rline, f));
	rl->tail[0] = '\0';
	copy_n(rl->head, sizeof(rl->head), line, (size_t)(p - line));
	p += strlen(REPORT_PREFIX);
	end = p + strlen(p);
	/* the old checksum goes: it is computed again */
	if (end - p >= REPORT_CRC_LEN && !strncmp(end - REPORT_CRC_LEN, " " REPORT_CRC_KEY "=", 5))
		end -= REPORT_CRC_LEN;
	n = strcspn(p, " ");
	if (p + n > end)
		n = (size_t)(end - p);
	copy_n(rl->level, sizeof(rl->level), p, n);
	p += n;
	if (p < end && *p == ' ')
		p++;
	n = strcspn(p, " ");
	if (p + n > end)
		n = (size_t)(end - p);
	copy_n(rl->event, sizeof(rl->event), p, n);
	p += n;
	while (p < end) {
		size_t k;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		k = strcspn(p, "= ");
		if (rl->nf >= MUT_FIELDS_MAX || k >= sizeof(rl->f[0].key) || p + k > end)
			break;
		copy_n(rl->f[rl->nf].key, sizeof(rl->f[0].key), p, k);
		p += k;
		if (*p == '=') {
			p++;
			n = token_len(p);
			if (p + n > end)
				n = (size_t)(end - p);
			copy_n(rl->f[rl->nf].value, sizeof(rl->f[0].value), p, n);
			rl->f[rl->nf].has_value = 1;
			p += n;
		}
		rl->nf++;
	}
	if (p < end)
		copy_n(rl->tail, sizeof(rl->tail), p, (size_t)(end - p));
	return 1;
}

/* The line again, sealed (or not, for the garbled paths). */
static char *rline_format(const struct rline *rl, int seal)
{
	char *buf = malloc(MUT_LINE_CAP * 2), *body;
	size_t cap = MUT_LINE_CAP * 2, o;
	int n;

	if (!buf)
		abort();
	n = snprintf(buf, cap, "%s", rl->head);
	o = (size_t)n < cap ? (size_t)n : cap - 1;
	body = buf + o;
	n = snprintf(buf + o, cap - o, REPORT_PREFIX "%s%s%s", rl->level, rl->event[0] ? " " : "",
		     rl->event);
	o += (size_t)n < cap - o ? (size_t)n : cap - o - 1;
	for (int i = 0; i < rl->nf && o < cap - 1; i++) {
		n = snprintf(buf + o, cap - o, " %s%s%s", rl->f[i].key, rl->f[i].has_value ? "=" : "",
			     rl->f[i].has_value ? rl->f[i].value : "");
		o += (size_t)n < cap - o ? (size_t)n : cap - o - 1;
	}
	if (rl->tail[0] && o < cap - 1) {
		n = snprintf(buf + o, cap - o, " %s", rl->tail);
		o += (size_t)n < cap - o ? (size_t)n : cap - o - 1;
	}
	if (o >= MUT_LINE_CAP)	/* a line no reader keeps whole anyway */
		buf[o = MUT_LINE_CAP - 1] = '\0';
	if (seal)
		report_seal(body, cap - (size_t)(body - buf));
	return buf;
}

static enum key_kind kind_of(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].key, key))
			return keys[i].kind;
	return K_TEXT;
}

/* A value for a field of @kind; @old is the one it had. */
static void new_value(struct rng *r, enum key_kind kind, const char *level, const char *old,
		      char *out, size_t len)
{
	long long v = strtoll(old, NULL, 10), l = strtoll(level, NULL, 10);

	switch (below(r, 8) ? kind : (enum key_kind)below(r, 4)) {
	case K_LEVEL:
		switch (below(r, 4)) {
		case 0:
			snprintf(out, len, "%lld", nudge(l, (long long)below(r, 3) - 1));
			return;
		case 1:
			snprintf(out, len, "%lld", nudge(v, (long long)below(r, 3) - 1));
			return;
		case 2:
			snprintf(out, len, "%zu", below(r, 68));
			return;
		default:
			snprintf(out, len, "%s", PICK(r, numbers));
			return;
		}
	case K_NUMBER:
		switch (below(r, 5)) {
		case 0:
			snprintf(out, len, "%lld", nudge(v, (long long)below(r, 5) - 2));
			return;
		case 1:
			snprintf(out, len, "%u.%03u", next(r) % 10000, next(r) % 1000);
			return;
		case 2:	/* a 64-bit pattern: the counts near 2^62 */
			snprintf(out, len, "%llu", (unsigned long long)next(r) << (below(r, 33)));
			return;
		default:
			snprintf(out, len, "%s", PICK(r, numbers));
			return;
		}
	case K_OUTCOME:
		snprintf(out, len, "%s", PICK(r, outcomes));
		return;
	case K_TEXT:
		snprintf(out, len, "%s", PICK(r, texts));
		return;
	}
}

/* A report line's level retargeted, with the "level" field of a child
 * event following it. */
static void set_level(struct rline *rl, long long level)
{
	snprintf(rl->level, sizeof(rl->level), "%lld", level);
	for (int i = 0; i < rl->nf; i++)
		if (!strcmp(rl->f[i].key, "level"))
			snprintf(rl->f[i].value, sizeof(rl->f[i].value), "%lld",
				 nudge(level, strcmp(rl->event, "evidence") ? 1 : 0));
}

static int field_of(struct rng *r, const struct rline *rl)
{
	return rl->nf ? (int)below(r, (size_t)rl->nf) : -1;
}

/* One change to a report line; returns what it did. */
static enum mutate_op mutate_rline(struct rng *r, struct rline *rl)
{
	int i = field_of(r, rl), j;

	switch (below(r, 14)) {
	case 0: case 1: case 2: case 3:	/* a field's value for its kind */
		if (i < 0)
			break;
		new_value(r, kind_of(rl->f[i].key), rl->level, rl->f[i].value, rl->f[i].value,
			  sizeof(rl->f[i].value));
		rl->f[i].has_value = 1;
		return kind_of(rl->f[i].key) == K_OUTCOME ? MOP_OUTCOME
		     : kind_of(rl->f[i].key) == K_TEXT ? MOP_VALUE : MOP_NUMBER;
	case 4:
		if (i < 0)
			break;
		snprintf(rl->f[i].value, sizeof(rl->f[i].value), "%s", PICK(r, numbers));
		rl->f[i].has_value = 1;
		return MOP_NUMBER;
	case 5: {
		long long l = strtoll(rl->level, NULL, 10);

		switch (below(r, 4)) {
		case 0: set_level(rl, nudge(l, 1)); break;
		case 1: set_level(rl, nudge(l, -1)); break;
		case 2: set_level(rl, (long long)below(r, 68)); break;
		default: snprintf(rl->level, sizeof(rl->level), "%s", PICK(r, numbers)); break;
		}
		return MOP_LEVEL;
	}
	case 6:
		snprintf(rl->event, sizeof(rl->event), "%s", PICK(r, events));
		return MOP_EVENT;
	case 7:
		if (i < 0)
			break;
		memmove(&rl->f[i], &rl->f[i + 1], sizeof(rl->f[0]) * (size_t)(rl->nf - i - 1));
		rl->nf--;
		return MOP_KEY_DROP;
	case 8:
		if (i < 0 || rl->nf >= MUT_FIELDS_MAX)
			break;
		rl->f[rl->nf++] = rl->f[i];
		return MOP_KEY_DUP;
	case 9:
		j = field_of(r, rl);
		if (i < 0 || i == j)
			break;
		{
			static struct rfield t;	/* 4 KiB: not on the stack */

			t = rl->f[i];
			rl->f[i] = rl->f[j];
			rl->f[j] = t;
		}
		return MOP_KEY_SWAP;
	case 10: case 11: {
		size_t k = below(r, sizeof(keys) / sizeof(keys[0]));

		if (rl->nf >= MUT_FIELDS_MAX)
			break;
		i = rl->nf++;
		snprintf(rl->f[i].key, sizeof(rl->f[i].key), "%s", keys[k].key);
		rl->f[i].value[0] = '\0';
		new_value(r, keys[k].kind, rl->level, "0", rl->f[i].value, sizeof(rl->f[i].value));
		rl->f[i].has_value = 1;
		return MOP_KEY_ADD;
	}
	case 12:
		if (i < 0)
			break;
		snprintf(rl->f[i].key, sizeof(rl->f[i].key), "%s",
			 keys[below(r, sizeof(keys) / sizeof(keys[0]))].key);
		return MOP_KEY_RENAME;
	default:	/* the stamp in front: order of time, huge, none */
		switch (below(r, 4)) {
		case 0: snprintf(rl->head, sizeof(rl->head), "[+%u.%03us] ", next(r) % 100, next(r) % 1000); break;
		case 1: snprintf(rl->head, sizeof(rl->head), "[+%ss] ", PICK(r, numbers)); break;
		case 2: rl->head[0] = '\0'; break;
		default: snprintf(rl->head, sizeof(rl->head), "%s", PICK(r, kernel_lines)); break;
		}
		return MOP_STAMP;
	}
	/* nothing to change in place: add a field */
	if (rl->nf < MUT_FIELDS_MAX) {
		size_t k = below(r, sizeof(keys) / sizeof(keys[0]));

		i = rl->nf++;
		snprintf(rl->f[i].key, sizeof(rl->f[i].key), "%s", keys[k].key);
		new_value(r, keys[k].kind, rl->level, "0", rl->f[i].value, sizeof(rl->f[i].value));
		rl->f[i].has_value = 1;
	}
	return MOP_KEY_ADD;
}

/* The index of a report line (from a random start), or -1. */
static int pick_report(struct rng *r, const struct stream *st)
{
	int start = (int)below(r, (size_t)st->n);

	for (int k = 0; k < st->n; k++) {
		int i = (start + k) % st->n;

		if (strstr(st->line[i], REPORT_PREFIX))
			return i;
	}
	return -1;
}

static struct rline scratch;	/* large: not on the stack of a fuzzer's thread */

/* The stamp of the line at @i, so a spliced line sits in time with it. */
static void stamp_of(const struct stream *st, int i, char *out, size_t len)
{
	const char *l = i >= 0 && i < st->n ? st->line[i] : "";
	size_t n = l[0] == '[' && l[1] == '+' ? strcspn(l, "]") : 0;

	out[0] = '\0';
	if (n && l[n] == ']')
		snprintf(out, len, "%.*s ", (int)(n + 1), l);
}

/* A template line, its level near that of a report line around @at. */
static char *template_line(struct rng *r, const struct stream *st, int at)
{
	struct rline *rl = &scratch;
	int near = pick_report(r, st);

	rline_parse(rl, PICK(r, templates));
	if (near >= 0 && below(r, 4)) {
		const char *p = strstr(st->line[near], REPORT_PREFIX) + strlen(REPORT_PREFIX);

		set_level(rl, nudge(strtoll(p, NULL, 10), (long long)below(r, 3) - 1));
	}
	stamp_of(st, at, rl->head, sizeof(rl->head));
	return rline_format(rl, 1);
}

/* Apply one change to @st. */
static enum mutate_op mutate_stream(struct rng *r, struct stream *st, mutate_bytes_fn bytes)
{
	int i = st->n ? (int)below(r, (size_t)st->n) : 0, j;
	unsigned int what = (unsigned int)below(r, 20);
	char *t;

	if (st->n == 0)
		what = 12;	/* an empty stream: splice a line in */
	switch (what) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: {
		enum mutate_op op;
		int seal = below(r, 32) != 0;

		j = pick_report(r, st);
		if (j < 0)
			break;	/* no report line: change bytes instead */
		i = j;
		rline_parse(&scratch, st->line[i]);
		op = mutate_rline(r, &scratch);
		if (below(r, 3) == 0)	/* two changes at once: keys and values */
			op = mutate_rline(r, &scratch);
		free(st->line[i]);
		st->line[i] = rline_format(&scratch, seal);
		return seal ? op : MOP_UNSEALED;
	}
	case 8:
		if (st->n > 1) {
			stream_remove(st, i);
			return MOP_LINE_DROP;
		}
		break;
	case 9:
		j = (int)below(r, (size_t)st->n + 1);
		stream_insert(st, below(r, 2) ? i + 1 : j, dup_bytes(st->line[i], strlen(st->line[i])));
		return MOP_LINE_DUP;
	case 10:
		j = (int)below(r, (size_t)st->n);
		t = st->line[i];
		st->line[i] = st->line[j];
		st->line[j] = t;
		return MOP_LINE_SWAP;
	case 11:
		t = st->line[i];
		memmove(&st->line[i], &st->line[i + 1], sizeof(t) * (size_t)(st->n - i - 1));
		j = (int)below(r, (size_t)st->n);
		memmove(&st->line[j + 1], &st->line[j], sizeof(t) * (size_t)(st->n - 1 - j));
		st->line[j] = t;
		return MOP_LINE_MOVE;
	case 12: case 13: case 14:
		j = st->n ? (int)below(r, (size_t)st->n + 1) : 0;
		stream_insert(st, j, template_line(r, st, j ? j - 1 : 0));
		return MOP_SPLICE;
	case 15: {
		const char *k = PICK(r, kernel_lines);

		stream_insert(st, i, dup_bytes(k, strlen(k)));
		return MOP_TEXT;
	}
	default:
		break;
	}
	/* bytes of one line changed by the byte-level mutator, sealed again */
	if (bytes && st->n) {
		size_t len = strlen(st->line[i]), max = len + 64;
		char *l = malloc(max + MUT_LINE_CAP);

		if (!l)
			abort();
		memcpy(l, st->line[i], len);
		len = bytes((uint8_t *)l, len, max);
		l[len] = '\0';
		l[strcspn(l, "\n")] = '\0';	/* it stays one line */
		if (below(r, 4))
			mutate_report_reseal(l, max + MUT_LINE_CAP);
		free(st->line[i]);
		st->line[i] = l;
		return MOP_BYTES;
	}
	return MOP_LINE_SWAP;
}

size_t mutate_report_stream(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
			    mutate_bytes_fn bytes)
{
	static struct stream st;
	struct rng r = { .s = seed * 0x9e3779b97f4a7c15ULL + 1 };
	int rounds = 1 + (int)below(&r, 4);
	size_t n;

	stream_split(&st, data, size);
	while (rounds--)
		last_op = mutate_stream(&r, &st, bytes);
	n = stream_join(&st, data, max_size);
	stream_free(&st);
	return n;
}

size_t mutate_report_cross(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
			   uint8_t *out, size_t max_out, unsigned int seed)
{
	static struct stream sa, sb;
	struct rng r = { .s = seed * 0x9e3779b97f4a7c15ULL + 7 };
	int from, count, at;
	size_t n;

	stream_split(&sa, a, na);
	stream_split(&sb, b, nb);
	from = (int)below(&r, (size_t)sb.n);
	count = 1 + (int)below(&r, 8);
	at = (int)below(&r, (size_t)sa.n + 1);
	for (int k = 0; k < count && from + k < sb.n; k++)
		stream_insert(&sa, at + k, dup_bytes(sb.line[from + k], strlen(sb.line[from + k])));
	if (!sa.final_newline && !sa.nrest)
		sa.final_newline = 1;
	n = stream_join(&sa, out, max_out);
	stream_free(&sa);
	stream_free(&sb);
	return n;
}

int mutate_report_reseal(char *line, size_t cap)
{
	char *p = strstr(line, REPORT_PREFIX);
	size_t n;

	if (!p)
		return -1;
	n = strlen(p);
	if (n >= REPORT_CRC_LEN && !strncmp(p + n - REPORT_CRC_LEN, " " REPORT_CRC_KEY "=", 5))
		p[n - REPORT_CRC_LEN] = '\0';
	if (report_seal(p, cap - (size_t)(p - line)) < 0)
		return -1;
	return (int)strlen(line);
}
