/* test_settings.c - kernel command line settings: defaults, every key, sizes, errors, child words. */
#include "tap.h"
#include "settings.h"

#include <errno.h>
#include <string.h>

/* Was an error recorded for @key with @value, whose message contains @msg? */
static int has_error(const struct settings *s, const char *key, const char *value, const char *msg)
{
	for (int i = 0; i < s->nerrors; i++)
		if (strcmp(s->errors[i].key, key) == 0 && strcmp(s->errors[i].value, value) == 0 &&
		    strstr(s->errors[i].message, msg))
			return 1;
	return 0;
}

/* The first branch's node at @level. */
static const struct node *first(int level)
{
	static struct node n;

	node_first(&n, level);
	return &n;
}

static void test_defaults(void)
{
	struct settings s;

	memset(&s, 0x5a, sizeof(s));
	settings_defaults(&s);
	is_int(s.level, 1, "default level 1");
	is_int(s.maxdepth, 8, "default maxdepth 8");
	is_int(s.mem_mb, 0, "default mem: policy decides");
	is_int(s.smp, 0, "default smp: all CPUs");
	is_int(s.timeout_s, 0, "default timeout 0: derived from the level's own boot");
	is_int(s.boot, BOOT_DIRECT, "default boot direct");
	is_int(s.evidence, 20, "default evidence 20 lines");
	is_int(s.quiet, 1, "children boot quiet by default");
	is_str(s.report_console, "", "default report console empty");
	is_int(s.nconsoles, 0, "no console= by default");
	is_int(s.nerrors, 0, "no errors by default");

	settings_parse(&s, "");
	is_int(s.nerrors, 0, "empty command line: no errors");
	settings_parse(&s, NULL);
	is_int(s.nerrors, 0, "NULL command line: no errors");
	settings_parse(&s, "   \t \n ");
	is_int(s.nerrors, 0, "blank command line: no errors");
	is_int(s.level, 1, "blank command line: level unchanged");
}

static void test_all_keys(void)
{
	struct settings s;

	settings_defaults(&s);
	settings_parse(&s, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-amd64 root=UUID=0b6c quiet panic=-1 "
			   "supernested.level=3 supernested.maxdepth=5 supernested.mem=2G supernested.smp=2 "
			   "supernested.timeout=120 supernested.boot=bootloader supernested.evidence=50 "
			   "supernested.console=hvc0 supernested.quiet=0 8250.nr_uarts=1\n");
	is_int(s.nerrors, 0, "all keys: no errors");
	is_int(s.level, 3, "level");
	is_int(s.maxdepth, 5, "maxdepth");
	is_int(s.mem_mb, 2048, "mem 2G");
	is_int(s.smp, 2, "smp");
	is_int(s.timeout_s, 120, "timeout");
	is_int(s.boot, BOOT_BOOTLOADER, "boot bootloader");
	is_int(s.evidence, 50, "evidence");
	is_str(s.report_console, "hvc0", "console");
	is_int(s.quiet, 0, "quiet=0");
	is_int(s.nconsoles, 0, "supernested.console is not a console= word");

	settings_parse(&s, "supernested.boot=direct supernested.mem=0 supernested.smp=0 supernested.evidence=0");
	is_int(s.boot, BOOT_DIRECT, "boot back to direct");
	is_int(s.mem_mb, 0, "mem 0 = automatic accepted");
	is_int(s.smp, 0, "smp 0 accepted");
	is_int(s.evidence, 0, "evidence 0 accepted");
	is_int(s.nerrors, 0, "second parse: no errors");

	settings_parse(&s, "supernested.level=64 supernested.maxdepth=1 supernested.timeout=5 "
			   "supernested.timeout=86400 supernested.smp=256 supernested.evidence=200");
	is_int(s.nerrors, 0, "range limits accepted");
	is_int(s.level, 64, "level 64");
	is_int(s.maxdepth, 1, "maxdepth 1");
	is_int(s.timeout_s, 86400, "last of repeated keys wins");
	is_int(s.smp, 256, "smp 256");
	is_int(s.evidence, 200, "evidence 200");
}

