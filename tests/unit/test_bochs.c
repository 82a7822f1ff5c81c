/* test_bochs.c - Bochs's level 1 by the pure rules: models, geometry,
 * bochsrc, the boot line added to the image's own syslinux.cfg, the MBR. */
#include "tap.h"
#include "bochs.h"
#include "clocks.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_models(void)
{
	const struct bochs_model *m = bochs_model_find(BOCHS_DEFAULT_MODEL);
	char list[1000];

	ok(m && !strcmp(m->vendor, "GenuineIntel") && !strcmp(m->virt, "vmx"),
	   "the default model is Intel with VMX");
	m = bochs_model_find("ryzen");
	ok(m && !strcmp(m->vendor, "AuthenticAMD") && !strcmp(m->virt, "svm"), "ryzen: AMD with SVM");
	m = bochs_model_find("p4_prescott_celeron_336");
	ok(m && !strcmp(m->vendor, "GenuineIntel") && !m->virt[0], "a 64-bit Intel model without VMX");
	ok(!bochs_model_find("pentium"), "32-bit models are not offered (the kernel is 64-bit)");
	ok(!bochs_model_find("corei7_skylake"), "a prefix of a name is no model");
	ok(!bochs_model_find(NULL), "no name, no model");
	bochs_model_list(list, sizeof(list));
	ok(strstr(list, "corei7_skylake_x") && strstr(list, ", ryzen,"), "the list names them");
	bochs_model_list(list, 10);
	ok(strlen(list) < 10, "a short buffer: the list is cut, still terminated");
}

static void test_geometry(void)
{
	const uint64_t cyl = 16 * 63 * 512;
	struct bochs_geometry g;
	uint64_t padded;

	is_int(bochs_geometry(cyl * 100, &g, &padded), 0, "a whole number of cylinders");
	ok(g.cylinders == 100 && g.heads == 16 && g.spt == 63 && padded == cyl * 100,
	   "... is kept as it is: 100/16/63");
	is_int(bochs_geometry(cyl * 100 + 512, &g, &padded), 0, "one sector more");
	ok(g.cylinders == 101 && padded == cyl * 101, "... needs a cylinder more: the disk is padded");
	ok(padded >= cyl * 100 + 512, "the padded disk covers the image");
	/* a 1 GiB image is not a whole number of 16x63 cylinders */
	is_int(bochs_geometry(1ULL << 30, &g, &padded), 0, "1 GiB");
	ok(padded >= 1ULL << 30 && padded - (1ULL << 30) < cyl &&
	   (uint64_t)g.cylinders * g.heads * g.spt * 512 == padded, "... padded by less than a cylinder");
	is_int(bochs_geometry(0, &g, &padded), -EINVAL, "an empty disk has no geometry");
	is_int(bochs_geometry(cyl * 65536, &g, &padded), -EINVAL, "past 65535 cylinders: refused");
	is_int(bochs_geometry(cyl * 65535, &g, &padded), 0, "65535 cylinders: the last that fits");
}

static void test_sync(void)
{
	enum bochs_sync s;

	is_int(bochs_sync_parse("realtime", &s), 0, "realtime parses");
	is_int(s, BOCHS_SYNC_REALTIME, "... to BOCHS_SYNC_REALTIME");
	is_str(bochs_sync_name(BOCHS_SYNC_SLOWDOWN), "slowdown", "slowdown's name");
	is_int(bochs_sync_parse("both", &s), -EINVAL, "both is not offered");
	is_str(bochs_sync_name((enum bochs_sync)9), "none", "out of range: none");
}

static struct bochs_config config(void)
{
	return (struct bochs_config){
		.model = BOCHS_DEFAULT_MODEL, .ips = BOCHS_DEFAULT_IPS, .sync = BOCHS_SYNC_NONE,
		.mem_mb = 1024, .disk = "run/level1-disk.img", .geom = { 2081, 16, 63 },
		.com1 = "/dev/fd/3", .log = "run/bochs.log",
		.bios = "/usr/share/bochs/BIOS-bochs-latest", .vgabios = "/usr/share/vgabios/vgabios.bin",
	};
}

