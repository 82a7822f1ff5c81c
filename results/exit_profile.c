/* exit_profile.c - KVM exit counters and the exit-reason histogram of a
 * child's boot (see exit_profile.h). */
#include "exit_profile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct exit_counter_file exit_counters[EC_COUNT] = {
	[EC_TOTAL] = { "exits", "total" },
	[EC_IO] = { "io_exits", "io" },
	[EC_MMIO] = { "mmio_exits", "mmio" },
	[EC_HALT] = { "halt_exits", "halt" },
	[EC_IRQ] = { "irq_exits", "irq" },
	[EC_IRQ_WINDOW] = { "irq_window_exits", "irq_window" },
	[EC_EMUL] = { "insn_emulation", "emul" },
};

struct reason_name {
	unsigned int code;
	const char *name;
};

/* The reasons the report line counts on their own. */
static const struct reason_class {
	enum exit_isa isa;
	unsigned int code;
	enum exit_class class;
} reason_classes[] = {
	{ ISA_SVM, 0x07c, XC_MSR }, { ISA_SVM, 0x400, XC_NPF },
	{ ISA_VMX, 31, XC_MSR }, { ISA_VMX, 32, XC_MSR },
	{ ISA_VMX, 48, XC_NPF }, { ISA_VMX, 49, XC_NPF },
};

/* AMD SVM exit codes (arch/x86/include/uapi/asm/svm.h), short names. */
static const struct reason_name svm_reasons[] = {
	{ 0x000, "cr0_read" }, { 0x003, "cr3_read" }, { 0x004, "cr4_read" }, { 0x008, "cr8_read" },
	{ 0x010, "cr0_write" }, { 0x013, "cr3_write" }, { 0x014, "cr4_write" }, { 0x018, "cr8_write" },
	{ 0x020, "dr0_read" }, { 0x027, "dr7_read" }, { 0x030, "dr0_write" }, { 0x037, "dr7_write" },
	{ 0x041, "excp_db" }, { 0x043, "excp_bp" }, { 0x046, "excp_ud" }, { 0x04d, "excp_gp" },
	{ 0x04e, "excp_pf" }, { 0x052, "excp_mc" }, { 0x053, "excp_xf" },
	{ 0x060, "intr" }, { 0x061, "nmi" }, { 0x062, "smi" }, { 0x063, "init" },
	{ 0x064, "vintr" }, { 0x065, "cr0_sel_write" }, { 0x06e, "rdtsc" }, { 0x06f, "rdpmc" },
	{ 0x070, "pushf" }, { 0x071, "popf" }, { 0x072, "cpuid" }, { 0x073, "rsm" },
	{ 0x074, "iret" }, { 0x075, "swint" }, { 0x076, "invd" }, { 0x077, "pause" },
	{ 0x078, "hlt" }, { 0x079, "invlpg" }, { 0x07a, "invlpga" }, { 0x07b, "io" },
	{ 0x07c, "msr" }, { 0x07d, "task_switch" }, { 0x07f, "shutdown" },
	{ 0x080, "vmrun" }, { 0x081, "vmmcall" }, { 0x082, "vmload" }, { 0x083, "vmsave" },
	{ 0x084, "stgi" }, { 0x085, "clgi" }, { 0x086, "skinit" }, { 0x087, "rdtscp" },
	{ 0x088, "icebp" }, { 0x089, "wbinvd" }, { 0x08a, "monitor" }, { 0x08b, "mwait" },
	{ 0x08d, "xsetbv" }, { 0x08e, "rdpru" }, { 0x08f, "efer_write" },
	{ 0x0a3, "invpcid" }, { 0x400, "npf" }, { 0x401, "avic_ipi" },
	{ 0x402, "avic_access" }, { 0x403, "vmgexit" }, { 0xffffffffu, "vmrun_err" },
};