static void test_mem_sizes(void)
{
	static const struct {
		const char *text;
		int mb;
	} good[] = {
		{ "512", 512 }, { "512M", 512 }, { "512m", 512 }, { "512MiB", 512 }, { "512MB", 512 },
		{ "2G", 2048 }, { "2g", 2048 }, { "2GiB", 2048 }, { "2GB", 2048 }, { "0", 0 },
		{ "4096G", 4194304 },
	};
	char word[64];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct settings s;

		settings_defaults(&s);
		snprintf(word, sizeof(word), "supernested.mem=%s", good[i].text);
		settings_parse(&s, word);
		is_int(s.mem_mb, good[i].mb, "mem=%s -> %d MiB", good[i].text, good[i].mb);
		is_int(s.nerrors, 0, "mem=%s: no error", good[i].text);
	}
}

static void test_parse_size_mb(void)
{
	static const char *const bad[] = {
		"", "G", "M", "-1", "+1G", " 1G", "2T", "2K", "2 G", "2Gi", "2GiBx", "2GBB", "2iB", "2B",
		"1.5G", "0x10", "1e3", "99999999999999999999", "1073741825G", "2GM",
	};
	long mb = -42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mb = -42;
		is_int(parse_size_mb(bad[i], &mb), -EINVAL, "parse_size_mb(\"%s\") -> -EINVAL", bad[i]);
		is_int(mb, -42, "parse_size_mb(\"%s\") leaves the output alone", bad[i]);
	}
	is_int(parse_size_mb(NULL, &mb), -EINVAL, "parse_size_mb(NULL) -> -EINVAL");
	is_int(parse_size_mb("1073741824G", &mb), 0, "largest G value");
	is_int(mb, 1073741824L * 1024, "largest G value in MiB");
	is_int(parse_size_mb("007", &mb), 0, "leading zeros");
	is_int(mb, 7, "leading zeros value");
	is_int(parse_size_mb("3m", &mb), 0, "lower case m");
	is_int(mb, 3, "lower case m value");
}

