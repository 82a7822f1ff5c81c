/* test_qemu_argv.c - qemu option escaping and the child's full argv for both boot modes. */
#include "tap.h"
#include "qemu_argv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Index of the first @arg in @b, or -1. */
static int find_arg(const struct argv_builder *b, const char *arg)
{
	for (int i = 0; i < b->argc; i++)
		if (strcmp(b->argv[i], arg) == 0)
			return i;
	return -1;
}

/* The argument after the first @opt, or NULL. */
static const char *value_of(const struct argv_builder *b, const char *opt)
{
	int i = find_arg(b, opt);

	return i >= 0 && i + 1 < b->argc ? b->argv[i + 1] : NULL;
}

/* How many arguments equal @arg. */
static int count_arg(const struct argv_builder *b, const char *arg)
{
	int n = 0;

	for (int i = 0; i < b->argc; i++)
		n += strcmp(b->argv[i], arg) == 0;
	return n;
}

static int null_terminated(const struct argv_builder *b)
{
	for (int i = 0; i < b->argc; i++)
		if (!b->argv[i])
			return 0;
	return b->argv[b->argc] == NULL;
}

static void test_escape(void)
{
	char buf[32];

	is_int(qemu_opt_escape("a,b", buf, sizeof(buf)), 4, "a,b: length");
	is_str(buf, "a,,b", "a,b -> a,,b");
	is_int(qemu_opt_escape(",,,", buf, sizeof(buf)), 6, ",,,: length");
	is_str(buf, ",,,,,,", ",,, -> six commas");
	is_int(qemu_opt_escape(",a,", buf, sizeof(buf)), 5, "leading and trailing comma: length");
	is_str(buf, ",,a,,", "leading and trailing comma doubled");
	is_int(qemu_opt_escape("", buf, sizeof(buf)), 0, "empty: length 0");
	is_str(buf, "", "empty stays empty");
	is_int(qemu_opt_escape("path=/a b/c\"d\\e", buf, sizeof(buf)), 15, "only commas are special");
	is_str(buf, "path=/a b/c\"d\\e", "'=', space, quote, backslash kept");

	is_int(qemu_opt_escape("a,b", buf, 5), 4, "a,b into exactly 5 bytes");
	is_int(qemu_opt_escape("a,b", buf, 4), -ENOSPC, "a,b into 4 bytes: -ENOSPC");
	is_int(qemu_opt_escape("a,b", buf, 3), -ENOSPC, "a,b into 3 bytes: -ENOSPC (comma pair split)");
	is_int(qemu_opt_escape("abc", buf, 4), 3, "abc into 4 bytes");
	is_int(qemu_opt_escape("abc", buf, 3), -ENOSPC, "abc into 3 bytes: no room for NUL");
	is_int(qemu_opt_escape(",", buf, 2), -ENOSPC, "comma into 2 bytes: -ENOSPC");
	is_int(qemu_opt_escape(",", buf, 3), 2, "comma into 3 bytes");
	is_int(qemu_opt_escape("", buf, 1), 0, "empty into 1 byte");
	is_int(qemu_opt_escape("", buf, 0), -ENOSPC, "empty into 0 bytes: -ENOSPC");
}

static struct qemu_config base_config(void)
{
	return (struct qemu_config){
		.qemu = "/usr/bin/qemu-system-x86_64",
		.accel = "kvm",
		.cpu = "host",
		.mem_mb = 7228,
		.smp = 2,
		.boot = BOOT_DIRECT,
		.kernel = "/boot/vmlinuz",
		.initrd = "/boot/initrd.img",
		.append = "console=ttyS0 quiet panic=-1 8250.nr_uarts=1 supernested.console=hvc0 "
			  "supernested.level=3 supernested.maxdepth=8",
		.fw_cfg_settings = NULL,
		.disk = "/run/x,y.qcow2",
		.disk_format = "qcow2",
		.disk_bus = "virtio",
		.report_fd = 3,
	};
}

