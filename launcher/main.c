/* main.c - supernested launcher: PID 1 of every level.
 *
 * Boot this level (modules, boot disk, read-only root), report that it is
 * up, then start the same image one level deeper through an in-memory
 * overlay, relay everything it says, report how it ended, and power off.
 * Never exits, never waits without a bound. */
#include "bootdisk.h"
#include "budget.h"
#include "by_hand.h"
#include "child.h"
#include "console.h"
#include "cpu_facts.h"
#include "exercised.h"
#include "image_info.h"
#include "inject.h"
#include "kmod.h"
#include "kvm_device.h"
#include "kvm_stats.h"
#include "memory_policy.h"
#include "monitor.h"
#include "overlay.h"
#include "qemu_argv.h"
#include "report.h"
#include "settings.h"
#include "smp_probe.h"
#include "system.h"

#include <dirent.h>
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
#define CHILD_INITRD "/boot/initrd.img"
#define DISK_WAIT_MS 30000
#define REPORT_PORT_WAIT_MS 5000	/* for the report port to appear */
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
static struct image_info image;	/* what the image says about itself */
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
	report_init_node(&r, &settings.node, event);
	if (key)
		report_add(&r, key, value);
	report_emit(&r);
}

/* One summary: of this level's whole chain, or (@path) of one branch of
 * its tree that ended at @path (tree.h). */
/* @branches: in a tree, how many summaries this level sends in all (its
 * parent waits for every one), else 0. */
static void summary(const struct node *path, int branches, int deepest, enum outcome result,
		    const struct node *failed)
{
	struct report r;

	report_init_node(&r, &settings.node, "summary");
	if (path)
		report_add_node(&r, "path", path);
	if (branches)
		report_addf(&r, "branches", "%d", branches);
	report_addf(&r, "deepest", "%d", deepest);
	report_add(&r, "result", outcome_name(result));
	report_add_node(&r, "failed_level", failed);
	report_add(&r, "text", outcome_text(result));
	report_emit(&r);
}

static void summary_and_power_off(int deepest, enum outcome result, int failed_level)
	__attribute__((noreturn));

static void summary_and_power_off(int deepest, enum outcome result, int failed_level)
{
	struct node failed = settings.node;

	/* below this level: its first child's branch (a chain has no other) */
	while (failed.level < failed_level && node_child(&failed, 1, &failed) == 0)
		;
	summary(NULL, 0, deepest, result, &failed);
	by_hand_answer();
	power_off();
}

/* This level cannot (or must not) go deeper: say why and how to fix it. */
static void stop(enum outcome why, const char *detail, const char *hint)
	__attribute__((noreturn));

/* A level that stops on a failure shows its last kernel lines, as a parent
 * shows a failed child's. */
#define STOP_EVIDENCE_MAX 8