static void test_bad_values(void)
{
	struct settings s;

	settings_defaults(&s);
	settings_parse(&s, "supernested.level=3 supernested.level=abc");
	is_int(s.level, 3, "level=abc keeps the previous value");
	is_int(s.nerrors, 1, "level=abc: one error");
	is_str(s.errors[0].key, "supernested.level", "error key is the full key");
	is_str(s.errors[0].value, "abc", "error value");
	is_str(s.errors[0].message, "not a whole number", "error message");

	settings_defaults(&s);
	settings_parse(&s, "supernested.level=0");
	is_int(s.level, 1, "level=0 keeps the default");
	ok(has_error(&s, "supernested.level", "0", "out of range 1..64"), "level=0: out of range 1..64");

	settings_defaults(&s);
	settings_parse(&s, "supernested.maxdepth=999");
	is_int(s.maxdepth, 8, "maxdepth=999 keeps the default");
	ok(has_error(&s, "supernested.maxdepth", "999", "out of range 1..64"), "maxdepth=999: out of range");

	settings_defaults(&s);
	settings_parse(&s, "supernested.machine=q35");
	is_int(s.nerrors, 1, "machine=q35 is an error");
	is_int(s.machine, SETTINGS_DEFAULT_MACHINE, "machine keeps its default");
	settings_parse(&s, "supernested.machine=pc");
	is_int(s.machine, MACHINE_PC, "machine=pc chosen");
	settings_defaults(&s);
	settings_parse(&s, "supernested.boot=floppy");
	is_int(s.boot, BOOT_DIRECT, "boot=floppy keeps direct");
	ok(has_error(&s, "supernested.boot", "floppy", "must be direct or bootloader"), "boot=floppy error");

	settings_defaults(&s);
	settings_parse(&s, "supernested.boot=Direct supernested.boot=");
	is_int(s.nerrors, 2, "boot names are case sensitive and must not be empty");

	settings_defaults(&s);
	settings_parse(&s, "supernested.foo=1");
	is_int(s.nerrors, 1, "unknown key is an error");
	ok(has_error(&s, "supernested.foo", "1", "unknown setting"), "unknown key: key, value, message");

	settings_defaults(&s);
	settings_parse(&s, "supernested.levels=2 supernested.Level=2 supernested.=2");
	is_int(s.nerrors, 3, "near-miss keys are unknown");
	is_int(s.level, 1, "near-miss keys change nothing");

	settings_defaults(&s);
	settings_parse(&s, "supernested.level");
	is_int(s.nerrors, 1, "key without value is an error");
	ok(has_error(&s, "supernested.level", "", "needs a value"), "key without value: message");
	is_int(s.level, 1, "key without value keeps the default");

	settings_defaults(&s);
	settings_parse(&s, "supernested.level= supernested.level=3x supernested.level=2.5");
	is_int(s.nerrors, 3, "empty, trailing letters, fraction: three errors");
	is_int(s.level, 1, "... and level unchanged");

	settings_defaults(&s);
	settings_parse(&s, "supernested.console=hvc0 supernested.console=with/slash");
	is_str(s.report_console, "hvc0", "console=with/slash keeps the previous value");
	ok(has_error(&s, "supernested.console", "with/slash", "device name"), "console with slash: error");

	settings_defaults(&s);
	settings_parse(&s, "supernested.console= supernested.console=abcdefghijklmnopqrstuvwxyz0123456");
	is_str(s.report_console, "", "empty and 33-char console refused");
	is_int(s.nerrors, 2, "empty and 33-char console: two errors");
	settings_parse(&s, "supernested.console=abcdefghijklmnopqrstuvwxyz01234");
	is_str(s.report_console, "abcdefghijklmnopqrstuvwxyz01234", "31-char console accepted");

	settings_defaults(&s);
	settings_parse(&s, "supernested.timeout=-1 supernested.timeout=86401 supernested.smp=-1 "
			   "supernested.evidence=201 supernested.mem=4097G supernested.mem=lots supernested.quiet=2");
	is_int(s.nerrors, 7, "out-of-range and malformed values: seven errors");
	is_int(s.quiet, 1, "quiet=2 refused, quiet unchanged");
	is_int(s.timeout_s, 0, "timeout unchanged");
	is_int(s.smp, 0, "smp unchanged");
	is_int(s.evidence, 20, "evidence unchanged");
	is_int(s.mem_mb, 0, "mem unchanged");
	ok(has_error(&s, "supernested.mem", "lots", "not a size"), "mem=lots: not a size");
	ok(has_error(&s, "supernested.mem", "4097G", "out of range"), "mem=4097G: out of range");

	settings_defaults(&s);
	settings_parse(&s, "supernested.a=1 supernested.b=2 supernested.c=3 supernested.d=4 supernested.e=5 "
			   "supernested.f=6 supernested.g=7 supernested.h=8 supernested.i=9 supernested.j=10 "
			   "supernested.level=5");
	is_int(s.nerrors, SETTINGS_MAX_ERRORS, "errors stop at SETTINGS_MAX_ERRORS");
	is_str(s.errors[SETTINGS_MAX_ERRORS - 1].key, "supernested.h", "the first errors are kept");
	is_int(s.level, 5, "good words after many errors still apply");

	settings_defaults(&s);
	settings_parse(&s, "root=/dev/vda1 supernestedlevel=3 level=3 maxdepth=2 SUPERNESTED.level=3 "
			   "init=/init -- supernested");
	is_int(s.nerrors, 0, "words of other owners are ignored");
	is_int(s.level, 1, "... and change nothing");
}

