/* inject.c - fault injection: the decisions (pure) and the actions (see inject.h). */
#include "inject.h"
#include "console.h"
#include "monitor.h"
#include "report.h"
#include "system.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

/* An option no qemu knows: qemu refuses to start, as with any typo. */
#define BAD_OPTION "-supernested-injected-unknown-option"
/* The host's CPU with its virtualization extensions taken away. */
#define CPU_NO_VIRT "host,-svm,-vmx"
/* A vendor module name no kernel ships. */
#define MISSING_MODULE_SUFFIX "_injected_missing"

int inject_acts_self(const struct inject_setting *in, const struct node *self)
{
	return !inject_by_parent(in->mode) && inject_targets(in, self);
}

int inject_acts_parent(const struct inject_setting *in, const struct node *child)
{
	return inject_by_parent(in->mode) && inject_targets(in, child);
}

/* A node's name for a warning ("2", "1.2"). */
static const char *name_of(const struct node *n)
{
	static char name[NODE_NAME_MAX];

	if (node_format(n, name, sizeof(name)) < 0)
		snprintf(name, sizeof(name), "?");
	return name;
}

const char *inject_kvm_module(const struct inject_setting *in, const struct node *self,
			      const char *real)
{
	static char missing[64];

	if (!real || !inject_acts_self(in, self) || in->mode != INJECT_KVM_MODULE)
		return real;
	snprintf(missing, sizeof(missing), "%s" MISSING_MODULE_SUFFIX, real);
	return missing;
}

const char *inject_kvm_params(const struct inject_setting *in, const struct node *self)
{
	return inject_acts_self(in, self) && in->mode == INJECT_NESTED_OFF ? "nested=0" : "nested=1";
}

/* Offsets in the firmware, mapped at 0xffff0000 (and its last 64 KiB at
 * 0xf0000); the CPU starts at 0xfffffff0 with CS base 0xffff0000. */
#define FW_BASE 0xffff0000u
#define FW_CODE16 0xff00
#define FW_CODE32 0xff40
#define FW_GDT 0xff60
#define FW_GDTR 0xff70
#define FW_RESET 0xfff0

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

int inject_firmware(unsigned char *buf, size_t len)
{
	static const unsigned char code16[] = {
		0xfa,					/* cli */
		0x2e, 0x66, 0x0f, 0x01, 0x16,		/* lgdt cs:[FW_GDTR] (32-bit base) */
		FW_GDTR & 0xff, FW_GDTR >> 8,
		0x0f, 0x20, 0xc0,			/* mov eax, cr0 */
		0x0c, 0x01,				/* or al, 1 (PE) */
		0x0f, 0x22, 0xc0,			/* mov cr0, eax */
		0x66, 0xea, 0, 0, 0, 0, 0x08, 0x00,	/* jmp dword 0x08:FW_BASE+FW_CODE32 */
	};
	static const unsigned char code32[] = {
		0xb8, 0, 0, 0, 0,			/* mov eax, INJECT_FIRMWARE_TARGET */
		0xff, 0xe0,				/* jmp eax */
	};
	/* null descriptor, then flat 4 GiB 32-bit code at selector 0x08 */
	static const unsigned char gdt[] = {
		0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00,
	};
	/* jmp near FW_CODE16 (rel16 from the end of this 3-byte jump) */
	uint16_t rel = (uint16_t)(FW_CODE16 - (FW_RESET + 3));

	if (len != INJECT_FIRMWARE_SIZE)
		return -EINVAL;
	memset(buf, 0xf4, len);		/* hlt everywhere else */
	memcpy(buf + FW_CODE16, code16, sizeof(code16));
	put32(buf + FW_CODE16 + 18, FW_BASE + FW_CODE32);
	memcpy(buf + FW_CODE32, code32, sizeof(code32));
	put32(buf + FW_CODE32 + 1, INJECT_FIRMWARE_TARGET);
	memcpy(buf + FW_GDT, gdt, sizeof(gdt));
	buf[FW_GDTR] = sizeof(gdt) - 1;
	buf[FW_GDTR + 1] = 0;
	put32(buf + FW_GDTR + 2, FW_BASE + FW_GDT);
	buf[FW_RESET] = 0xe9;
	buf[FW_RESET + 1] = rel & 0xff;
	buf[FW_RESET + 2] = rel >> 8;
	return 0;
}

