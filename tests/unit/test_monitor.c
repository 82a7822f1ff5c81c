/* test_monitor.c - picking a child's whereabouts out of qemu's HMP monitor
 * output (a real qemu 7.2 transcript), and a real exchange with a qemu. */
#include "tap.h"
#include "monitor.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Captured from qemu-system-x86_64 7.2 (-S, CPU at reset): "info status"
 * then "info registers" over a unix socket, echo and escapes included. */
static const char hmp_reset[] =
	"QEMU 7.2.22 monitor - type 'help' for more information\r\n"
	"(qemu) i\x1b[K\x1b[Din\x1b[K\x1b[D\x1b[Dinf\x1b[K\x1b[D\x1b[D\x1b[Dinfo\x1b[K\x1b[D\x1b[D\x1b[D\x1b[Dinfo \x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo s\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo st\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo sta\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo stat\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo statu\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo status\x1b[K\r\n"
	"VM status: paused (prelaunch)\r\n"
	"(qemu) i\x1b[K\x1b[Din\x1b[K\x1b[D\x1b[Dinf\x1b[K\x1b[D\x1b[D\x1b[Dinfo\x1b[K\x1b[D\x1b[D\x1b[D\x1b[Dinfo \x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo r\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo re\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo reg\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo regi\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo regis\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo regist\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo registe\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo register\x1b[K\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Dinfo registers\x1b[K\r\n"
	"\r\n"
	"CPU#0\r\n"
	"EAX=00000000 EBX=00000000 ECX=00000000 EDX=00060fb1\r\n"
	"ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000\r\n"
	"EIP=0000fff0 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=0\r\n"
	"ES =0000 00000000 0000ffff 00009300\r\n"
	"CS =f000 ffff0000 0000ffff 00009b00\r\n"
	"SS =0000 00000000 0000ffff 00009300\r\n"
	"DS =0000 00000000 0000ffff 00009300\r\n"
	"FS =0000 00000000 0000ffff 00009300\r\n"
	"GS =0000 00000000 0000ffff 00009300\r\n"
	"LDT=0000 00000000 0000ffff 00008200\r\n"
	"TR =0000 00000000 0000ffff 00008b00\r\n"
	"GDT=     00000000 0000ffff\r\n"
	"IDT=     00000000 0000ffff\r\n"
	"CR0=60000010 CR2=00000000 CR3=00000000 CR4=00000000\r\n"
	"DR0=0000000000000000 DR1=0000000000000000 DR2=0000000000000000 DR3=0000000000000000 \r\n"
	"DR6=00000000ffff0ff0 DR7=0000000000000400\r\n"
	"EFER=0000000000000000\r\n"
	"FCW=037f FSW=0000 [ST=0] FTW=00 MXCSR=00001f80\r\n"
	"FPR0=0000000000000000 0000 FPR1=0000000000000000 0000\r\n"
	"FPR2=0000000000000000 0000 FPR3=0000000000000000 0000\r\n"
	"FPR4=0000000000000000 0000 FPR5=0000000000000000 0000\r\n"
	"FPR6=0000000000000000 0000 FPR7=0000000000000000 0000\r\n"
	"XMM00=0000000000000000 0000000000000000 XMM01=0000000000000000 0000000000000000\r\n"
	"XMM02=0000000000000000 0000000000000000 XMM03=0000000000000000 0000000000000000\r\n"
	"XMM04=0000000000000000 0000000000000000 XMM05=0000000000000000 0000000000000000\r\n"
	"XMM06=0000000000000000 0000000000000000 XMM07=0000000000000000 0000000000000000\r\n"
	"(qemu) ";

/* qemu's 64-bit register dump (target/i386/cpu-dump.c), a guest in its kernel. */
static const char hmp_long_mode[] =
	"(qemu) info status\r\nVM status: running\r\n(qemu) info registers\r\n\r\nCPU#0\r\n"
	"RAX=0000000000000000 RBX=ffffffff82613940 RCX=0000000000000001 RDX=0000000000000000\r\n"
	"RSI=0000000000000087 RDI=0000000000002dcc RBP=0000000000000000 RSP=ffffffff82603e98\r\n"
	"R8 =0000000000000000 R9 =0000000000000000 R10=0000000000000000 R11=0000000000000000\r\n"
	"RIP=ffffffff81bd7d0b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\r\n"
	"CS =0010 0000000000000000 ffffffff 00a09b00 DPL=0 CS64 [-RA]\r\n"
	"CR0=80050033 CR2=00007f2b9c1b7000 CR3=000000000260a000 CR4=000006f0\r\n"
	"EFER=0000000000000d01\r\n(qemu) ";

struct picked {
	char lines[32][MONITOR_LINE_MAX];
	int n;
};

static void keep(void *ctx, const char *line)
{
	struct picked *p = ctx;

	if (p->n < 32)
		snprintf(p->lines[p->n++], MONITOR_LINE_MAX, "%s", line);
}