static void test_quotes_and_blanks(void)
{
	struct settings s;

	settings_defaults(&s);
	settings_parse(&s, "supernested.console=\"hvc0\" \"supernested.level=4\" supernested.maxdepth=\"6\"");
	is_int(s.nerrors, 0, "quoted words: no errors");
	is_str(s.report_console, "hvc0", "quoted value");
	is_int(s.level, 4, "whole word quoted");
	is_int(s.maxdepth, 6, "quoted number");

	settings_defaults(&s);
	settings_parse(&s, "supernested.boot=\"direct mode\" supernested.level=2");
	is_int(s.nerrors, 1, "a quoted value with a space is one word");
	ok(has_error(&s, "supernested.boot", "direct mode", "must be direct or bootloader"),
	   "quoted value with space: whole value in the error");
	is_int(s.level, 2, "word after the quoted one parsed");

	settings_defaults(&s);
	settings_parse(&s, "supernested.level=2\tsupernested.maxdepth=3\nsupernested.timeout=30\n");
	is_int(s.nerrors, 0, "tab and newline separate words");
	is_int(s.level, 2, "tab-separated level");
	is_int(s.maxdepth, 3, "newline-separated maxdepth");
	is_int(s.timeout_s, 30, "word before the final newline");

	settings_defaults(&s);
	settings_parse(&s, "supernested.foo=\"unterminated value");
	is_int(s.nerrors, 1, "unterminated quote: the rest is one word");
	ok(has_error(&s, "supernested.foo", "unterminated value", "unknown setting"),
	   "unterminated quote: value to the end of the line");
}

static void test_consoles(void)
{
	struct settings s;

	settings_defaults(&s);
	settings_parse(&s, "console=tty0 console=ttyS0,115200n8 quiet console=hvc0");
	is_int(s.nconsoles, 3, "three console= words");
	is_str(s.consoles[0], "tty0", "console 0");
	is_str(s.consoles[1], "ttyS0", "console=ttyS0,115200n8 -> ttyS0");
	is_str(s.consoles[2], "hvc0", "console 2");
	is_int(s.nerrors, 0, "console= never records errors");

	settings_defaults(&s);
	settings_parse(&s, "console= console=,115200 console=/dev/ttyS0 console=ttyS1");
	is_int(s.nconsoles, 1, "empty device and paths are ignored");
	is_str(s.consoles[0], "ttyS1", "the good one kept");

	settings_defaults(&s);
	settings_parse(&s, "console=a console=b console=c console=d console=e");
	is_int(s.nconsoles, SETTINGS_MAX_CONSOLES, "consoles stop at SETTINGS_MAX_CONSOLES");
	is_str(s.consoles[SETTINGS_MAX_CONSOLES - 1], "d", "first consoles kept");
}