/* Intel VMX basic exit reasons (arch/x86/include/uapi/asm/vmx.h). */
static const struct reason_name vmx_reasons[] = {
	{ 0, "excp_nmi" }, { 1, "intr" }, { 2, "triple_fault" }, { 3, "init" }, { 4, "sipi" },
	{ 7, "irq_window" }, { 8, "nmi_window" }, { 9, "task_switch" }, { 10, "cpuid" },
	{ 12, "hlt" }, { 13, "invd" }, { 14, "invlpg" }, { 15, "rdpmc" }, { 16, "rdtsc" },
	{ 18, "vmcall" }, { 19, "vmclear" }, { 20, "vmlaunch" }, { 21, "vmptrld" },
	{ 22, "vmptrst" }, { 23, "vmread" }, { 24, "vmresume" }, { 25, "vmwrite" },
	{ 26, "vmoff" }, { 27, "vmon" }, { 28, "cr" }, { 29, "dr" }, { 30, "io" },
	{ 31, "msr_read" }, { 32, "msr_write" }, { 33, "invalid_state" },
	{ 34, "msr_load_fail" }, { 36, "mwait" }, { 37, "mtf" }, { 39, "monitor" },
	{ 40, "pause" }, { 41, "mce" }, { 43, "tpr_below" }, { 44, "apic_access" },
	{ 45, "eoi" }, { 46, "gdtr_idtr" }, { 47, "ldtr_tr" }, { 48, "ept_violation" },
	{ 49, "ept_misconfig" }, { 50, "invept" }, { 51, "rdtscp" },
	{ 52, "preempt_timer" }, { 53, "invvpid" }, { 54, "wbinvd" }, { 55, "xsetbv" },
	{ 56, "apic_write" }, { 57, "rdrand" }, { 58, "invpcid" }, { 59, "vmfunc" },
	{ 61, "rdseed" }, { 62, "pml_full" }, { 63, "xsaves" }, { 64, "xrstors" },
	{ 74, "bus_lock" }, { 75, "notify" },
};

static const struct reason_name *lookup(enum exit_isa isa, unsigned int code)
{
	const struct reason_name *t = isa == ISA_VMX ? vmx_reasons : svm_reasons;
	size_t n = isa == ISA_VMX ? sizeof(vmx_reasons) / sizeof(vmx_reasons[0])
				  : sizeof(svm_reasons) / sizeof(svm_reasons[0]);

	if (isa == ISA_VMX)
		code &= 0xffff;	/* the basic reason; high bits are flags */
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return &t[i];
	return NULL;
}

static enum exit_class class_of(enum exit_isa isa, unsigned int code)
{
	if (isa == ISA_VMX)
		code &= 0xffff;
	for (size_t i = 0; i < sizeof(reason_classes) / sizeof(reason_classes[0]); i++)
		if (reason_classes[i].isa == isa && reason_classes[i].code == code)
			return reason_classes[i].class;
	return XC_OTHER;
}

const char *exit_reason_name(enum exit_isa isa, unsigned int code, char *buf, size_t len)
{
	const struct reason_name *r = lookup(isa, code);

	if (r)
		return r->name;
	snprintf(buf, len, "0x%x", code);
	return buf;
}

void exit_profile_init(struct exit_profile *p, enum exit_isa isa)
{
	memset(p, 0, sizeof(*p));
	p->isa = isa;
}