static void test_pick_reset(void)
{
	static const char *const want[] = {
		"monitor: VM status: paused (prelaunch)",
		"monitor: EAX=00000000 EBX=00000000 ECX=00000000 EDX=00060fb1",
		"monitor: ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000",
		"monitor: EIP=0000fff0 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=0",
		"monitor: CS =f000 ffff0000 0000ffff 00009b00",
		"monitor: CR0=60000010 CR2=00000000 CR3=00000000 CR4=00000000",
		"monitor: EFER=0000000000000000",
	};
	struct picked p = { .n = 0 };
	int n = monitor_pick(hmp_reset, keep, &p);

	is_int(n, sizeof(want) / sizeof(want[0]), "reset transcript: lines picked");
	is_int(p.n, n, "reset transcript: each handed over once");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]) && (int)i < p.n; i++)
		is_str(p.lines[i], want[i], "reset transcript: line %zu", i);
	for (int i = 0; i < p.n; i++)
		ok(!strchr(p.lines[i], '\x1b') && !strchr(p.lines[i], '\r') && !strstr(p.lines[i], "(qemu)"),
		   "reset transcript: line %d has no escape, CR or prompt", i);
}

static void test_pick_long_mode(void)
{
	struct picked p = { .n = 0 };

	is_int(monitor_pick(hmp_long_mode, keep, &p), 7, "long mode: status, RAX, RSI, RIP, CS, CR0, EFER");
	is_str(p.lines[0], "monitor: VM status: running", "long mode: status first");
	is_str(p.lines[3], "monitor: RIP=ffffffff81bd7d0b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1",
	       "long mode: the instruction pointer");
	ok(strncmp(p.lines[4], "monitor: CS =0010", 17) == 0, "long mode: code segment");
	for (int i = 0; i < p.n; i++)
		ok(!strstr(p.lines[i], "R8 ="), "long mode: line %d not R8..R11", i);
}

static void test_pick_odd(void)
{
	struct picked p = { .n = 0 };
	char longline[1200];

	is_int(monitor_pick("", keep, &p), 0, "empty: nothing");
	is_int(monitor_pick(NULL, keep, &p), 0, "NULL: nothing");
	is_int(monitor_pick("(qemu) \r\n(qemu) (qemu) \x1b[K\x1b[D\r\n", keep, &p), 0, "prompts only: nothing");
	is_int(monitor_pick("RIP", keep, &p), 0, "a prefix cut short: nothing");
	is_int(monitor_pick("(qemu) (qemu) VM status: paused\x01\x7f\xff", keep, &p), 1, "control and high bytes");
	is_str(p.lines[0], "monitor: VM status: paused", "control and high bytes dropped");
	memset(longline, 'A', sizeof(longline));
	memcpy(longline, "RIP=", 4);
	longline[sizeof(longline) - 1] = '\0';
	p.n = 0;
	is_int(monitor_pick(longline, keep, &p), 1, "over-long line: kept");
	is_int(strlen(p.lines[0]), MONITOR_LINE_MAX - 1, "over-long line: cut to its slot");
	p.n = 0;
	is_int(monitor_pick("RIP=1\x1b[", keep, &p), 1, "escape cut off at the end");
	is_str(p.lines[0], "monitor: RIP=1", "escape cut off at the end: dropped");
}

/* A real qemu, paused before its first instruction, asked where it is. */
static void test_live(void)
{
	char path[64], raw[16384];
	static const char *const cmds[] = { "info status", "info registers", NULL };
	struct picked p = { .n = 0 };
	int status, rc;
	pid_t pid;

	if (access("/usr/bin/qemu-system-x86_64", X_OK) < 0) {
		tap_skip("no qemu-system-x86_64 for the live monitor test");
		return;
	}
	snprintf(path, sizeof(path), "/tmp/supernested-test-monitor.%d", (int)getpid());
	unlink(path);
	is_int(monitor_exchange(path, cmds, raw, sizeof(raw), 300), -ENOENT,
	       "live: no socket yet, bounded wait: -ENOENT");
	pid = fork();
	if (pid == 0) {
		char mon[96];

		snprintf(mon, sizeof(mon), "unix:%s,server=on,wait=off", path);
		execl("/usr/bin/qemu-system-x86_64", "qemu-system-x86_64", "-accel", "tcg", "-S",
		      "-nodefaults", "-display", "none", "-monitor", mon, (char *)NULL);
		_exit(127);
	}
	rc = monitor_exchange(path, cmds, raw, sizeof(raw), 10000);
	ok(rc > 0, "live: qemu answered (%d bytes)", rc);
	is_int(monitor_evidence(path, keep, &p), 7, "live: evidence lines from a real qemu");
	is_str(p.lines[0], "monitor: VM status: paused (prelaunch)", "live: its status");
	ok(p.n > 3 && !strncmp(p.lines[3], "monitor: EIP=0000fff0", 21), "live: at the reset vector: %s",
	   p.n > 3 ? p.lines[3] : "");
	{
		static const char *const stop[] = { "stop", "info status", NULL };

		rc = monitor_exchange(path, stop, raw, sizeof(raw), 5000);
		ok(rc > 0 && strstr(raw, "VM status: paused"), "live: stop, then paused");
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	unlink(path);
	p.n = 0;
	is_int(monitor_evidence(path, keep, &p), 1, "live: qemu gone: one line says so");
	ok(p.n == 1 && strstr(p.lines[0], "no answer"), "live: qemu gone: %s", p.n ? p.lines[0] : "");
}

int main(void)
{
	test_pick_reset();
	test_pick_long_mode();
	test_pick_odd();
	test_live();
	return tap_done();
}