static void test_format_child(void)
{
	struct settings s, child;
	char buf[512];
	const char *want = "supernested.level=3 supernested.maxdepth=5 supernested.timeout=120 "
			   "supernested.boot=bootloader supernested.machine=microvm supernested.evidence=50 "
			   "supernested.quiet=0 supernested.cpu=host,pmu=off supernested.machine_opts= "
			   "supernested.tune=\"lpj=1000 tsc=reliable\" supernested.profile=0 "
			   "supernested.qemu_microvm=0 supernested.slow_tick_from=5 supernested.slow_tick=4";
	int n;

	settings_defaults(&s);
	settings_parse(&s, "supernested.level=2 supernested.maxdepth=5 supernested.timeout=120 "
			   "supernested.boot=bootloader supernested.evidence=50 supernested.mem=1G "
			   "supernested.smp=2 supernested.console=ttyS0 supernested.quiet=0 "
			   "supernested.machine=microvm supernested.cpu=host,pmu=off "
			   "supernested.machine_opts= supernested.tune=\"lpj=1000 tsc=reliable\" "
			   "supernested.profile=0 supernested.qemu_microvm=0 supernested.slow_tick_from=5 "
			   "supernested.slow_tick=4");
	is_int(s.nerrors, 0, "parent settings parse");
	n = settings_format_child(&s, 1, buf, sizeof(buf));
	is_int(n, strlen(want), "child words length");
	is_str(buf, want, "child words exactly: level+1, the rest passed on, no mem/smp/console");

	settings_defaults(&child);
	settings_parse(&child, buf);
	is_int(child.nerrors, 0, "child words reparse without errors");
	is_int(child.level, 3, "child level");
	is_int(child.maxdepth, 5, "child maxdepth");
	is_int(child.timeout_s, 120, "child timeout");
	is_int(child.boot, BOOT_BOOTLOADER, "child boot");
	is_int(child.evidence, 50, "child evidence");
	is_int(child.quiet, 0, "child quiet");
	is_int(child.machine, MACHINE_MICROVM, "child machine");
	is_int(child.mem_mb, 0, "child decides its own memory");
	is_str(child.child_cpu, "host,pmu=off", "child cpu passed on");
	is_str(child.machine_opts, "", "empty machine_opts passed on");
	is_str(child.tune_args, "lpj=1000 tsc=reliable", "tune words passed on");
	is_int(child.profile, 0, "child profile");
	is_int(child.qemu_microvm, 0, "child qemu_microvm passed on");
	is_int(child.slow_tick_from, 5, "child slow_tick_from passed on");
	is_int(child.slow_tick, 4, "child slow_tick passed on");
	ok(child.deadline == 0, "no deadline: the child gets none");
	s.deadline = 4102444800LL;	/* 2100: past 2038 */
	s.child_deadline = 4102444780LL;
	n = settings_format_child(&s, 1, buf, sizeof(buf));
	ok(n > 0 && strstr(buf, " supernested.deadline=4102444780") && !strstr(buf, "=4102444800"),
	   "the child's deadline is the plan's, not this level's");
	settings_defaults(&child);
	settings_parse(&child, buf);
	ok(child.deadline == 4102444780LL, "child deadline parses, past 2038");
	ok(child.child_deadline == 0, "and is the child's own, not its child's");
	settings_parse(&child, "supernested.deadline=-1 supernested.deadline=soon");
	is_int(child.nerrors, 2, "a negative deadline, a word: errors");
	ok(child.deadline == 4102444780LL, "and keep the previous value");
	s.deadline = s.child_deadline = 0;
	{
		char w[32];

		is_int(settings_tick_words(&child, 4, w, sizeof(w)), 0, "level 4 of slow_tick_from 5: no word");
		is_str(w, "", "level 4 of slow_tick_from 5: its kernel's own tick");
		is_int(settings_tick_words(&child, 5, w, sizeof(w)), 19, "level 5: a word");
		is_str(w, "lapic_tick_stride=4", "level 5: every 4 jiffies");
		is_int(settings_tick_words(&child, 6, w, 8), -ENOSPC, "a short buffer: -ENOSPC");
		child.slow_tick_from = 0;
		is_int(settings_tick_words(&child, 9, w, sizeof(w)), 0, "slow_tick_from 0: never");
	}

	settings_defaults(&s);
	n = settings_format_child(&s, 1, buf, sizeof(buf));
	is_str(buf, "supernested.level=2 supernested.maxdepth=8 supernested.timeout=0 "
		    "supernested.boot=direct supernested.machine=microvm supernested.evidence=20 supernested.quiet=1 "
		    "supernested.cpu=" SETTINGS_DEFAULT_CPU " supernested.machine_opts=" SETTINGS_DEFAULT_MACHINE_OPTS
		    " supernested.tune=\"" SETTINGS_DEFAULT_TUNE "\" supernested.profile=1"
		    " supernested.qemu_microvm=1 supernested.slow_tick_from=3 supernested.slow_tick=8",
	       "child words of the defaults");
	is_int(s.slow_tick_from, SETTINGS_DEFAULT_SLOW_TICK_FROM, "the deep levels' slow tick from level 3 by default");
	settings_parse(&s, "supernested.slow_tick_from=65");
	is_int(s.nerrors, 1, "slow_tick_from 65: an error");
	is_int(s.slow_tick_from, SETTINGS_DEFAULT_SLOW_TICK_FROM, "a bad slow_tick_from keeps the default");
	settings_parse(&s, "supernested.slow_tick=0");
	is_int(s.nerrors, 2, "slow_tick 0: an error");
	is_int(s.slow_tick, SETTINGS_DEFAULT_SLOW_TICK, "a bad slow_tick keeps the default");
	{	/* the children's machine: qemu option lists, checked */
		struct settings o;

		settings_defaults(&o);
		settings_parse(&o, "supernested.cpu=EPYC-v4,+svm supernested.machine_opts=pit=off,hpet=off");
		is_int(o.nerrors, 0, "cpu and machine_opts parse");
		is_str(o.child_cpu, "EPYC-v4,+svm", "cpu kept");
		is_str(o.machine_opts, "pit=off,hpet=off", "machine_opts kept");
		settings_parse(&o, "supernested.cpu=host\\x supernested.machine_opts=a/b "
				   "supernested.profile=2");
		is_int(o.nerrors, 3, "cpu with a backslash, machine_opts with a slash, profile 2: errors");
		is_str(o.child_cpu, "EPYC-v4,+svm", "a bad cpu keeps the previous value");
		is_str(o.machine_opts, "pit=off,hpet=off", "a bad machine_opts keeps the previous value");
		is_int(o.profile, 1, "a bad profile keeps the default");
	}
	is_int(settings_format_child(&s, 1, buf, (size_t)n + 1), n, "exact room");
	is_int(settings_format_child(&s, 1, buf, (size_t)n), -ENOSPC, "one byte short: -ENOSPC");
	is_int(settings_format_child(&s, 1, buf, 1), -ENOSPC, "one byte: -ENOSPC");

	is_str(boot_mode_name(BOOT_DIRECT), "direct", "boot_mode_name direct");
	is_str(boot_mode_name(BOOT_BOOTLOADER), "bootloader", "boot_mode_name bootloader");
	is_str(boot_mode_name((enum boot_mode)7), "direct", "boot_mode_name out of range");
}