/* A decimal number, blanks around it allowed. */
static int parse_ull(const char *text, unsigned long long *out, const char **end)
{
	char *e;

	while (*text == ' ' || *text == '\t')
		text++;
	if (*text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(text, &e, 10);
	if (errno)
		return -EINVAL;
	if (end)
		*end = e;
	return 0;
}

int exit_profile_counter(struct exit_profile *p, enum exit_counter c, const char *text)
{
	unsigned long long n;
	const char *end;

	if (c < 0 || c >= EC_COUNT || parse_ull(text, &n, &end) < 0 ||
	    end[strspn(end, " \t\n")] != '\0')
		return -EINVAL;
	p->counter[c] = n;
	p->have_counter[c] = 1;
	return 0;
}

void exit_profile_subtract(struct exit_profile *p, const struct exit_profile *before)
{
	for (int c = 0; c < EC_COUNT; c++)
		if (p->have_counter[c] && before->have_counter[c])
			p->counter[c] = p->counter[c] >= before->counter[c]
					? p->counter[c] - before->counter[c] : 0;
}

static int by_count(const void *a, const void *b)
{
	const struct exit_reason_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->code < y->code ? -1 : x->code > y->code;
}

/* One histogram line, "{ exit_reason:        124 } hitcount:       1234":
 * its key's value and count.  Returns 0 or -EINVAL. */
static int hist_entry(const char *line, const char *key, unsigned long long *value,
		      unsigned long long *count)
{
	const char *k = strstr(line, key), *h;

	if (!k || k[strlen(key)] != ':' || parse_ull(k + strlen(key) + 1, value, NULL) < 0 ||
	    *value > 0xffffffffULL)
		return -EINVAL;
	h = strstr(k, "hitcount:");
	if (!h || parse_ull(h + strlen("hitcount:"), count, NULL) < 0)
		return -EINVAL;
	return 0;
}

/* A tracefs hist file keyed on @key into @out (largest first).  Returns
 * the number of entries or -EINVAL when the text holds no histogram. */
static int parse_hist(const char *text, const char *key, struct exit_reason_count *out,
		      int max, unsigned long long *hits, unsigned long long *dropped)
{
	int n = 0, totals = 0;

	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned long long v, c;
		char buf[256];
		const char *t;

		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1),
			 line);
		if (buf[0] == '{') {
			if (hist_entry(buf, key, &v, &c) == 0 && n < max) {
				out[n].code = (unsigned int)v;
				out[n].count = c;
				n++;
			}
		} else if ((t = strstr(buf, "Hits:")) && parse_ull(t + 5, &v, NULL) == 0) {
			*hits = v;
			totals = 1;
		} else if ((t = strstr(buf, "Dropped:")) && parse_ull(t + 8, &v, NULL) == 0) {
			*dropped = v;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!totals && !n)
		return -EINVAL;
	qsort(out, (size_t)n, sizeof(out[0]), by_count);
	return n;
}

int exit_profile_hist(struct exit_profile *p, const char *text)
{
	int n = parse_hist(text, "exit_reason", p->reason, EXIT_REASONS_MAX, &p->hist_hits,
			   &p->hist_dropped);

	p->nreasons = 0;
	memset(p->class_count, 0, sizeof(p->class_count));
	if (n < 0)
		return n;
	p->nreasons = n;
	for (int i = 0; i < n; i++)
		p->class_count[class_of(p->isa, p->reason[i].code)] += p->reason[i].count;
	p->have_hist = 1;
	return n;
}

int exit_profile_pio(struct exit_profile *p, const char *text)
{
	unsigned long long hits = 0, dropped = 0;
	int n = parse_hist(text, "port", p->port, EXIT_PORTS_MAX, &hits, &dropped);

	p->nports = n < 0 ? 0 : n;
	p->have_pio = n >= 0;
	return n;
}

int exit_profile_top(const struct exit_profile *p, int n, char *buf, size_t len)
{
	size_t o = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (int i = 0; i < p->nreasons && i < n; i++) {
		char tmp[16];
		int m = snprintf(buf + o, len - o, "%s%s:%llu", i ? "," : "",
				 exit_reason_name(p->isa, p->reason[i].code, tmp, sizeof(tmp)),
				 p->reason[i].count);

		if (m < 0 || (size_t)m >= len - o)
			return -ENOSPC;
		o += (size_t)m;
	}
	return (int)o;
}

int exit_profile_msr(struct exit_profile *p, const char *text)
{
	unsigned long long hits = 0, dropped = 0;
	int n = parse_hist(text, "ecx", p->msr, EXIT_PORTS_MAX, &hits, &dropped);

	p->nmsrs = n < 0 ? 0 : n;
	p->have_msr = n >= 0;
	return n;
}

int exit_profile_top_ports(const struct exit_profile *p, int msr, int n, char *buf, size_t len)
{
	const struct exit_reason_count *e = msr ? p->msr : p->port;
	int count = msr ? p->nmsrs : p->nports;
	size_t o = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (int i = 0; i < count && i < n; i++) {
		int m = snprintf(buf + o, len - o, "%s0x%x:%llu", i ? "," : "", e[i].code, e[i].count);

		if (m < 0 || (size_t)m >= len - o)
			return -ENOSPC;
		o += (size_t)m;
	}
	return (int)o;
}