static void test_bochsrc(void)
{
	static char buf[4096];
	struct bochs_config c = config();
	int n = bochsrc_build(&c, buf, sizeof(buf));

	ok(n > 0 && (size_t)n == strlen(buf), "a bochsrc: length %d", n);
	ok(strstr(buf, "\ncpu: model=corei7_skylake_x, count=1, ips=100000000,") != NULL, "one CPU of the model");
	ok(strstr(buf, "\nmemory: guest=1024, host=1024\n") != NULL, "its memory");
	ok(strstr(buf, "\nata0-master: type=disk, path=\"run/level1-disk.img\", mode=flat, "
		  "cylinders=2081, heads=16, spt=63\n") != NULL, "the disk copy with its geometry");
	ok(strstr(buf, "\ncom1: enabled=1, mode=file, dev=\"/dev/fd/3\"\n") != NULL, "com1 to the tool");
	ok(strstr(buf, "\ndisplay_library: term\n") && !strstr(buf, "rfb"),
	   "no window and nothing listening on the network");
	ok(strstr(buf, "\nclock: sync=none,") != NULL, "the clock as asked");
	ok(strstr(buf, "\nerror: action=ignore\n") && strstr(buf, "\npanic: action=fatal\n"),
	   "MSR errors not logged, panics fatal");
	ok(strstr(buf, "\nsound: driver=dummy\n") != NULL, "no ALSA");

	c.sync = BOCHS_SYNC_REALTIME;
	bochsrc_build(&c, buf, sizeof(buf));
	ok(strstr(buf, "\nclock: sync=realtime,") != NULL, "sync=realtime");

	c = config();
	c.mem_mb = BOCHS_MAX_MEM_MB + 1;
	is_int(bochsrc_build(&c, buf, sizeof(buf)), -EINVAL, "more memory than Bochs allows: refused");
	c = config();
	c.model = "pentium";
	is_int(bochsrc_build(&c, buf, sizeof(buf)), -EINVAL, "an unknown model: refused");
	c = config();
	c.disk = "run/a,b.img";
	is_int(bochsrc_build(&c, buf, sizeof(buf)), -EINVAL, "a comma in a path would split an option: refused");
	c = config();
	c.com1 = "x\"\nlog: /etc/passwd";
	is_int(bochsrc_build(&c, buf, sizeof(buf)), -EINVAL, "a quote or newline in a path: refused");
	c = config();
	c.geom.cylinders = 0;
	is_int(bochsrc_build(&c, buf, sizeof(buf)), -EINVAL, "no geometry: refused");
	c = config();
	is_int(bochsrc_build(&c, buf, 100), -ENOSPC, "a short buffer: -ENOSPC");
	is_int(bochsrc_build(&c, buf, 0), -ENOSPC, "no buffer: -ENOSPC");
}

static void test_syslinux(void)
{
	static char out[8192];
	char *cfg = tap_slurp(SRCDIR "/image/syslinux.cfg");
	const char *append;
	int n;

	ok(cfg != NULL, "the image's own syslinux.cfg");
	if (!cfg)
		return;
	n = syslinux_cfg_append(cfg, "supernested.maxdepth=2 supernested.inject=nested-off@1", out, sizeof(out));
	ok(n > 0 && (size_t)n == strlen(out), "the words added: length %d", n);
	is_int((int)strlen(out), (int)strlen(cfg) + 1 + (int)strlen("supernested.maxdepth=2 supernested.inject=nested-off@1"),
	       "only the words (and a blank) were added");
	append = strstr(out, "APPEND ");
	ok(append && strstr(append, "random.trust_cpu=on supernested.maxdepth=2 supernested.inject=nested-off@1\n"),
	   "at the end of the label's APPEND line");
	ok(strstr(out, "PROMPT 1\n") && strstr(out, "SERIAL 0 115200\n"), "the rest as it was");
	free(cfg);

	n = syslinux_cfg_append("default b\nlabel a\n  append x=1\nlabel b\n  kernel k\n  append y=2\r\n",
				"z=3", out, sizeof(out));
	ok(n > 0 && !strcmp(out, "default b\nlabel a\n  append x=1\nlabel b\n  kernel k\n  append y=2 z=3\r\n"),
	   "the DEFAULT label's line, not the first one; lower case keywords; CR LF kept");
	is_int(syslinux_cfg_append("DEFAULT a\nLABEL a\n  LINUX k\n", "z=3", out, sizeof(out)), -ENOENT,
	       "a label without APPEND: -ENOENT");
	is_int(syslinux_cfg_append("LABEL a\n  APPEND x\n", "z=3", out, sizeof(out)), -ENOENT,
	       "no DEFAULT: -ENOENT");
	is_int(syslinux_cfg_append("DEFAULT a\nLABEL ab\n  APPEND x\n", "z=3", out, sizeof(out)), -ENOENT,
	       "a label whose name starts like the default is another label");
	is_int(syslinux_cfg_append("DEFAULT a\nLABEL a\n  APPEND x\n", "z=3\nAPPEND evil", out, sizeof(out)),
	       -EINVAL, "words with a newline would add lines: refused");
	is_int(syslinux_cfg_append("DEFAULT a\nLABEL a\n  APPEND x\n", "z=3", out, 10), -ENOSPC,
	       "a short buffer: -ENOSPC");
}