/* supernested.inject=MODE@LEVEL: every mode, the malformed, the way down. */
static void test_inject(void)
{
	static const struct {
		const char *text;
		enum inject_mode mode;
		int level;
	} good[] = {
		{ "panic@2", INJECT_PANIC, 2 },
		{ "hang-silent@3", INJECT_HANG_SILENT, 3 },
		{ "hang-early@2", INJECT_HANG_EARLY, 2 },
		{ "qemu-crash@2", INJECT_QEMU_CRASH, 2 },
		{ "qemu-start@2", INJECT_QEMU_START, 2 },
		{ "qemu-exit@4", INJECT_QEMU_EXIT, 4 },
		{ "no-virt@2", INJECT_NO_VIRT, 2 },
		{ "nested-off@1", INJECT_NESTED_OFF, 1 },
		{ "kvm-module@2", INJECT_KVM_MODULE, 2 },
		{ "no-kvm-dev@2", INJECT_NO_KVM_DEV, 2 },
		{ "kvm-error@64", INJECT_KVM_ERROR, 64 },
		{ "slow-boot@1", INJECT_SLOW_BOOT, 1 },
	};
	static const char *const bad[] = {
		"", "panic", "panic@", "@2", "panic@0", "panic@65", "panic@-1", "panic@+2",
		"panic@2x", "panic@2@3", "Panic@2", "panics@2", "pani@2", "none@2", "hang@2",
		"panic @2", "panic@99999999999999999999", "qemu-start@1", "hang-early@1",
		"qemu-crash@1", "no-virt@1", "kvm-error@1",
	};
	struct inject_setting in;
	struct settings s, child;
	char words[512], word[96];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		in = (struct inject_setting){ .mode = INJECT_NONE };
		is_int(parse_inject(good[i].text, &in), 0, "inject %s parses", good[i].text);
		is_int(in.mode, good[i].mode, "inject %s: mode", good[i].text);
		is_int(in.level, good[i].level, "inject %s: level", good[i].text);
		snprintf(word, sizeof(word), "%s@%d", inject_mode_name(in.mode), in.level);
		ok(!strcmp(word, good[i].text), "inject %s: name and level print back (%s)", good[i].text, word);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in = (struct inject_setting){ .mode = INJECT_PANIC, .level = 7 };
		is_int(parse_inject(bad[i], &in), -EINVAL, "inject '%s' is malformed", bad[i]);
		ok(in.mode == INJECT_PANIC && in.level == 7, "inject '%s' leaves the value", bad[i]);
		settings_defaults(&s);
		snprintf(word, sizeof(word), "supernested.inject=%s", bad[i]);
		settings_parse(&s, word);
		ok(s.nerrors == 1 && !strcmp(s.errors[0].key, "supernested.inject") &&
		   strstr(s.errors[0].message, "MODE@LEVEL"),
		   "inject '%s': config error naming the form", bad[i]);
		is_int(s.inject.mode, INJECT_NONE, "inject '%s': no injection", bad[i]);
	}
	is_int(parse_inject(NULL, &in), -EINVAL, "inject NULL is malformed");
	for (int m = INJECT_NONE + 1; m < INJECT__COUNT; m++) {
		snprintf(word, sizeof(word), "%s@1", inject_mode_name((enum inject_mode)m));
		is_int(parse_inject(word, &in), inject_by_parent((enum inject_mode)m) ? -EINVAL : 0,
		       "inject %s: level 1 %s", word,
		       inject_by_parent((enum inject_mode)m) ? "has no parent to act" : "acts itself");
	}
	is_int(inject_by_parent(INJECT_NONE), 0, "no injection: no parent acts");
	is_str(inject_mode_name(INJECT_NONE), "none", "inject_mode_name none");
	is_str(inject_mode_name((enum inject_mode)99), "none", "inject_mode_name out of range");

	/* nested-off on the command line of the level it is for, and no other */
	in = (struct inject_setting){ .mode = INJECT_NESTED_OFF, .level = 2 };
	is_str(inject_kernel_words(&in, first(2)), "kvm_amd.nested=0 kvm_intel.nested=0",
	       "nested-off@2: level 2's command line turns a built-in KVM's nested off");
	is_str(inject_kernel_words(&in, first(1)), "", "nested-off@2: nothing for level 1");
	is_str(inject_kernel_words(&in, first(3)), "", "nested-off@2: nothing for level 3");
	in = (struct inject_setting){ .mode = INJECT_PANIC, .level = 2 };
	is_str(inject_kernel_words(&in, first(2)), "", "panic@2: no kernel words");
	in = (struct inject_setting){ .mode = INJECT_NONE };
	is_str(inject_kernel_words(&in, first(0)), "", "no injection: no kernel words");

	settings_defaults(&s);
	is_int(s.inject.mode, INJECT_NONE, "inject: none by default");
	settings_format_child(&s, 1, words, sizeof(words));
	ok(!strstr(words, "inject"), "inject: not passed on when none");

	settings_parse(&s, "quiet supernested.inject=hang-early@3 supernested.level=1");
	is_int(s.nerrors, 0, "inject: parses on a command line");
	is_int(s.inject.mode, INJECT_HANG_EARLY, "inject: mode from the command line");
	is_int(s.inject.level, 3, "inject: level from the command line");
	ok(settings_format_child(&s, 1, words, sizeof(words)) > 0, "inject: child words format");
	ok(strstr(words, " supernested.inject=hang-early@3") != NULL, "inject: passed on: %s", words);
	settings_defaults(&child);
	settings_parse(&child, words);
	is_int(child.nerrors, 0, "inject: child words reparse");
	is_int(child.inject.mode, INJECT_HANG_EARLY, "inject: the child gets the mode");
	is_int(child.inject.level, 3, "inject: the child gets the level");
	is_int(child.level, 2, "inject: the child is level 2");
	/* and on from the child, unchanged */
	settings_format_child(&child, 1, words, sizeof(words));
	ok(strstr(words, " supernested.inject=hang-early@3") != NULL, "inject: passed on again: %s", words);
	is_int(settings_format_child(&child, 1, words, strlen(words)), -ENOSPC,
	       "inject: one byte short of the inject word: -ENOSPC");
}

