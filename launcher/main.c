/* main.c - supernested launcher: PID 1 of every level.
 *
 * Boot this level (modules, boot disk, read-only root), report that it is
 * up, then start the same image one level deeper through an in-memory
 * overlay, relay everything it says, report how it ended, and power off.
 * Never exits, never waits without a bound. */
#include "bootdisk.h"
#include "child.h"
#include "console.h"
#include "cpu_facts.h"
#include "kmod.h"
#include "kvm_device.h"
#include "kvm_stats.h"
#include "memory_policy.h"
#include "overlay.h"
#include "qemu_argv.h"
#include "report.h"
#include "settings.h"
#include "system.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define SYSROOT "/sysroot"
#define OVERLAY_DIR "/run/overlay"
#define QEMU "/usr/bin/qemu-system-x86_64"
#define CHILD_KERNEL "/boot/vmlinux"
#define CHILD_INITRD "/boot/initrd.img"
#define DISK_WAIT_MS 30000
#define HVC_WAIT_MS 5000
/* What a level 1 booted by hand needs, said whenever it lacks it. */
#define HAND_BOOT_COMMAND "qemu-system-x86_64 -enable-kvm -cpu host -m 8G -hda supernested.img -nographic" \
	" (or -accel tcg -cpu max where the host has no vmx/svm)"

static const struct mount_entry early_mounts[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
};

/* The root is the image itself, read-only: nothing below is ever written. */
static const struct mount_entry root_mounts[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755" },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777" },
	{ "tmpfs", "/var/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777" },
};

/* Paravirtual drivers (the disk and console of every level below 1, and of
 * level 1 under the host tool), the filesystem and fw_cfg. */
static const char *const boot_modules[] = {
	"virtio_pci", "virtio_mmio", "virtio_console", "virtio_blk",
	"crc32c_generic", "ext4", "qemu_fw_cfg",
};

/* IDE/SATA, for a level 1 booted by hand with -hda: loaded only when no
 * virtio disk carries the image, as probing empty ATA channels costs ~1 s
 * under TCG. */
static const char *const legacy_disk_modules[] = { "ata_piix", "ahci", "sd_mod" };

#define VIRTIO_DISK_WAIT_MS 300	/* virtio probes while its module loads */

static struct settings settings;
static char cmdline[4096];
static double launcher_start_s;	/* kernel uptime when PID 1 started */

static void say(const char *event, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A report line with one field. */
static void say(const char *event, const char *key, const char *fmt, ...)
{
	char value[REPORT_VALUE_MAX];
	struct report r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	report_init(&r, settings.level, event);
	if (key)
		report_add(&r, key, value);
	report_emit(&r);
}

static void summary_and_power_off(int deepest, enum outcome result, int failed_level)
	__attribute__((noreturn));

static void summary_and_power_off(int deepest, enum outcome result, int failed_level)
{
	struct report r;

	report_init(&r, settings.level, "summary");
	report_addf(&r, "deepest", "%d", deepest);
	report_add(&r, "result", outcome_name(result));
	report_addf(&r, "failed_level", "%d", failed_level);
	report_add(&r, "text", outcome_text(result));
	report_emit(&r);
	power_off();
}

/* This level cannot (or must not) go deeper: say why and how to fix it. */
static void stop(enum outcome why, const char *detail, const char *hint)
	__attribute__((noreturn));

static void stop(enum outcome why, const char *detail, const char *hint)
{
	struct report r;

	report_init(&r, settings.level, "stop");
	report_add(&r, "reason", outcome_name(why));
	report_add(&r, "detail", detail);
	if (hint)
		report_add(&r, "hint", hint);
	report_emit(&r);
	summary_and_power_off(settings.level, why, settings.level);
}

static void read_settings(void)
{
	char extra[1024];

	settings_defaults(&settings);
	read_text("/proc/cmdline", cmdline, sizeof(cmdline));
	settings_parse(&settings, cmdline);
	/* A level booted through the bootloader gets its settings by fw_cfg. */
	if (read_text(FW_CFG_SETTINGS_SYSFS, extra, sizeof(extra)) > 0)
		settings_parse(&settings, extra);
}

static void report_config_errors(void)
{
	for (int i = 0; i < settings.nerrors; i++) {
		struct report r;

		report_init(&r, settings.level, "config-error");
		report_add(&r, "key", settings.errors[i].key);
		report_add(&r, "value", settings.errors[i].value);
		report_add(&r, "detail", settings.errors[i].message);
		report_add(&r, "using", "default");
		report_emit(&r);
	}
}

static void load_modules(const char *const *names, size_t n, char *failed, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		int rc = kmod_load(names[i], NULL);

		if (rc < 0 && !failed[0])
			snprintf(failed, len, "%s: %s", names[i], strerror(-rc));
	}
}

static int find_boot_disk(struct bootdisk *disk, char *failed, size_t len)
{
	if (bootdisk_find(disk, VIRTIO_DISK_WAIT_MS) == 0)
		return 0;
	load_modules(legacy_disk_modules, sizeof(legacy_disk_modules) / sizeof(legacy_disk_modules[0]),
		     failed, len);
	return bootdisk_find(disk, DISK_WAIT_MS);
}

