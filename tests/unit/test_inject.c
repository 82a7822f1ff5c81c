/* test_inject.c - fault injection decisions: who acts at which level, the
 * KVM module and its parameters, the kvm-error firmware, the child's qemu. */
#include "tap.h"
#include "inject.h"

#include <errno.h>
#include <string.h>

/* The first branch's node at @level (a few at once in one expression). */
static const struct node *N(int level)
{
	static struct node ring[4];
	static int next;
	struct node *n = &ring[next++ % 4];

	node_first(n, level);
	return n;
}

static struct inject_setting in(enum inject_mode m, int level)
{
	return (struct inject_setting){ .mode = m, .level = level };
}

static void test_actors(void)
{
	static const enum inject_mode self[] = {
		INJECT_PANIC, INJECT_HANG_SILENT, INJECT_QEMU_EXIT, INJECT_NESTED_OFF,
		INJECT_KVM_MODULE, INJECT_NO_KVM_DEV, INJECT_SLOW_BOOT,
	};
	static const enum inject_mode parent[] = {
		INJECT_HANG_EARLY, INJECT_QEMU_CRASH, INJECT_QEMU_START, INJECT_NO_VIRT, INJECT_KVM_ERROR,
	};
	struct inject_setting none = in(INJECT_NONE, 2);

	for (size_t i = 0; i < sizeof(self) / sizeof(self[0]); i++) {
		struct inject_setting x = in(self[i], 2);
		const char *name = inject_mode_name(self[i]);

		ok(inject_acts_self(&x, N(2)), "%s@2: level 2 acts itself", name);
		ok(!inject_acts_parent(&x, N(2)), "%s@2: level 1 does nothing", name);
		ok(!inject_acts_self(&x, N(1)) && !inject_acts_self(&x, N(3)), "%s@2: not levels 1 or 3", name);
	}
	for (size_t i = 0; i < sizeof(parent) / sizeof(parent[0]); i++) {
		struct inject_setting x = in(parent[i], 2);
		const char *name = inject_mode_name(parent[i]);

		ok(inject_acts_parent(&x, N(2)), "%s@2: level 1 acts as the parent", name);
		ok(!inject_acts_self(&x, N(2)), "%s@2: level 2 itself does nothing", name);
		ok(!inject_acts_parent(&x, N(3)) && !inject_acts_parent(&x, N(1)), "%s@2: no other parent", name);
	}
	is_int(sizeof(self) / sizeof(self[0]) + sizeof(parent) / sizeof(parent[0]), INJECT__COUNT - 1,
	       "every mode has exactly one actor");
	ok(!inject_acts_self(&none, N(2)) && !inject_acts_parent(&none, N(2)), "no injection: nobody acts");
}

static void test_kvm(void)
{
	struct inject_setting mod = in(INJECT_KVM_MODULE, 2), off = in(INJECT_NESTED_OFF, 1);

	is_str(inject_kvm_module(&mod, N(2), "kvm_amd"), "kvm_amd_injected_missing",
	       "kvm-module@2 at level 2: a module no kernel ships");
	is_str(inject_kvm_module(&mod, N(1), "kvm_amd"), "kvm_amd", "kvm-module@2 at level 1: the real one");
	is_str(inject_kvm_module(&off, N(1), "kvm_intel"), "kvm_intel", "nested-off: the real module");
	ok(inject_kvm_module(&mod, N(2), NULL) == NULL, "unknown vendor stays unknown");
	is_str(inject_kvm_params(&off, N(1)), "nested=0", "nested-off@1 at level 1: nested=0");
	is_str(inject_kvm_params(&off, N(2)), "nested=1", "nested-off@1 at level 2: nested=1");
	is_str(inject_kvm_params(&mod, N(2)), "nested=1", "kvm-module: nested=1 as always");
}

/* Hand-assembled: each piece compared with what objdump shows for it. */
static void test_firmware(void)
{
	static unsigned char rom[INJECT_FIRMWARE_SIZE];
	static const unsigned char reset[] = { 0xe9, 0x0d, 0xff };	/* jmp 0xff00 */
	static const unsigned char code16[] = {
		0xfa, 0x2e, 0x66, 0x0f, 0x01, 0x16, 0x70, 0xff,		/* cli; lgdtl %cs:0xff70 */
		0x0f, 0x20, 0xc0, 0x0c, 0x01, 0x0f, 0x22, 0xc0,		/* cr0 |= PE */
		0x66, 0xea, 0x40, 0xff, 0xff, 0xff, 0x08, 0x00,		/* ljmpl $0x8,$0xffffff40 */
	};
	static const unsigned char code32[] = {
		0xb8, 0x00, 0x00, 0xb0, 0xfe, 0xff, 0xe0,		/* mov $0xfeb00000,%eax; jmp *%eax */
	};
	static const unsigned char gdt[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0x9a, 0xcf, 0,	/* null, flat code */
		0x0f, 0x00, 0x60, 0xff, 0xff, 0xff,				/* limit 15, base 0xffffff60 */
	};
	size_t hlt = 0;

	is_int(inject_firmware(rom, sizeof(rom) - 1), -EINVAL, "firmware: wrong size refused");
	is_int(inject_firmware(rom, sizeof(rom)), 0, "firmware: built");
	ok(!memcmp(rom + 0xfff0, reset, sizeof(reset)), "firmware: reset vector jumps to the 16-bit code");
	ok(!memcmp(rom + 0xff00, code16, sizeof(code16)), "firmware: GDT loaded, protected mode, far jump");
	ok(!memcmp(rom + 0xff40, code32, sizeof(code32)), "firmware: 32-bit jump to 0xfeb00000");
	ok(!memcmp(rom + 0xff60, gdt, sizeof(gdt)), "firmware: GDT and its descriptor");
	for (size_t i = 0; i < sizeof(rom); i++)
		hlt += rom[i] == 0xf4;
	is_int(hlt, sizeof(rom) - sizeof(reset) - sizeof(code16) - sizeof(code32) - sizeof(gdt),
	       "firmware: hlt everywhere else");
	is_int(INJECT_FIRMWARE_SIZE % 65536, 0, "firmware: a multiple of 64 KiB, as qemu wants");
	ok(INJECT_FIRMWARE_TARGET >= 0xfe000000u && INJECT_FIRMWARE_TARGET < 0xfec00000u,
	   "firmware: target below the IOAPIC, above any RAM below 4 GiB");
}