/* A tree: width, a level's node, and what its second child is told. */
static void test_width(void)
{
	struct settings s, child;
	char words[1024], name[NODE_NAME_MAX];

	settings_defaults(&s);
	is_int(s.width, 1, "width: 1 by default");
	settings_settle_node(&s);
	node_format(&s.node, name, sizeof(name));
	is_str(name, "1", "node: level 1 by default");
	settings_format_child(&s, 1, words, sizeof(words));
	ok(!strstr(words, "width") && !strstr(words, "node="), "width 1: no width, no node passed on");

	settings_parse(&s, "supernested.width=2 supernested.maxdepth=3 supernested.inject=panic@1.2");
	settings_settle_node(&s);
	is_int(s.nerrors, 0, "width=2 and panic@1.2 parse");
	is_int(s.width, 2, "width 2");
	is_int(s.inject.level, 2, "panic@1.2: at level 2");
	is_int(s.inject.node.step[2], 2, "panic@1.2: level 1's second child");
	ok(settings_format_child(&s, 2, words, sizeof(words)) > 0, "child 2's words format");
	ok(strstr(words, "supernested.width=2 supernested.node=1.2") != NULL, "child 2 is told its node: %s", words);
	ok(strstr(words, "supernested.inject=panic@1.2") != NULL, "... and the injection by node");
	settings_format_child(&s, 1, words, sizeof(words));
	ok(strstr(words, "supernested.node=2") != NULL, "child 1 is node 2 (the first branch)");
	settings_format_child(&s, 2, words, sizeof(words));
	settings_defaults(&child);
	settings_parse(&child, words);
	settings_settle_node(&child);
	is_int(child.nerrors, 0, "child 2's words reparse");
	node_format(&child.node, name, sizeof(name));
	is_str(name, "1.2", "the child knows it is 1.2");
	settings_format_child(&child, 1, words, sizeof(words));
	ok(strstr(words, "supernested.node=1.2.1") != NULL, "its first child is 1.2.1");
	is_int(settings_format_child(&child, NODE_WIDTH_MAX + 1, words, sizeof(words)), -ENOSPC,
	       "no child beyond the widest");

	settings_defaults(&s);
	settings_parse(&s, "supernested.level=3 supernested.node=1.2");
	settings_settle_node(&s);
	ok(s.nerrors == 1 && !strcmp(s.errors[0].key, "supernested.node"), "node 1.2 at level 3: an error");
	node_format(&s.node, name, sizeof(name));
	is_str(name, "3", "... and the level's first node is used");
	settings_defaults(&s);
	settings_parse(&s, "supernested.width=5 supernested.node=1.1");
	is_int(s.nerrors, 2, "width 5 and node 1.1 (spelt 2): errors");
	is_int(s.width, 1, "... width stays 1");
	settings_defaults(&s);
	settings_parse(&s, "supernested.width=3");	/* maxdepth 8: 3^7 branches */
	settings_settle_node(&s);
	ok(s.nerrors == 1 && !strcmp(s.errors[0].key, "supernested.width") && s.width == 1,
	   "width 3 to the default maxdepth 8 (2187 branches): an error, width 1 used");
	settings_defaults(&s);
	settings_parse(&s, "supernested.width=2 supernested.maxdepth=7");
	settings_settle_node(&s);
	ok(s.nerrors == 0 && s.width == 2, "width 2 to maxdepth 7 (64 branches): kept");
}