void inject_qemu_config(const struct inject_setting *in, const struct node *child,
			struct qemu_config *qc, const char **extra)
{
	int n = 0;

	if (inject_acts_parent(in, child)) {
		switch (in->mode) {
		case INJECT_QEMU_START:
			extra[n++] = BAD_OPTION;
			break;
		case INJECT_NO_VIRT:
			qc->cpu = CPU_NO_VIRT;
			break;
		case INJECT_KVM_ERROR:
			qc->firmware = NULL;	/* ours instead, whatever the boot mode */
			extra[n++] = "-bios";
			extra[n++] = INJECT_FIRMWARE;
			break;
		default:
			break;
		}
	}
	extra[n] = NULL;
	qc->extra = n ? extra : NULL;
}

static void announce(const struct settings *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Say what is being injected before doing it. */
static void announce(const struct settings *s, const char *fmt, ...)
{
	char text[REPORT_VALUE_MAX - 64 - NODE_NAME_MAX], detail[REPORT_VALUE_MAX];
	char target[NODE_NAME_MAX];
	struct node t = s->inject.node;
	struct report r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!t.level)
		node_first(&t, s->inject.level);
	if (node_format(&t, target, sizeof(target)) < 0)
		snprintf(target, sizeof(target), "?");
	snprintf(detail, sizeof(detail), "fault injection %s@%s: %s", inject_mode_name(s->inject.mode),
		 target, text);
	report_init_node(&r, &s->node, "warning");
	report_add(&r, "detail", detail);
	report_emit(&r);
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* How much slow-boot touches: INJECT_SLOW_BOOT_MB, or half of what is
 * free when that is less (init is the one the OOM killer would take). */
static size_t slow_boot_bytes(void)
{
	struct sysinfo si;
	unsigned long long half;

	if (sysinfo(&si) < 0)
		return (size_t)16 << 20;
	half = (unsigned long long)si.freeram * si.mem_unit / 2;
	return half < ((size_t)INJECT_SLOW_BOOT_MB << 20) ? (size_t)half : (size_t)INJECT_SLOW_BOOT_MB << 20;
}

void inject_before_up(const struct settings *s)
{
	const size_t len = slow_boot_bytes(), page = 4096;
	double start = uptime_s(), t;
	size_t touched = 0;
	char *mem;

	if (!inject_acts_self(&s->inject, &s->node) || s->inject.mode != INJECT_SLOW_BOOT)
		return;
	announce(s, "touching %zu MiB of fresh memory over %d s before saying up", len >> 20,
		 INJECT_SLOW_BOOT_S);
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		announce(s, "no memory to touch (%s): only waiting", strerror(errno));
	/* bounded by the clock, however slowly the pages come at this depth */
	while ((t = uptime_s() - start) < INJECT_SLOW_BOOT_S) {
		size_t due = (size_t)(t / INJECT_SLOW_BOOT_S * (len / page)) * page;

		for (; mem != MAP_FAILED && touched < due; touched += page) {
			mem[touched] = 1;
			if ((touched / page) % 64 == 63 && uptime_s() - start >= INJECT_SLOW_BOOT_S)
				break;
		}
		sleep_ms(10);
	}
	if (mem != MAP_FAILED)
		munmap(mem, len);
}

void inject_after_up(const struct settings *s)
{
	int fd;

	if (!inject_acts_self(&s->inject, &s->node))
		return;
	switch (s->inject.mode) {
	case INJECT_PANIC:
		announce(s, "crashing this kernel through /proc/sysrq-trigger");
		sync();
		fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
		if (fd >= 0 && write(fd, "c", 1) == 1)
			sleep_ms(10000);	/* the panic is under way */
		/* no sysrq: init exiting is a panic too */
		announce(s, "no sysrq crash (%s): init exits instead", strerror(errno));
		exit(1);
	case INJECT_HANG_SILENT:
		announce(s, "this level now goes silent; its parent's budget must end it");
		for (;;)	/* bounded by the parent, which kills this level */
			sleep_ms(60000);
	case INJECT_QEMU_EXIT:
		announce(s, "powering off without a summary");
		power_off();
	default:
		return;
	}
}

void inject_before_kvm_load(const struct settings *s)
{
	if (!inject_acts_self(&s->inject, &s->node))
		return;
	if (s->inject.mode == INJECT_NESTED_OFF)
		announce(s, "loading the KVM vendor module with nested=0");
	else if (s->inject.mode == INJECT_KVM_MODULE)
		announce(s, "asking for a KVM vendor module that does not exist");
}

void inject_before_kvm_check(const struct settings *s)
{
	if (!inject_acts_self(&s->inject, &s->node) || s->inject.mode != INJECT_NO_KVM_DEV)
		return;
	announce(s, "removing /dev/kvm before it is checked");
	if (unlink("/dev/kvm") < 0 && errno != ENOENT)
		announce(s, "unlink /dev/kvm: %s", strerror(errno));
}

int inject_prepare_child(const struct settings *s, const struct node *child)
{
	static unsigned char rom[INJECT_FIRMWARE_SIZE];
	int fd, rc = 0;

	if (!inject_acts_parent(&s->inject, child))
		return 0;
	switch (s->inject.mode) {
	case INJECT_QEMU_START:
		announce(s, "level %s's qemu gets the option %s", name_of(child), BAD_OPTION);
		return 0;
	case INJECT_NO_VIRT:
		announce(s, "level %s's CPU is -cpu %s", name_of(child), CPU_NO_VIRT);
		return 0;
	case INJECT_KVM_ERROR:
		break;
	default:
		return 0;
	}
	announce(s, "level %s boots firmware that jumps to 0x%x, where there is no memory",
		 name_of(child), INJECT_FIRMWARE_TARGET);
	inject_firmware(rom, sizeof(rom));
	fd = open(INJECT_FIRMWARE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, rom, sizeof(rom)) != (ssize_t)sizeof(rom))
		rc = errno ? -errno : -EIO;
	close(fd);
	return rc;
}