static void test_direct_boot(void)
{
	static const char *const want[] = {
		"/usr/bin/qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none",
		"-name", "supernested,debug-threads=on", "-machine", "pc,accel=kvm", "-cpu", "host", "-m", "7228", "-smp", "2", "-no-reboot",
		"-kernel", "/boot/vmlinuz", "-initrd", "/boot/initrd.img",
		"-append", "console=ttyS0 quiet panic=-1 8250.nr_uarts=1 supernested.console=hvc0 "
			   "supernested.level=3 supernested.maxdepth=8",
		"-drive", "file=/run/x,,y.qcow2,format=qcow2,if=virtio,cache=unsafe",
		"-chardev", "stdio,id=serial0,signal=off", "-serial", "chardev:serial0",
		"-device", "virtio-serial-pci", "-chardev", "file,id=report0,path=/proc/self/fd/3",
		"-device", "virtserialport,chardev=report0,name=supernested.report",
	};
	struct qemu_config c = base_config();
	struct argv_builder *b = malloc(sizeof(*b));
	int n = (int)(sizeof(want) / sizeof(want[0])), same = 1;

	if (!b) {
		ok(0, "malloc");
		return;
	}
	is_int(qemu_build_argv(&c, b), 0, "direct boot: built");
	is_int(b->overflow, 0, "direct boot: no overflow");
	is_int(b->argc, n, "direct boot: argument count");
	for (int i = 0; i < n && i < b->argc; i++) {
		if (strcmp(b->argv[i], want[i]) != 0) {
			same = 0;
			printf("# argv[%d]: got '%s', want '%s'\n", i, b->argv[i], want[i]);
		}
	}
	ok(same, "direct boot: the whole argv, in order");
	ok(null_terminated(b), "direct boot: argv[argc] is NULL and nothing before it is");
	is_str(value_of(b, "-kernel"), "/boot/vmlinuz", "-kernel followed by the kernel path");
	is_str(value_of(b, "-initrd"), "/boot/initrd.img", "-initrd followed by the initrd path");
	is_str(value_of(b, "-append"), c.append, "-append followed by the exact command line");
	is_str(value_of(b, "-drive"), "file=/run/x,,y.qcow2,format=qcow2,if=virtio,cache=unsafe",
	       "comma in the disk path doubled");
	is_str(value_of(b, "-machine"), "pc,accel=kvm", "accel in -machine");
	ok(find_arg(b, "-nodefaults") > 0, "-nodefaults present");
	is_int(find_arg(b, "-fw_cfg"), -1, "direct boot without settings: no -fw_cfg");
	is_int(count_arg(b, "virtserialport,chardev=report0,name=supernested.report"), 1, "the report port present with report_fd");
	is_int(count_arg(b, "virtio-serial-pci"), 1, "virtio-serial-pci present with report_fd");
	free(b);
}

static void test_bootloader_boot(void)
{
	struct qemu_config c = base_config();
	struct argv_builder *b = malloc(sizeof(*b));

	if (!b) {
		ok(0, "malloc");
		return;
	}
	c.boot = BOOT_BOOTLOADER;
	c.accel = "tcg";
	c.cpu = "max";
	c.smp = 0;
	c.disk = "/run/supernested/overlay.qcow2";
	c.disk_format = "raw";
	c.disk_bus = "ide";
	c.fw_cfg_settings = "supernested.level=3 supernested.console=hvc0 console=ttyS0,115200n8";
	c.report_fd = -1;

	is_int(qemu_build_argv(&c, b), 0, "bootloader boot: built");
	ok(null_terminated(b), "bootloader boot: NULL terminated");
	is_int(find_arg(b, "-kernel"), -1, "bootloader boot: no -kernel");
	is_int(find_arg(b, "-initrd"), -1, "bootloader boot: no -initrd");
	is_int(find_arg(b, "-append"), -1, "bootloader boot: no -append");
	is_str(value_of(b, "-fw_cfg"),
	       "name=opt/supernested/settings,string=supernested.level=3 supernested.console=hvc0 "
	       "console=ttyS0,,115200n8", "-fw_cfg: name, then the settings with the comma doubled");
	is_str(value_of(b, "-machine"), "pc,accel=tcg", "accel tcg");
	is_str(value_of(b, "-cpu"), "max", "cpu model");
	is_str(value_of(b, "-smp"), "1", "smp 0 becomes 1");
	is_str(value_of(b, "-drive"), "file=/run/supernested/overlay.qcow2,format=raw,if=ide,cache=unsafe",
	       "-drive with format and bus");
	is_str(value_of(b, "-chardev"), "stdio,id=serial0,signal=off", "serial on stdio");
	is_int(find_arg(b, "virtserialport,chardev=report0,name=supernested.report"), -1, "no report_fd: no report port");
	is_int(find_arg(b, "virtio-serial-pci"), -1, "no report_fd: no virtio-serial-pci");
	is_int(count_arg(b, "-chardev"), 1, "no report_fd: only the serial chardev");
	is_str(b->argv[b->argc - 1], "chardev:serial0", "no report_fd: -serial is last");

	c.fw_cfg_settings = "";
	is_int(qemu_build_argv(&c, b), 0, "empty fw_cfg settings: built");
	is_int(find_arg(b, "-fw_cfg"), -1, "empty fw_cfg settings: no -fw_cfg");

	/* direct boot may carry fw_cfg settings too */
	c = base_config();
	c.fw_cfg_settings = "supernested.level=2";
	is_int(qemu_build_argv(&c, b), 0, "direct boot with fw_cfg: built");
	ok(find_arg(b, "-append") > 0 && find_arg(b, "-fw_cfg") > find_arg(b, "-append"),
	   "direct boot with fw_cfg: both present");
	free(b);
}