static void stop_evidence(void)
{
	static char log[8192];
	const char *ring[STOP_EVIDENCE_MAX];
	int n = 0, max = settings.evidence < STOP_EVIDENCE_MAX ? settings.evidence : STOP_EVIDENCE_MAX;
	char *save = NULL;

	if (max <= 0)
		return;
	kernel_log_tail(log, sizeof(log));
	for (char *l = strtok_r(log, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		ring[n++ % max] = l;
	for (int i = n > max ? n - max : 0; i < n; i++) {
		struct report r;

		report_init_node(&r, &settings.node, "evidence");
		report_add_node(&r, "level", &settings.node);
		report_add(&r, "text", ring[i % max]);
		report_emit(&r);
	}
}

static void stop(enum outcome why, const char *detail, const char *hint)
{
	struct report r;

	report_init_node(&r, &settings.node, "stop");
	report_add(&r, "reason", outcome_name(why));
	report_add(&r, "detail", detail);
	if (hint)
		report_add(&r, "hint", hint);
	report_emit(&r);
	if (outcome_is_failure(why))
		stop_evidence();
	summary_and_power_off(settings.level, why, settings.level);
}

/* Level 1 booted by hand: nobody (no parent, no host tool) set its level. */
static int by_hand;

static void read_settings(void)
{
	char extra[1024] = "";

	settings_defaults(&settings);
	read_text("/proc/cmdline", cmdline, sizeof(cmdline));
	settings_parse(&settings, cmdline);
	/* A level booted through the bootloader gets its settings by fw_cfg. */
	if (read_text(FW_CFG_SETTINGS_SYSFS, extra, sizeof(extra)) > 0)
		settings_parse(&settings, extra);
	by_hand = !strstr(cmdline, "supernested.level=") && !strstr(extra, "supernested.level=");
	settings_settle_node(&settings);
}

static void report_config_errors(void)
{
	for (int i = 0; i < settings.nerrors; i++) {
		struct report r;

		report_init_node(&r, &settings.node, "config-error");
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

static char kvm_log[4096];	/* the kernel's last words when KVM would not load */

/* The last lines of @log as this level's evidence: why KVM is missing. */
static void kvm_evidence(const char *log, int max)
{
	const char *start = log + strlen(log);
	int lines = 0;

	while (start > log && lines <= max)
		if (*--start == '\n' && start[1])
			lines++;
	if (*start == '\n')
		start++;
	for (const char *p = start; *p;) {
		size_t n = strcspn(p, "\n");
		struct report r;
		char text[256];

		snprintf(text, sizeof(text), "%.*s", (int)(n < sizeof(text) ? n : sizeof(text) - 1), p);
		report_init_node(&r, &settings.node, "evidence");
		report_add_node(&r, "level", &settings.node);
		report_add(&r, "text", text);
		report_emit(&r);
		p += n + (p[n] == '\n');
	}
}

/* Load kvm and the vendor module with nested on (a KVM built in is loaded
 * already: nested comes from the command line).  Returns 0 or the outcome. */
static enum outcome load_kvm(const struct cpu_facts *cpu, char *detail, size_t len,
			     const char **hint)
{
	const char *vendor_mod = inject_kvm_module(&settings.inject, &settings.node,
						   kvm_vendor_module(cpu));
	char *log = kvm_log;
	int rc;

	*hint = NULL;
	if (!vendor_mod) {
		snprintf(detail, len, "unknown CPU vendor %s", cpu->vendor_id);
		return OUTCOME_NO_VIRT;
	}
	rc = kmod_load(vendor_mod, inject_kvm_params(&settings.inject, &settings.node));
	if (rc == 0)
		return OUTCOME_NONE;
	kernel_log_tail(log, sizeof(kvm_log));
	snprintf(detail, len, "loading %s: %s", vendor_mod, strerror(-rc));
	if (rc == -ENOENT) {	/* not built in and not in the initrd: say so, last */
		snprintf(log + strlen(log), sizeof(kvm_log) - strlen(log),
			 "%s: neither built in nor in the initrd's modules.dep\n", vendor_mod);
		/* whatever else the log says (a built-in kvm_intel on AMD: "no
		 * hardware support"), the module is what is missing */
		*hint = "build the image with the KVM vendor module (image/initrd-modules) or built in";
		return OUTCOME_KVM_MODULE;
	}
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

static void read_image_info(void)
{
	char text[IMAGE_INFO_MAX];

	image_info_defaults(&image);
	if (read_text(IMAGE_INFO_PATH, text, sizeof(text)) < 0)
		say("warning", "detail", "%s missing: an image from before versions", IMAGE_INFO_PATH);
	else if (image_info_parse(text, &image) < 0)
		say("warning", "detail", "%s has a malformed line", IMAGE_INFO_PATH);
}

/* How this level's kernel was entered: PVH, qemu's bzImage loader, syslinux. */
static const char *boot_entry(void)
{
	unsigned char bp[BOOT_PARAMS_LOADER_OFFSET + 1];
	int fd = open(BOOT_PARAMS_SYSFS, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : pread(fd, bp, sizeof(bp), 0);

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(bp))
		return "unknown";
	return boot_entry_name(bp[BOOT_PARAMS_LOADER_OFFSET],
			       bp[BOOT_PARAMS_VERSION_OFFSET] | bp[BOOT_PARAMS_VERSION_OFFSET + 1] << 8);
}

static const char *crng_state(void)
{
	int rc = crng_ready();

	return rc > 0 ? "ready" : rc == 0 ? "waiting" : "unknown";
}

#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage/enabled"
/* the small kernel's tick stride as it took it (image/kernel-patches) */
#define TICK_STRIDE_PARAM "/sys/module/kernel/parameters/" SLOW_TICK_WORD

/* How this level's child's RAM is backed (see thp_mode); "none": a kernel
 * without transparent huge pages. */
static const char *thp_state(void)
{
	char text[128];

	if (read_text(THP_SYSFS, text, sizeof(text)) < 0)
		return "none";
	return thp_mode(text);
}

/* What makes the next level start or run far slower than it need, said
 * before it starts. */
static void warn_slow_child_start(void)
{
	const char *thp = thp_state();

	if (crng_ready() == 0)	/* qemu's first getrandom() blocks until it is */
		say("warning", "detail", "random pool not initialised: this level's qemu waits for "
		    "entropy, seconds under TCG (boot with random.trust_cpu=on on a CPU with rdrand)");
	if (strcmp(thp, "always") && strcmp(thp, "madvise"))
		say("warning", "detail", "transparent huge pages: %s; the next level's RAM is on 4 KiB "
		    "pages, a nested page fault for each (CONFIG_TRANSPARENT_HUGEPAGE, "
		    "transparent_hugepage=madvise)", thp);
}

/* Entries of a driver's sysfs directory that are not a device bound to it. */
static const char *const driver_attrs[] = { "bind", "unbind", "uevent", "module", "new_id",
					    "remove_id" };

/* Devices bound to the driver of sysfs directory @dir; 0 when none or no such driver. */
static int bound_devices(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		int attr = de->d_name[0] == '.';

		for (size_t i = 0; i < sizeof(driver_attrs) / sizeof(driver_attrs[0]) && !attr; i++)
			attr = !strcmp(de->d_name, driver_attrs[i]);
		n += !attr;
	}
	if (d)
		closedir(d);
	return n;
}

/* A sysfs hex attribute of PCI device @dev; 0, or -1 when unreadable. */
static int pci_attr(const char *dev, const char *attr, unsigned *out)
{
	char path[320], text[32];

	if (snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", dev, attr) >= (int)sizeof(path) ||
	    read_text(path, text, sizeof(text)) < 0)
		return -1;
	return exercised_sysfs_hex(text, out);
}

/* What this level's own machine makes its kernel exercise, as the kernel
 * found it (results/exercised.h): settings say what was asked, this what
 * happened.  Two profiles differ here or not at all. */
static void read_exercised(struct exercised *e)
{
	static char timer_list[1 << 17];	/* a few KiB per CPU */
	unsigned cls, vendor = 0, device = 0;
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *de;
	int bridge = 0;
	char text[64];

	exercised_init(e);
	if (d) {
		e->pci = 0;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			e->pci++;
			/* the host bridge, class 06 00 xx, names the chipset */
			if (!bridge && pci_attr(de->d_name, "class", &cls) == 0 && cls >> 8 == 0x0600 &&
			    pci_attr(de->d_name, "vendor", &vendor) == 0 &&
			    pci_attr(de->d_name, "device", &device) == 0)
				bridge = 1;
		}
		closedir(d);
	}
	exercised_machine(e, bridge, vendor, device, e->pci,
			  bound_devices("/sys/bus/platform/drivers/virtio-mmio"));
	/* perf registers its "cpu" PMU only when the counters answered
	 * (check_hw_exists): without one the kernel said "PMU not available" */
	if (access("/sys/bus/event_source/devices", F_OK) == 0)
		e->pmu = access("/sys/bus/event_source/devices/cpu", F_OK) == 0;
	if (read_text("/sys/devices/system/clockevents/clockevent0/current_device", text,
		      sizeof(text)) >= 0)
		exercised_timer(e, text);
	if (read_text("/proc/timer_list", timer_list, sizeof(timer_list)) >= 0)
		exercised_tick(e, timer_list);
}

static void report_up(const struct cpu_facts *cpu, const struct ipi_counts *ipis, int nested,
		      long total_mb, long avail_mb)
{
	struct exercised ex;
	char exercised[128], stride[16];
	int nstride;
	char sig[13];
	struct utsname u;
	struct report r;

	hypervisor_signature(sig);
	uname(&u);
	report_init_node(&r, &settings.node, "up");
	report_addf(&r, "uptime_s", "%.3f", uptime_s());
	report_addf(&r, "launcher_s", "%.3f", uptime_s() - launcher_start_s);
	report_add(&r, "accel", hypervisor_name(sig));
	report_add(&r, "vendor", cpu->vendor_id[0] ? cpu->vendor_id : "unknown");
	report_add(&r, "cpu", cpu->model[0] ? cpu->model : "unknown");
	report_add(&r, "virt", cpu_virt_name(cpu));
	report_add(&r, "nested", nested < 0 ? "unknown" : nested ? "1" : "0");
	report_addf(&r, "smp", "%d", cpu->ncpus);
	if (ipis) {
		report_addf(&r, "ipi_tlb", "%lld", ipis->tlb);
		report_addf(&r, "ipi_call", "%lld", ipis->call);
		report_addf(&r, "ipi_resched", "%lld", ipis->resched);
	}
	read_exercised(&ex);
	if (exercised_format(&ex, exercised, sizeof(exercised)) > 0)
		report_add(&r, "exercised", exercised);
	if (read_text(TICK_STRIDE_PARAM, stride, sizeof(stride)) > 0 && (nstride = atoi(stride)) > 1)
		report_addf(&r, "tick_stride", "%d", nstride);	/* its kernel ticks every N jiffies */
	report_addf(&r, "mem_mb", "%ld", total_mb);
	report_addf(&r, "avail_mb", "%ld", avail_mb);
	report_add(&r, "kernel", u.release);
	report_add(&r, "booted", strstr(cmdline, "BOOT_IMAGE=") ? "bootloader" : "direct");
	report_add(&r, "entry", boot_entry());
	report_add(&r, "version", image.version);
	report_add(&r, "qemu", image.qemu_version);
	report_add(&r, "console", console_name());
	report_add(&r, "crng", crng_state());
	report_add(&r, "thp", thp_state());
	report_addf(&r, "maxdepth", "%d", settings.maxdepth);
	if (settings.width > 1)
		report_addf(&r, "width", "%d", settings.width);
	report_emit(&r);
}

/* This level's KVM has nested off, so its child showed no vmx/svm: the
 * cause is here, and the child's row says so. */
static void blame_nested_off(const struct node *child, struct child_result *res)
{
	char name[NODE_NAME_MAX], own[NODE_NAME_MAX];
	struct report r;

	node_format(child, name, sizeof(name));
	node_format(&settings.node, own, sizeof(own));
	report_init_node(&r, &settings.node, "child-fail");
	report_add_node(&r, "level", child);
	report_add(&r, "reason", outcome_name(OUTCOME_NESTED_OFF));
	report_addf(&r, "detail", "level %s's KVM has nested=0, so level %s has no vmx/svm", own, name);
	report_add(&r, "hint", "load kvm_amd/kvm_intel with nested=1");
	report_emit(&r);
	res->result = OUTCOME_NESTED_OFF;
	res->failed_level = child->level;
	res->nbranches = 0;	/* its branch ends at it, with this outcome */
}

/* What this level found out about itself, for the steps after it. */
struct level_facts {
	struct cpu_facts cpu;
	struct bootdisk disk;
	struct mem_plan plan;
	long total_mb, avail_mb;
	double own_boot_s;	/* kernel uptime when this level was up */
	int nested;		/* its vendor module's nested parameter, -1 unknown */
	enum outcome kvm_why;	/* why KVM would not load, OUTCOME_NONE when it did */
	const char *kvm_hint;
	char kvm_detail[200];
};

/* The child, as it will be started; the strings qc points into live here. */
struct child_plan {
	struct node node;	/* its name in the tree (node.h) */
	char overlay_dir[64], monitor[64];
	char append[1400], child_settings[900], overlay_path[256];
	char tick_words[32];	/* its slower tick, at depth (settings_tick_words) */
	const char *inject_extra[4];
	struct qemu_config qc;
	struct argv_builder argv;
	struct budget budget;
	struct vcpu_pins pins;	/* where its vCPU threads run here */
};

/* Step 1: mounts, settings, modules and the report console. */
static void start_launcher(void)
{
	char err[160];

	mount_table(early_mounts, sizeof(early_mounts) / sizeof(early_mounts[0]), "", err,
		    sizeof(err));
	launcher_start_s = uptime_s();
	read_settings();
	err[0] = '\0';
	load_modules(boot_modules, sizeof(boot_modules) / sizeof(boot_modules[0]), err, sizeof(err));
	read_settings();	/* fw_cfg appears once its module is in */
	console_open(&settings, settings.report_console[0] ? REPORT_PORT_WAIT_MS : 0);
	if (by_hand)
		by_hand_start(settings.maxdepth, settings.width);
	report_config_errors();
	if (err[0])
		say("warning", "detail", "module %s", err);
}

/* With several CPUs, the IPIs they sent each other around a small
 * workload (the up line carries them); NULL with one, or when the
 * workload could not run (said in a warning). */
static const struct ipi_counts *prove_cpus(const struct cpu_facts *cpu, struct ipi_counts *ipis)
{
	int rc;

	if (cpu->ncpus < 2)
		return NULL;
	rc = smp_probe_ipis(cpu->ncpus, ipis);
	if (rc == 0)
		return ipis;
	if (rc == -ERANGE)
		say("warning", "detail", "%d CPUs: IPIs not counted, the workload takes at most %d",
		    cpu->ncpus, SMP_VCPUS_MAX);
	else
		say("warning", "detail", "%d CPUs, but the IPI workload did not run on all of them: %s",
		    cpu->ncpus, strerror(-rc));
	return NULL;
}

/* Step 2: the CPU, KVM, the boot disk and memory; then report up. */
static void come_up(struct level_facts *f)
{
	static char cpuinfo[1 << 18];	/* ~1.6 KiB per CPU */
	struct ipi_counts ipis;
	char err[160];

	read_text("/proc/cpuinfo", cpuinfo, sizeof(cpuinfo));
	cpu_facts_parse(cpuinfo, &f->cpu);
	f->kvm_why = OUTCOME_NONE;
	if (f->cpu.has_vmx || f->cpu.has_svm) {
		inject_before_kvm_load(&settings);
		f->kvm_why = load_kvm(&f->cpu, f->kvm_detail, sizeof(f->kvm_detail), &f->kvm_hint);
	}
	if (find_boot_disk(&f->disk, err, sizeof(err)) < 0)
		stop(OUTCOME_INTERNAL, "boot disk not found: no block device carries the filesystem labelled " IMAGE_FS_LABEL,
		     "attach the image as a disk (-hda supernested.img or -drive file=supernested.img,if=virtio)");
	enter_root(&f->disk);
	read_image_info();

	f->nested = nested_param(&f->cpu);

	inject_before_up(&settings);
	mem_info(&f->total_mb, &f->avail_mb);
	f->own_boot_s = uptime_s();
	report_up(&f->cpu, prove_cpus(&f->cpu, &ipis), f->nested, f->total_mb, f->avail_mb);
	inject_after_up(&settings);
}

/* Step 3: stop here, with the reason, unless a child can be started. */
static void check_can_go_deeper(struct level_facts *f)
{
	char detail[200];
	double now;

	if (settings.level >= settings.maxdepth) {
		snprintf(detail, sizeof(detail), "level %d is supernested.maxdepth", settings.level);
		stop(OUTCOME_MAX_DEPTH, detail, NULL);
	}
	if (!f->cpu.has_vmx && !f->cpu.has_svm)
		stop(OUTCOME_NO_VIRT, "the CPU of this level shows neither vmx nor svm",
		     settings.level == 1
			? "boot with a CPU that has them: " HAND_BOOT_COMMAND
			: "the level above does not pass vmx/svm to its guest (nested disabled there?)");
	if (f->kvm_why != OUTCOME_NONE) {
		kvm_evidence(kvm_log, 5);
		stop(f->kvm_why, f->kvm_detail, f->kvm_hint);
	}
	inject_before_kvm_check(&settings);
	if (!kvm_device_works(detail, sizeof(detail)))
		stop(OUTCOME_NO_KVM_DEV, detail, "is CONFIG_KVM on and the module loaded?");
	if (memory_plan_children(f->total_mb, f->avail_mb, settings.mem_mb, OVERLAY_MB,
				 settings.maxdepth - settings.level - 1, settings.width, &f->plan) < 0)
		stop(OUTCOME_NO_MEM, f->plan.why,
		     settings.level == 1 ? "give level 1 more memory: " HAND_BOOT_COMMAND
					 : "give level 1 more memory (supernested run --mem 8G)");
	now = wall_clock_s();
	if (settings.deadline && !budget_deadline_usable(settings.deadline, now)) {
		say("warning", "detail", "supernested.deadline=%lld ignored: this level's clock says %.0f",
		    settings.deadline, now);
		settings.deadline = 0;
	}
	if (settings.deadline && budget_stop_by((double)settings.deadline, now) < BUDGET_DEADLINE_MIN_CHILD_S) {
		snprintf(detail, sizeof(detail),
			 "the run's time limit: %.0f s left at level %d, too little to start level %d",
			 (double)settings.deadline - now, settings.level, settings.level + 1);
		stop(OUTCOME_RUN_LIMIT, detail,
		     "give the run more time: supernested run --timeout, or by hand supernested.deadline");
	}
}

/* Step 4: child @index's disk overlay, command line, qemu argv and budget
 * (the first child's overlay and monitor where a chain has always had them). */
static void plan_child(const struct level_facts *f, int index, struct child_plan *c)
{
	const char *inject_words;
	char err[160];
	double now, stop_by;
	int rc;

	if (node_child(&settings.node, index, &c->node) < 0)
		stop(OUTCOME_INTERNAL, "no such child", NULL);
	if (index == 1) {
		snprintf(c->overlay_dir, sizeof(c->overlay_dir), "%s", OVERLAY_DIR);
		snprintf(c->monitor, sizeof(c->monitor), "%s", MONITOR_SOCKET);
	} else {
		snprintf(c->overlay_dir, sizeof(c->overlay_dir), "%s-%d", OVERLAY_DIR, index);
		snprintf(c->monitor, sizeof(c->monitor), "/run/monitor-%d.sock", index);
	}
	rc = overlay_create(c->overlay_dir, OVERLAY_MB, f->disk.disk_dev, c->overlay_path,
			    sizeof(c->overlay_path), err, sizeof(err));
	if (rc < 0)
		stop(OUTCOME_INTERNAL, err, NULL);

	/* the run's limit, if any: when this level stops the child, and the
	 * child's own deadline */
	now = wall_clock_s();
	stop_by = budget_stop_by((double)settings.deadline, now);
	settings.child_deadline = budget_child_deadline(settings.deadline, now);
	inject_words = inject_kernel_words(&settings.inject, &c->node);
	if (settings_format_child(&settings, index, c->child_settings, sizeof(c->child_settings)) < 0 ||
	    settings_tick_words(&settings, c->node.level, c->tick_words, sizeof(c->tick_words)) < 0 ||
	    snprintf(c->append, sizeof(c->append),
		     "console=ttyS0%s " LEVEL_BOOT_ARGS "%s%s%s%s%s%s%s%s supernested.console=" REPORT_PORT_NAME " %s",
		     settings.quiet ? " quiet" : "", inject_words[0] ? " " : "", inject_words,
		     settings.tune_args[0] ? " " : "", settings.tune_args,
		     c->tick_words[0] ? " " : "", c->tick_words, settings.child_args[0] ? " " : "",
		     settings.child_args, c->child_settings) >= (int)sizeof(c->append))
		stop(OUTCOME_CONFIG, "the next level's kernel command line is too long",
		     "shorten supernested.args");
	c->qc = (struct qemu_config){
		.qemu = qemu_binary_for(settings.machine, settings.boot, "kvm",
					settings.qemu_microvm && access(QEMU_MICROVM, X_OK) == 0),
		.accel = "kvm",
		.cpu = settings.child_cpu,
		.mem_mb = f->plan.child_mb,
		.smp = settings.smp ? settings.smp : (int)sysconf(_SC_NPROCESSORS_ONLN),
		.boot = settings.boot,
		.machine = settings.machine,
		.machine_opts = settings.machine_opts,
		.firmware = access(QBOOT_FIRMWARE, R_OK) == 0 ? QBOOT_FIRMWARE : NULL,
		.kernel = image.child_kernel,
		.initrd = CHILD_INITRD,
		.append = c->append,
		.fw_cfg_settings = settings.boot == BOOT_BOOTLOADER ? c->child_settings : NULL,
		.disk = c->overlay_path,
		.disk_format = "qcow2",
		.disk_bus = "virtio",
		.report_fd = 3,
	};
	if (settings.boot == BOOT_BOOTLOADER) {
		/* the bootloader's own command line names no report console,
		 * and keeps the kernel's own tick */
		c->tick_words[0] = '\0';
		snprintf(c->append, sizeof(c->append), "%s supernested.console=" REPORT_PORT_NAME,
			 c->child_settings);
		c->qc.fw_cfg_settings = c->append;
	}
	c->qc.monitor_path = c->monitor;
	vcpu_pins_init(&c->pins, c->qc.smp, f->cpu.ncpus);
	inject_qemu_config(&settings.inject, &c->node, &c->qc, c->inject_extra);
	rc = inject_prepare_child(&settings, &c->node);
	if (rc < 0)
		stop(OUTCOME_INTERNAL, "fault injection: cannot write " INJECT_FIRMWARE, strerror(-rc));
	if (qemu_build_argv(&c->qc, &c->argv) < 0)
		stop(OUTCOME_INTERNAL, "qemu command line too long", NULL);
	c->budget = (struct budget){
		.up_within_s = budget_up_within(f->own_boot_s, settings.timeout_s, settings.level + 1),
		.explicit_s = settings.timeout_s,
		.levels_below = settings.maxdepth - settings.level - 1,
		.child_level = settings.level + 1,
	};
	c->budget.up_limit_s = budget_extend_limit(c->budget.up_within_s);
	if (stop_by) {	/* negative: the limit came since the check */
		c->budget.stop_by_s = stop_by > 0 ? stop_by : 1;
		budget_within_stop_by(&c->budget);
	}
}

/* Step 5: say what is started, with what, and for how long. */
static void report_child_start(const struct level_facts *f, const struct child_plan *c)
{
	struct report r;

	report_init_node(&r, &settings.node, "child-start");
	report_add_node(&r, "level", &c->node);
	report_addf(&r, "mem_mb", "%d", c->qc.mem_mb);
	report_addf(&r, "need_mb", "%d", f->plan.need_mb);
	report_addf(&r, "reserve_mb", "%d", f->plan.reserve_mb);
	report_addf(&r, "smp", "%d", c->qc.smp);
	report_add(&r, "boot", boot_mode_name(c->qc.boot));
	report_add(&r, "machine", machine_name(c->qc.machine));
	report_add(&r, "qemu_bin", strrchr(c->qc.qemu, '/') + 1);
	report_add(&r, "cpu", c->qc.cpu);
	if (c->qc.machine_opts[0])
		report_add(&r, "machine_opts", c->qc.machine_opts);
	if (settings.tune_args[0])
		report_add(&r, "tune", settings.tune_args);
	if (c->tick_words[0])	/* "lapic_tick_stride=8": a tick every 8 jiffies */
		report_addf(&r, "tick_stride", "%d", settings.slow_tick);
	report_add(&r, "accel", c->qc.accel);
	report_add(&r, "disk", f->disk.disk_dev);
	report_addf(&r, "budget_s", "%.0f", c->budget.up_within_s);
	if (settings.child_deadline)	/* the run's limit, wall clock */
		report_addf(&r, "deadline", "%lld", settings.child_deadline);
	report_emit(&r);
}

/* Step 6: run the children to their ends at once, relaying their reports. */
static void run_children(const struct level_facts *f, struct child_plan *c, int n,
			 struct child_result *res)
{
	struct child_spec spec[NODE_WIDTH_MAX];
	int rc;

	warn_slow_child_start();
	/* the exit-reason histograms are this level's KVM's, all VMs in one:
	 * armed only when there is one child to give them to */
	rc = kvm_stats_start(f->cpu.has_vmx ? ISA_VMX : ISA_SVM, settings.profile && n == 1);
	if (rc < 0)
		say("warning", "detail", "exit profile: %s", strerror(-rc));
	for (int i = 0; i < n; i++)
		spec[i] = (struct child_spec){ .node = c[i].node, .argv = c[i].argv.argv,
					       .pins = &c[i].pins, .budget = &c[i].budget,
					       .monitor = c[i].monitor };
	children_run(&settings, spec, n, res);
	for (int i = 0; i < n; i++)
		if (res[i].result == OUTCOME_NO_VIRT && res[i].failed_level == settings.level + 1 &&
		    f->nested == 0)
			blame_nested_off(&c[i].node, &res[i]);
}

/* Step 7, in a tree: one summary per branch below this level (tree.h),
 * each child's as it said them, or the child itself when it failed. */
static void branch_summaries(const struct child_plan *c, const struct child_result *res, int n)
{
	int all = 0;

	for (int i = 0; i < n; i++)
		all += res[i].nbranches ? res[i].nbranches : 1;
	for (int i = 0; i < n; i++) {
		if (res[i].nbranches == 0) {
			/* the branch ends at the child: on every chain below it,
			 * the child is the deepest that all of them saw up */
			int deepest = res[i].came_up ? c[i].node.level : settings.level;
			struct node failed = c[i].node;

			summary(&c[i].node, all, deepest, res[i].result, &failed);
			continue;
		}
		for (int b = 0; b < res[i].nbranches; b++)
			summary(&res[i].branch[b].path, all, res[i].branch[b].deepest, res[i].branch[b].result,
				&res[i].branch[b].failed);
	}
}

/* PID 1: every step either goes on or stops the chain here with a report
 * (stop() and summary_and_power_off() never return). */
int main(void)
{
	static struct level_facts facts;
	static struct child_plan child[NODE_WIDTH_MAX];
	static struct child_result res[NODE_WIDTH_MAX];
	int n;

	start_launcher();
	come_up(&facts);
	check_can_go_deeper(&facts);
	n = settings.width;
	for (int i = 0; i < n; i++) {
		plan_child(&facts, i + 1, &child[i]);
		report_child_start(&facts, &child[i]);
	}
	run_children(&facts, child, n, res);
	if (n > 1) {
		branch_summaries(child, res, n);
		by_hand_answer();
		power_off();
	}
	summary_and_power_off(res[0].deepest > settings.level ? res[0].deepest : settings.level,
			      res[0].result, res[0].failed_level);
}
