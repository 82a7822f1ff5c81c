/* qemu_argv.c - the qemu command line for the next level (see qemu_argv.h). */
#include "qemu_argv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void argv_init(struct argv_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void argv_add(struct argv_builder *b, const char *arg)
{
	size_t n = strlen(arg) + 1;

	if (b->argc >= ARGV_MAX || b->used + n > sizeof(b->storage)) {
		b->overflow = 1;
		return;
	}
	memcpy(b->storage + b->used, arg, n);
	b->argv[b->argc++] = b->storage + b->used;
	b->argv[b->argc] = NULL;
	b->used += n;
}

void argv_addf(struct argv_builder *b, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		b->overflow = 1;
		return;
	}
	argv_add(b, buf);
}

int qemu_opt_escape(const char *value, char *buf, size_t len)
{
	size_t o = 0;

	for (const char *p = value; *p; p++) {
		size_t need = *p == ',' ? 2 : 1;

		if (o + need >= len)
			return -ENOSPC;
		buf[o++] = *p;
		if (*p == ',')
			buf[o++] = ',';
	}
	if (o >= len)
		return -ENOSPC;
	buf[o] = '\0';
	return (int)o;
}

/* Add "prefix<escaped value>suffix" as one argument. */
static void add_escaped(struct argv_builder *b, const char *prefix, const char *value,
			const char *suffix)
{
	char esc[2048];

	if (qemu_opt_escape(value, esc, sizeof(esc)) < 0) {
		b->overflow = 1;
		return;
	}
	argv_addf(b, "%s%s%s", prefix, esc, suffix);
}

const char *qemu_binary_for(enum machine_type machine, enum boot_mode boot, const char *accel,
			    int microvm_build)
{
	return microvm_build && machine == MACHINE_MICROVM && boot == BOOT_DIRECT &&
	       !strcmp(accel, "kvm") ? QEMU_MICROVM : QEMU_FULL;
}

int qemu_build_argv(const struct qemu_config *c, struct argv_builder *b)
{
	char esc[1024];
	const char *mopts;
	int microvm;

	argv_init(b);
	argv_add(b, c->qemu);
	/* Only the devices we name: every emulated device costs exits at depth. */
	argv_add(b, "-nodefaults");
	argv_add(b, "-no-user-config");
	argv_add(b, "-display");
	argv_add(b, "none");
	/* vCPU threads named "CPU n/KVM": the launcher finds and pins them */
	argv_add(b, "-name");
	argv_add(b, "supernested,debug-threads=on");
	/* microvm has no BIOS disk boot: the bootloader path needs pc */
	microvm = c->machine == MACHINE_MICROVM && c->boot == BOOT_DIRECT;
	mopts = c->machine_opts && *c->machine_opts ? c->machine_opts : NULL;
	argv_add(b, "-machine");
	if (!strcmp(c->accel, "tcg") && c->smp > 1) {
		/* Multi-threaded TCG with emulated SVM locked level 1 up as soon
		 * as level 2 started (soft lockups); one TCG thread does not. */
		argv_addf(b, "%s%s%s", microvm ? "microvm" : "pc", mopts ? "," : "",
			  mopts ? mopts : "");
		argv_add(b, "-accel");
		argv_add(b, "tcg,thread=single");
	} else {
		argv_addf(b, "%s,accel=%s%s%s", microvm ? "microvm" : "pc", c->accel,
			  mopts ? "," : "", mopts ? mopts : "");
	}
	argv_add(b, "-cpu");
	argv_add(b, c->cpu);
	argv_add(b, "-m");
	argv_addf(b, "%d", c->mem_mb);
	argv_add(b, "-smp");
	argv_addf(b, "%d", c->smp > 0 ? c->smp : 1);
	/* A guest reboot (panic=-1) ends qemu: the parent sees the end at once. */
	argv_add(b, "-no-reboot");

	if (c->boot == BOOT_DIRECT) {
		if (c->firmware && !microvm) {
			argv_add(b, "-bios");
			argv_add(b, c->firmware);
		}
		argv_add(b, "-kernel");
		argv_add(b, c->kernel);
		argv_add(b, "-initrd");
		argv_add(b, c->initrd);
		argv_add(b, "-append");
		argv_add(b, c->append);
	}
	if (c->fw_cfg_settings && *c->fw_cfg_settings) {
		argv_add(b, "-fw_cfg");
		add_escaped(b, "name=" FW_CFG_SETTINGS_NAME ",string=", c->fw_cfg_settings, "");
	}

	argv_add(b, "-drive");
	if (qemu_opt_escape(c->disk, esc, sizeof(esc)) < 0)
		b->overflow = 1;
	else if (microvm)	/* no PCI: the disk is a virtio-mmio device */
		argv_addf(b, "file=%s,format=%s,if=none,id=disk0,cache=unsafe", esc, c->disk_format);
	else
		argv_addf(b, "file=%s,format=%s,if=%s,cache=unsafe", esc, c->disk_format,
			  c->disk_bus);
	if (microvm) {
		argv_add(b, "-device");
		argv_add(b, "virtio-blk-device,drive=disk0");
	}

	argv_add(b, "-chardev");
	argv_add(b, "stdio,id=serial0,signal=off");
	argv_add(b, "-serial");
	argv_add(b, "chardev:serial0");

	if (c->report_fd >= 0) {
		/* The report stream on a paravirtual console: far fewer exits per
		 * byte than an emulated UART, which matters at depth. */
		argv_add(b, "-device");
		argv_add(b, microvm ? "virtio-serial-device" : "virtio-serial-pci");
		argv_add(b, "-chardev");
		argv_addf(b, "file,id=report0,path=/proc/self/fd/%d", c->report_fd);
		argv_add(b, "-device");
		argv_add(b, "virtserialport,chardev=report0,name=" REPORT_PORT_NAME);
	}
	if (c->monitor_path) {
		/* Where a silent child was: its parent asks for its registers
		 * here before killing it.  wait=off: qemu never blocks on it.
		 * path= by name: -monitor unix:PATH takes a PATH with '=' for
		 * an option (a results directory named a=b broke level 1). */
		argv_add(b, "-chardev");
		add_escaped(b, "socket,id=monitor0,path=", c->monitor_path, ",server=on,wait=off");
		argv_add(b, "-mon");
		argv_add(b, "chardev=monitor0,mode=readline");
	}
	for (const char *const *e = c->extra; e && *e; e++)
		argv_add(b, *e);
	return b->overflow ? -ENOSPC : 0;
}