static void test_overflow(void)
{
	struct qemu_config c = base_config();
	struct argv_builder *b = malloc(sizeof(*b));
	char *huge = malloc(ARGV_STORAGE + 100);

	if (!b || !huge) {
		ok(0, "malloc");
		free(b);
		free(huge);
		return;
	}
	memset(huge, 'a', ARGV_STORAGE + 99);
	huge[ARGV_STORAGE + 99] = '\0';
	c.append = huge;
	is_int(qemu_build_argv(&c, b), -ENOSPC, "append larger than the storage: -ENOSPC");
	is_int(b->overflow, 1, "append larger than the storage: overflow set");
	ok(null_terminated(b), "after overflow argv is still NULL terminated");

	c = base_config();
	memset(huge, ',', 600);
	huge[600] = '\0';
	c.disk = huge;
	is_int(qemu_build_argv(&c, b), -ENOSPC, "disk path escaping past 1 KiB: -ENOSPC");

	c = base_config();
	memset(huge, 's', 2100);
	huge[2100] = '\0';
	c.fw_cfg_settings = huge;
	is_int(qemu_build_argv(&c, b), -ENOSPC, "fw_cfg settings past 2 KiB: -ENOSPC");

	c = base_config();
	memset(huge, 'p', 3000);
	huge[3000] = '\0';
	c.append = huge;
	is_int(qemu_build_argv(&c, b), 0, "a 3000-byte append fits (no 2 KiB limit on plain arguments)");
	is_int(strlen(value_of(b, "-append")), 3000, "the 3000-byte append is whole");

	/* the builder itself */
	argv_init(b);
	for (int i = 0; i < ARGV_MAX; i++)
		argv_add(b, "x");
	is_int(b->argc, ARGV_MAX, "ARGV_MAX arguments fit");
	is_int(b->overflow, 0, "ARGV_MAX arguments: no overflow");
	argv_add(b, "one-too-many");
	is_int(b->argc, ARGV_MAX, "one more: argc unchanged");
	is_int(b->overflow, 1, "one more: overflow");
	ok(b->argv[ARGV_MAX] == NULL, "argv[ARGV_MAX] stays NULL");

	argv_init(b);
	argv_addf(b, "%s=%d", "mem", 512);
	is_str(b->argv[0], "mem=512", "argv_addf formats");
	memset(huge, 'q', 2047);
	huge[2047] = '\0';
	argv_addf(b, "%s", huge);
	is_int(b->overflow, 0, "argv_addf of 2047 bytes fits");
	argv_addf(b, "%s!", huge);
	is_int(b->overflow, 1, "argv_addf of 2048 bytes overflows");
	is_int(b->argc, 2, "overflowing argv_addf adds nothing");
	free(huge);
	free(b);
}

static void test_microvm(void)
{
	struct qemu_config c = base_config();
	struct argv_builder b;

	c.machine = MACHINE_MICROVM;
	c.boot = BOOT_DIRECT;
	c.report_fd = 3;
	is_int(qemu_build_argv(&c, &b), 0, "microvm: builds");
	is_str(value_of(&b, "-machine"), "microvm,accel=kvm", "microvm: machine");
	ok(find_arg(&b, "virtio-blk-device,drive=disk0") >= 0, "microvm: disk on virtio-mmio");
	ok(strstr(value_of(&b, "-drive"), ",if=none,id=disk0,") != NULL, "microvm: drive not on a bus");
	ok(find_arg(&b, "virtio-serial-device") >= 0, "microvm: console on virtio-mmio");
	is_int(find_arg(&b, "virtio-serial-pci"), -1, "microvm: no PCI device");

	c.boot = BOOT_BOOTLOADER;	/* no BIOS disk boot on microvm */
	is_int(qemu_build_argv(&c, &b), 0, "microvm + bootloader: builds");
	is_str(value_of(&b, "-machine"), "pc,accel=kvm", "microvm + bootloader: falls back to pc");
	ok(find_arg(&b, "virtio-serial-pci") >= 0, "microvm + bootloader: PCI console");
}

/* The monitor socket a parent asks a silent child's registers on, and the
 * extra words fault injection adds (last, so they are what qemu sees). */