void inject_child_started(const struct settings *s, const struct node *child, const char *monitor,
			  pid_t qemu)
{
	static const char *const status[] = { "info status", NULL };
	static const char *const stop[] = { "stop", NULL };
	static char raw[4096];
	int rc;

	(void)qemu;
	if (!inject_acts_parent(&s->inject, child) || s->inject.mode != INJECT_HANG_EARLY)
		return;
	/* the monitor answers once qemu is set up, before the guest runs */
	rc = monitor_exchange(monitor, status, raw, sizeof(raw), 10000);
	sleep_ms(INJECT_HANG_EARLY_MS);
	if (rc >= 0)
		rc = monitor_exchange(monitor, stop, raw, sizeof(raw), MONITOR_WAIT_MS);
	if (rc >= 0)
		announce(s, "level %s's vCPUs stopped %d ms into its boot", name_of(child),
			 INJECT_HANG_EARLY_MS);
	else
		announce(s, "cannot stop level %s's vCPUs: %s", name_of(child), strerror(-rc));
}

void inject_child_up(const struct settings *s, const struct node *child, pid_t qemu)
{
	if (!inject_acts_parent(&s->inject, child) || s->inject.mode != INJECT_QEMU_CRASH)
		return;
	announce(s, "SIGSEGV to level %s's qemu (pid %d)", name_of(child), (int)qemu);
	kill(qemu, SIGSEGV);
}