int main(void)
{
	test_defaults();
	test_width();
	test_all_keys();
	test_mem_sizes();
	test_parse_size_mb();
	test_bad_values();
	test_quotes_and_blanks();
	test_consoles();
	test_format_child();
	test_inject();
	{	/* supernested.args: kernel words for the levels below, passed on quoted */
		struct settings a, b;
		char words[512];

		settings_defaults(&a);
		settings_parse(&a, "quiet supernested.args=\"initcall_debug kvm.halt_poll_ns=0\" supernested.level=2");
		is_int(a.nerrors, 0, "args: parses");
		is_str(a.child_args, "initcall_debug kvm.halt_poll_ns=0", "args: words kept with their space");
		ok(settings_format_child(&a, 1, words, sizeof(words)) > 0, "args: child words format");
		ok(strstr(words, " supernested.args=\"initcall_debug kvm.halt_poll_ns=0\"") != NULL,
		   "args: passed on quoted: %s", words);
		settings_defaults(&b);
		settings_parse(&b, words);
		is_str(b.child_args, a.child_args, "args: round trip to the child");
		is_int(b.level, 3, "args: the words after it still parse");
		{
			char longw[400];

			memset(longw, 'w', sizeof(longw));
			memcpy(longw, "supernested.args=", 17);
			longw[sizeof(longw) - 1] = '\0';
			settings_defaults(&a);
			settings_parse(&a, longw);
			is_int(a.nerrors, 1, "args: too long is an error");
			is_str(a.child_args, "", "args: too long leaves none");
		}
	}
	return tap_done();
}