static void test_monitor_and_extra(void)
{
	static const char *const extra[] = { "-bios", "/run/inject.rom", NULL };
	struct qemu_config c = base_config();
	struct argv_builder *b = malloc(sizeof(*b));

	if (!b) {
		ok(0, "malloc");
		return;
	}
	is_int(qemu_build_argv(&c, b), 0, "no monitor: built");
	is_int(find_arg(b, "-mon"), -1, "no monitor_path: no -mon");

	c.monitor_path = "/run/monitor.sock";
	is_int(qemu_build_argv(&c, b), 0, "monitor: built");
	is_str(b->argv[find_arg(b, "-mon") - 1], "socket,id=monitor0,path=/run/monitor.sock,server=on,wait=off",
	       "monitor: a unix socket that never makes qemu wait");
	is_str(value_of(b, "-mon"), "chardev=monitor0,mode=readline", "monitor: HMP on it");
	is_int(count_arg(b, "-mon"), 1, "monitor: exactly one -mon");
	ok(null_terminated(b), "monitor: argv NULL terminated");

	c.monitor_path = "/run/a,b=c.sock";
	is_int(qemu_build_argv(&c, b), 0, "monitor with a comma and '=': built");
	is_str(b->argv[find_arg(b, "-mon") - 1], "socket,id=monitor0,path=/run/a,,b=c.sock,server=on,wait=off",
	       "monitor: comma in the socket path doubled, '=' kept (path= names the key)");

	c.monitor_path = "/run/monitor.sock";
	c.extra = extra;
	is_int(qemu_build_argv(&c, b), 0, "extra: built");
	is_str(b->argv[b->argc - 2], "-bios", "extra: appended at the end, in order");
	is_str(b->argv[b->argc - 1], "/run/inject.rom", "extra: its value last");
	is_int(count_arg(b, "-bios"), 1, "extra: one -bios when the config has no firmware");
	ok(null_terminated(b), "extra: argv NULL terminated");
	free(b);
}

int main(void)
{
	test_microvm();
	test_monitor_and_extra();
	test_escape();
	test_direct_boot();
	test_bootloader_boot();
	test_overflow();
	{	/* TCG with several CPUs: one TCG thread (MTTCG + emulated SVM locks up) */
		struct qemu_config c = base_config();
		struct argv_builder b;

		c.accel = "tcg";
		c.smp = 2;
		is_int(qemu_build_argv(&c, &b), 0, "tcg smp 2: builds");
		is_str(value_of(&b, "-machine"), "pc", "tcg smp 2: machine without accel");
		is_str(value_of(&b, "-accel"), "tcg,thread=single", "tcg smp 2: single-threaded TCG");
		c.smp = 1;
		qemu_build_argv(&c, &b);
		is_str(value_of(&b, "-machine"), "pc,accel=tcg", "tcg smp 1: plain");
		is_int(find_arg(&b, "-accel"), -1, "tcg smp 1: no -accel");
	}
	{	/* the children's machine options and CPU model */
		struct qemu_config c = base_config();
		struct argv_builder b;

		c.machine_opts = "pit=off,hpet=off";
		c.cpu = "host,pmu=off";
		is_int(qemu_build_argv(&c, &b), 0, "machine_opts: builds");
		is_str(value_of(&b, "-machine"), "pc,accel=kvm,pit=off,hpet=off", "machine_opts appended");
		is_str(value_of(&b, "-cpu"), "host,pmu=off", "cpu model passed as is");
		c.machine_opts = "";
		qemu_build_argv(&c, &b);
		is_str(value_of(&b, "-machine"), "pc,accel=kvm", "empty machine_opts: nothing appended");
		c.machine_opts = "i8042=off";
		c.accel = "tcg";
		c.smp = 2;
		qemu_build_argv(&c, &b);
		is_str(value_of(&b, "-machine"), "pc,i8042=off", "machine_opts with single-threaded TCG");
	}
	/* which qemu: the microvm build only where it can run the child */
	is_str(qemu_binary_for(MACHINE_MICROVM, BOOT_DIRECT, "kvm", 1), QEMU_MICROVM,
	       "microvm child under KVM: the microvm build");
	is_str(qemu_binary_for(MACHINE_MICROVM, BOOT_DIRECT, "kvm", 0), QEMU_FULL,
	       "microvm build not asked for or absent: the full qemu");
	is_str(qemu_binary_for(MACHINE_MICROVM, BOOT_DIRECT, "tcg", 1), QEMU_FULL,
	       "under TCG: the full qemu (the microvm build is KVM only)");
	is_str(qemu_binary_for(MACHINE_MICROVM, BOOT_BOOTLOADER, "kvm", 1), QEMU_FULL,
	       "bootloader boot (pc): the full qemu");
	is_str(qemu_binary_for(MACHINE_PC, BOOT_DIRECT, "kvm", 1), QEMU_FULL, "pc: the full qemu");
	return tap_done();
}