static struct qemu_config config(void)
{
	return (struct qemu_config){
		.qemu = "/usr/bin/qemu-system-x86_64", .accel = "kvm", .cpu = "host", .mem_mb = 256,
		.smp = 1, .boot = BOOT_DIRECT, .firmware = "/usr/share/qemu/qboot.rom",
		.kernel = "/boot/vmlinux", .initrd = "/boot/initrd.img", .append = "quiet",
		.disk = "/run/overlay/disk.qcow2", .disk_format = "qcow2", .disk_bus = "virtio",
		.report_fd = 3, .monitor_path = "/run/monitor.sock",
	};
}

static int count(const struct argv_builder *b, const char *arg)
{
	int n = 0;

	for (int i = 0; i < b->argc; i++)
		n += !strcmp(b->argv[i], arg);
	return n;
}

static const char *after(const struct argv_builder *b, const char *opt)
{
	for (int i = 0; i + 1 < b->argc; i++)
		if (!strcmp(b->argv[i], opt))
			return b->argv[i + 1];
	return NULL;
}

static void test_qemu(void)
{
	static struct argv_builder b;
	const char *extra[4];
	struct qemu_config qc = config();
	struct inject_setting x = in(INJECT_PANIC, 2);

	inject_qemu_config(&x, N(2), &qc, extra);
	ok(qc.extra == NULL && !strcmp(qc.cpu, "host") && qc.firmware, "panic@2: level 1's qemu unchanged");

	qc = config();
	x = in(INJECT_QEMU_START, 2);
	inject_qemu_config(&x, N(2), &qc, extra);
	is_int(qemu_build_argv(&qc, &b), 0, "qemu-start: argv built");
	is_str(b.argv[b.argc - 1], "-supernested-injected-unknown-option", "qemu-start: an unknown option last");
	qc = config();
	inject_qemu_config(&x, N(3), &qc, extra);
	ok(qc.extra == NULL, "qemu-start@2: level 2 starts level 3 normally");

	qc = config();
	x = in(INJECT_NO_VIRT, 3);
	inject_qemu_config(&x, N(3), &qc, extra);
	is_int(qemu_build_argv(&qc, &b), 0, "no-virt: argv built");
	is_str(after(&b, "-cpu"), "host,-svm,-vmx", "no-virt: the child's CPU without svm and vmx");

	qc = config();
	x = in(INJECT_KVM_ERROR, 2);
	inject_qemu_config(&x, N(2), &qc, extra);
	is_int(qemu_build_argv(&qc, &b), 0, "kvm-error: argv built");
	is_int(count(&b, "-bios"), 1, "kvm-error: one -bios");
	is_str(after(&b, "-bios"), INJECT_FIRMWARE, "kvm-error: our firmware, not qboot");
	qc = config();
	qc.boot = BOOT_BOOTLOADER;
	inject_qemu_config(&x, N(2), &qc, extra);
	is_int(qemu_build_argv(&qc, &b), 0, "kvm-error, bootloader boot: argv built");
	is_str(after(&b, "-bios"), INJECT_FIRMWARE, "kvm-error, bootloader boot: our firmware too");

	qc = config();
	x = in(INJECT_HANG_EARLY, 2);
	inject_qemu_config(&x, N(2), &qc, extra);
	is_int(qemu_build_argv(&qc, &b), 0, "hang-early: argv built");
	is_str(after(&b, "-mon"), "chardev=monitor0,mode=readline",
	       "hang-early: the monitor it is stopped through");
}

/* In a tree the target is one node: its brother and cousins do nothing. */
static void test_tree(void)
{
	struct inject_setting x;
	struct node n12, n2;

	node_parse("1.2", &n12);
	node_first(&n2, 2);
	is_int(parse_inject("panic@1.2", &x), 0, "panic@1.2 parses");
	ok(inject_acts_self(&x, &n12), "panic@1.2: node 1.2 panics");
	ok(!inject_acts_self(&x, &n2), "panic@1.2: its brother, node 2 (1.1), does not");
	is_int(parse_inject("qemu-crash@1.2", &x), 0, "qemu-crash@1.2 parses");
	ok(inject_acts_parent(&x, &n12), "qemu-crash@1.2: level 1 acts on child 1.2");
	ok(!inject_acts_parent(&x, &n2), "... not on child 2");
	is_int(parse_inject("panic@2", &x), 0, "panic@2 parses");
	ok(inject_acts_self(&x, &n2) && !inject_acts_self(&x, &n12), "panic@2: node 2 only, not 1.2");
	is_str(inject_kernel_words(&(struct inject_setting){ .mode = INJECT_NESTED_OFF, .level = 2,
							  .node = n12 }, &n2), "",
	       "nested-off@1.2: nothing on node 2's command line");
}

int main(void)
{
	test_actors();
	test_tree();
	test_kvm();
	test_firmware();
	test_qemu();
	return tap_done();
}