void exit_profile_add(const struct exit_profile *p, struct report *r)
{
	char top[REPORT_VALUE_MAX];

	for (int c = 0; c < EC_COUNT; c++)
		if (p->have_counter[c])
			report_addf(r, exit_counters[c].key, "%llu", p->counter[c]);
	if (!p->have_hist)
		return;
	report_addf(r, "msr", "%llu", p->class_count[XC_MSR]);
	report_addf(r, "npf", "%llu", p->class_count[XC_NPF]);
	report_addf(r, "traced", "%llu", p->hist_hits);
	if (exit_profile_top(p, EXIT_TOP_DEFAULT, top, sizeof(top)) > 0)
		report_add(r, "top", top);
	if (p->have_pio && exit_profile_top_ports(p, 0, EXIT_TOP_DEFAULT, top, sizeof(top)) > 0)
		report_add(r, "io_ports", top);
	if (p->have_msr && exit_profile_top_ports(p, 1, EXIT_TOP_DEFAULT, top, sizeof(top)) > 0)
		report_add(r, "msrs", top);
}

/* The same keys exit_profile_add writes. */
const char *const exit_summary_keys[XS_COUNT] = {
	[XS_TOTAL] = "total", [XS_IO] = "io", [XS_MMIO] = "mmio", [XS_HALT] = "halt",
	[XS_IRQ] = "irq", [XS_IRQ_WINDOW] = "irq_window", [XS_EMUL] = "emul",
	[XS_MSR] = "msr", [XS_NPF] = "npf", [XS_TRACED] = "traced",
};

void exit_summary_from_report(struct exit_summary *s, const struct report *r)
{
	const char *v;

	memset(s, 0, sizeof(*s));
	s->seen = 1;
	for (int i = 0; i < XS_COUNT; i++)
		if (report_get_long(r, exit_summary_keys[i], 0, 1LL << 62, &s->count[i]) < 0)
			s->count[i] = -1;	/* absent, or not a count: unknown */
	if ((v = report_get(r, "top")))
		snprintf(s->top, sizeof(s->top), "%s", v);
	if ((v = report_get(r, "io_ports")))
		snprintf(s->io_ports, sizeof(s->io_ports), "%s", v);
	if ((v = report_get(r, "msrs")))
		snprintf(s->msrs, sizeof(s->msrs), "%s", v);
}

/* A count, or 0 when it was not reported. */
static long long known(const struct exit_summary *s, enum exit_summary_field f)
{
	return s->count[f] > 0 ? s->count[f] : 0;
}

int exit_summary_starved(const struct exit_summary *s, char *hint, size_t len)
{
	long long total = known(s, XS_TOTAL), irq = known(s, XS_IRQ);
	long long io = known(s, XS_IO), mmio = known(s, XS_MMIO), npf = known(s, XS_NPF);
	/* counts come from a child, each up to 2^62: the percentage tests run on
	 * them scaled down together until 100 times their sum fits */
	long long big = total, t, q, o;
	unsigned long long own = (unsigned long long)io + (unsigned long long)mmio +
				 (unsigned long long)npf;	/* < 2^64: printed as it is */
	int shift = 0;

	if (irq > big)
		big = irq;
	if (io > big)
		big = io;
	if (mmio > big)
		big = mmio;
	if (npf > big)
		big = npf;
	while ((big >> shift) > LLONG_MAX / 400)
		shift++;
	t = total >> shift;
	q = irq >> shift;
	o = (io >> shift) + (mmio >> shift) + (npf >> shift);
	if (!s->seen || total < STARVED_MIN_EXITS || q * 100 < t * STARVED_SLOW_PCT)
		return 0;
	if (q * 100 >= t * STARVED_IRQ_PCT && o * 100 <= t * STARVED_OWN_PCT) {
		snprintf(hint, len,
			 "%lld of its %lld exits were its parent's interrupts and only %llu its own I/O or "
			 "page faults: it ran nothing that needed its parent (a loop with no exits, or "
			 "starved: at depth one of the parent's timer ticks can take longer to deliver "
			 "through the levels below than the tick period)", irq, total, own);
		return 1;
	}
	snprintf(hint, len,
		 "%lld of its %lld exits were its parent's interrupts, %llu its own I/O or page "
		 "faults: it was working, slowly (the parent's timer ticks took most of what the "
		 "levels below could deliver); a longer budget may bring it up (--level-timeout, "
		 "supernested.timeout)", irq, total, own);
	return 2;
}