/* Load kvm and the vendor module with nested on.  Returns 0 or the outcome. */
static enum outcome load_kvm(const struct cpu_facts *cpu, char *detail, size_t len,
			     const char **hint)
{
	const char *vendor_mod = kvm_vendor_module(cpu);
	char log[4096];
	int rc;

	*hint = NULL;
	if (!vendor_mod) {
		snprintf(detail, len, "unknown CPU vendor %s", cpu->vendor_id);
		return OUTCOME_NO_VIRT;
	}
	rc = kmod_load(vendor_mod, "nested=1");
	if (rc == 0)
		return OUTCOME_NONE;
	kernel_log_tail(log, sizeof(log));
	snprintf(detail, len, "loading %s: %s", vendor_mod, strerror(-rc));
	return classify_kvm_load(log, hint);
}

static int nested_param(const struct cpu_facts *cpu)
{
	char path[96], text[16];
	const char *mod = kvm_vendor_module(cpu);

	if (!mod)
		return -1;
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/nested", mod);
	if (read_text(path, text, sizeof(text)) < 0)
		return -1;
	return parse_nested_param(text);
}

static void enter_root(const struct bootdisk *disk)
{
	char err[160];

	mkdir(SYSROOT, 0755);
	if (mount(disk->fs_dev, SYSROOT, "ext4", MS_RDONLY | MS_NOATIME, "") < 0) {
		char detail[160];

		snprintf(detail, sizeof(detail), "mount %s read-only: %s", disk->fs_dev,
			 strerror(errno));
		stop(OUTCOME_INTERNAL, detail, "the image is damaged: rebuild it with make image");
	}
	if (mount_table(root_mounts, sizeof(root_mounts) / sizeof(root_mounts[0]), SYSROOT,
			err, sizeof(err)))
		say("warning", "detail", "%s", err);
	if (chdir(SYSROOT) < 0 || chroot(".") < 0 || chdir("/") < 0)
		stop(OUTCOME_INTERNAL, "cannot enter the root filesystem", NULL);
}

static void report_up(const struct cpu_facts *cpu, int nested, long total_mb, long avail_mb)
{
	char sig[13];
	struct utsname u;
	struct report r;

	hypervisor_signature(sig);
	uname(&u);
	report_init(&r, settings.level, "up");
	report_addf(&r, "uptime_s", "%.3f", uptime_s());
	report_addf(&r, "launcher_s", "%.3f", uptime_s() - launcher_start_s);
	report_add(&r, "accel", hypervisor_name(sig));
	report_add(&r, "vendor", cpu->vendor_id[0] ? cpu->vendor_id : "unknown");
	report_add(&r, "cpu", cpu->model[0] ? cpu->model : "unknown");
	report_add(&r, "virt", cpu_virt_name(cpu));
	report_add(&r, "nested", nested < 0 ? "unknown" : nested ? "1" : "0");
	report_addf(&r, "smp", "%d", cpu->ncpus);
	report_addf(&r, "mem_mb", "%ld", total_mb);
	report_addf(&r, "avail_mb", "%ld", avail_mb);
	report_add(&r, "kernel", u.release);
	report_add(&r, "booted", strstr(cmdline, "BOOT_IMAGE=") ? "bootloader" : "direct");
	report_add(&r, "console", console_name());
	report_emit(&r);
}