static void test_mbr(void)
{
	unsigned char mbr[512] = { 0 };

	is_int((int)mbr_active_partition_offset(mbr), -EINVAL, "no boot signature");
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	is_int((int)mbr_active_partition_offset(mbr), -EINVAL, "no active partition");
	/* partition 1: ext2 at sector 2048, not active; partition 2: FAT, active */
	mbr[446 + 4] = 0x83;
	mbr[446 + 8] = 0x00, mbr[446 + 9] = 0x08;
	mbr[462] = 0x80;
	mbr[462 + 4] = 0x0c;
	mbr[462 + 8] = 0x00, mbr[462 + 9] = 0x00, mbr[462 + 10] = 0x10;	/* sector 0x100000 */
	ok(mbr_active_partition_offset(mbr) == 0x100000LL * 512, "the active one, partition 2");
	mbr[462 + 4] = 0;
	is_int((int)mbr_active_partition_offset(mbr), -EINVAL, "an active entry of type 0 is empty");
}

static void test_clock(void)
{
	ok(bochs_clock_ratio(26.0, 0.5) == 52.0, "26 s on the host, 0.5 s in the guest: 52x");
	ok(bochs_clock_ratio(10.0, 10.0) == 1.0, "clocks that agree: 1");
	ok(bochs_clock_ratio(10.0, 0) == 0, "no guest time: nothing to compare");
	ok(bochs_clock_ratio(-1, 3) == 0, "no host time: nothing to compare");
}

static void test_level1_rate(void)
{
	static struct run_model m;
	struct clock_rate r;
	json_object *o;

	events_init(&m);
	is_int(level1_clock_rate(&m, &r), -1, "no level 2: no rate");
	o = clocks_json(&m);
	ok(json_object_get_type(json_object_object_get(o, "level1_guest_per_host")) == json_type_null,
	   "... and report.json says null, not a number");
	is_str(json_object_get_string(json_object_object_get(o, "up_at_s")), "host", "up_at_s is on the host's clock");
	is_str(json_object_get_string(json_object_object_get(o, "boot_s")), "parent", "boot_s on the parent's");
	json_object_put(o);

	/* level 2 under Bochs: 24 s on the host, 0.5 s on level 1's clock */
	m.level[2].up = 1;
	m.level[2].started_at_s = 22.0;
	m.level[2].up_at_s = 46.0;
	m.level[2].boot_s = 0.5;
	is_int(level1_clock_rate(&m, &r), 0, "level 2's boot measures level 1's clock");
	ok(fabs(r.rate - 0.5 / 24.0) < 1e-9 && r.host_s == 24.0 && r.guest_s == 0.5, "0.5 s in 24 s: rate %.4f", r.rate);
	ok(!clock_rate_comparable(r.rate), "... not host seconds");
	o = clocks_json(&m);
	ok(!json_object_get_boolean(json_object_object_get(o, "guest_figures_in_host_seconds")),
	   "report.json says level 1's figures are not host seconds");
	json_object_put(o);

	m.level[2].boot_s = 23.0;
	level1_clock_rate(&m, &r);
	ok(clock_rate_comparable(r.rate), "23 s in 24 s: comparable (KVM, TCG)");
	m.level[2].up_at_s = 23.0;
	is_int(level1_clock_rate(&m, &r), -1, "1 s of host time is too short to measure against a 250 ms poll");
	m.level[2].up_at_s = 46.0;
	m.level[2].started_at_s = -1;
	is_int(level1_clock_rate(&m, &r), -1, "no child-start seen: no rate");
}

int main(void)
{
	test_models();
	test_geometry();
	test_sync();
	test_bochsrc();
	test_syslinux();
	test_mbr();
	test_clock();
	test_level1_rate();
	return tap_done();
}