int main(void)
{
	static char cpuinfo[1 << 18];	/* ~1.6 KiB per CPU */
	char err[160], detail[200], append[1400], child_settings[900], overlay_path[256];
	const char *hint = NULL;
	struct cpu_facts cpu;
	struct bootdisk disk;
	struct mem_plan plan;
	struct qemu_config qc;
	struct argv_builder argv;
	struct child_result res;
	long total_mb = 0, avail_mb = 0;
	enum outcome why;
	int nested, rc;

	mount_table(early_mounts, sizeof(early_mounts) / sizeof(early_mounts[0]), "", err,
		    sizeof(err));
	launcher_start_s = uptime_s();
	read_settings();
	err[0] = '\0';
	load_modules(boot_modules, sizeof(boot_modules) / sizeof(boot_modules[0]), err, sizeof(err));
	read_settings();	/* fw_cfg appears once its module is in */
	console_open(&settings, settings.report_console[0] ? HVC_WAIT_MS : 0);
	report_config_errors();
	if (err[0])
		say("warning", "detail", "module %s", err);

	read_text("/proc/cpuinfo", cpuinfo, sizeof(cpuinfo));
	cpu_facts_parse(cpuinfo, &cpu);
	why = OUTCOME_NONE;
	if (cpu.has_vmx || cpu.has_svm)
		why = load_kvm(&cpu, detail, sizeof(detail), &hint);

	if (find_boot_disk(&disk, err, sizeof(err)) < 0)
		stop(OUTCOME_INTERNAL, "boot disk not found: no block device carries the filesystem labelled " IMAGE_FS_LABEL,
		     "attach the image as a disk (-hda supernested.img or -drive file=supernested.img,if=virtio)");
	enter_root(&disk);

	nested = nested_param(&cpu);
	mem_info(&total_mb, &avail_mb);
	report_up(&cpu, nested, total_mb, avail_mb);

	if (settings.level >= settings.maxdepth) {
		snprintf(detail, sizeof(detail), "level %d is supernested.maxdepth", settings.level);
		stop(OUTCOME_MAX_DEPTH, detail, NULL);
	}
	if (!cpu.has_vmx && !cpu.has_svm)
		stop(OUTCOME_NO_VIRT, "the CPU of this level shows neither vmx nor svm",
		     settings.level == 1
			? "boot with a CPU that has them: " HAND_BOOT_COMMAND
			: "the level above does not pass vmx/svm to its guest (nested disabled there?)");
	if (why != OUTCOME_NONE)
		stop(why, detail, hint);
	if (!kvm_device_works(detail, sizeof(detail)))
		stop(OUTCOME_NO_KVM_DEV, detail, "is CONFIG_KVM on and the module loaded?");

	if (memory_plan(total_mb, avail_mb, settings.mem_mb, OVERLAY_MB,
			settings.maxdepth - settings.level - 1, &plan) < 0)
		stop(OUTCOME_NO_MEM, plan.why,
		     settings.level == 1 ? "give level 1 more memory: " HAND_BOOT_COMMAND
					 : "give level 1 more memory (supernested run --mem 8G)");

	rc = overlay_create(OVERLAY_DIR, OVERLAY_MB, disk.disk_dev, overlay_path,
			    sizeof(overlay_path), err, sizeof(err));
	if (rc < 0)
		stop(OUTCOME_INTERNAL, err, NULL);

	if (settings_format_child(&settings, child_settings, sizeof(child_settings)) < 0 ||
	    snprintf(append, sizeof(append),
		     "console=ttyS0%s " LEVEL_BOOT_ARGS "%s%s%s%s supernested.console=hvc0 %s",
		     settings.quiet ? " quiet" : "", settings.tune_args[0] ? " " : "",
		     settings.tune_args, settings.child_args[0] ? " " : "",
		     settings.child_args, child_settings) >= (int)sizeof(append))
		stop(OUTCOME_CONFIG, "the next level's kernel command line is too long",
		     "shorten supernested.args");
	qc = (struct qemu_config){
		.qemu = QEMU,
		.accel = "kvm",
		.cpu = settings.child_cpu,
		.mem_mb = plan.child_mb,
		.smp = settings.smp ? settings.smp : (int)sysconf(_SC_NPROCESSORS_ONLN),
		.boot = settings.boot,
		.machine = settings.machine,
		.machine_opts = settings.machine_opts,
		.firmware = access(QBOOT_FIRMWARE, R_OK) == 0 ? QBOOT_FIRMWARE : NULL,
		.kernel = CHILD_KERNEL,
		.initrd = CHILD_INITRD,
		.append = append,
		.fw_cfg_settings = settings.boot == BOOT_BOOTLOADER ? child_settings : NULL,
		.disk = overlay_path,
		.disk_format = "qcow2",
		.disk_bus = "virtio",
		.report_fd = 3,
	};
	if (settings.boot == BOOT_BOOTLOADER) {
		/* the bootloader's own command line names no report console */
		snprintf(append, sizeof(append), "%s supernested.console=hvc0", child_settings);
		qc.fw_cfg_settings = append;
	}
	if (qemu_build_argv(&qc, &argv) < 0)
		stop(OUTCOME_INTERNAL, "qemu command line too long", NULL);

	{
		struct report r;

		report_init(&r, settings.level, "child-start");
		report_addf(&r, "level", "%d", settings.level + 1);
		report_addf(&r, "mem_mb", "%d", qc.mem_mb);
		report_addf(&r, "need_mb", "%d", plan.need_mb);
		report_addf(&r, "reserve_mb", "%d", plan.reserve_mb);
		report_addf(&r, "smp", "%d", qc.smp);
		report_add(&r, "boot", boot_mode_name(qc.boot));
		report_add(&r, "machine", machine_name(qc.machine));
		report_add(&r, "cpu", qc.cpu);
		if (qc.machine_opts[0])
			report_add(&r, "machine_opts", qc.machine_opts);
		if (settings.tune_args[0])
			report_add(&r, "tune", settings.tune_args);
		report_add(&r, "accel", qc.accel);
		report_add(&r, "disk", disk.disk_dev);
		report_emit(&r);
	}
	rc = kvm_stats_start(cpu.has_vmx ? ISA_VMX : ISA_SVM, settings.profile);
	if (rc < 0)
		say("warning", "detail", "exit profile: %s", strerror(-rc));
	child_run(&settings, argv.argv, &res);

	/* A child without vmx/svm under a KVM whose nested is off: the cause is here. */
	if (res.result == OUTCOME_NO_VIRT && res.failed_level == settings.level + 1 && nested == 0)
		res.result = OUTCOME_NESTED_OFF;
	summary_and_power_off(res.deepest > settings.level ? res.deepest : settings.level,
			      res.result, res.failed_level);
}
