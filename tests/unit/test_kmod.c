/* test_kmod.c - module file name matching and modules.dep lookup (the pure parts of kmod). */
#include "tap.h"
#include "kmod.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Lines of a Debian 6.1.0-amd64 modules.dep; kvmgt and ptp_kvm come first
 * here so that a lookup of "kvm" has to pass over them. */
static const char dep_text[] =
	"kernel/drivers/gpu/drm/i915/kvmgt.ko: kernel/drivers/vfio/mdev/mdev.ko kernel/drivers/vfio/vfio.ko "
	"kernel/drivers/gpu/drm/i915/i915.ko kernel/arch/x86/kvm/kvm.ko kernel/virt/lib/irqbypass.ko\n"
	"kernel/drivers/ptp/ptp_kvm.ko:\n"
	"kernel/arch/x86/kvm/kvm.ko: kernel/virt/lib/irqbypass.ko\n"
	"kernel/arch/x86/kvm/kvm-intel.ko: kernel/arch/x86/kvm/kvm.ko kernel/virt/lib/irqbypass.ko\n"
	"kernel/arch/x86/kvm/kvm-amd.ko: kernel/drivers/crypto/ccp/ccp.ko kernel/arch/x86/kvm/kvm.ko "
	"kernel/virt/lib/irqbypass.ko\n"
	"kernel/drivers/virtio/virtio_ring.ko:\n"
	"kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko\n"
	"kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko\n"
	"kernel/drivers/crypto/ccp/ccp.ko:\n"
	"kernel/virt/lib/irqbypass.ko:";	/* last line without a newline */

/* kmod_path_matches on a copy of @path that ends right before an
 * inaccessible page: reading past its NUL crashes this test. */
static int matches(const char *path, const char *name)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = strlen(path) + 1;
	char *map, *p;
	int rc;

	if (page <= 0 || len > (size_t)page)
		return -1;
	map = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return -1;
	if (mprotect(map + page, (size_t)page, PROT_NONE) != 0) {
		munmap(map, 2 * (size_t)page);
		return -1;
	}
	p = map + page - len;
	memcpy(p, path, len);
	rc = kmod_path_matches(p, name);
	munmap(map, 2 * (size_t)page);
	return rc;
}

static void test_path_matches(void)
{
	is_int(matches("kernel/arch/x86/kvm/kvm-amd.ko", "kvm_amd"), 1, "kvm-amd.ko is kvm_amd");
	is_int(matches("kernel/arch/x86/kvm/kvm-amd.ko", "kvm-amd"), 1, "kvm-amd.ko is kvm-amd");
	is_int(matches("kernel/arch/x86/kvm/kvm_amd.ko", "kvm-amd"), 1, "kvm_amd.ko is kvm-amd");
	is_int(matches("kernel/arch/x86/kvm/kvm-amd.ko", "kvm"), 0, "kvm-amd.ko is not kvm");
	is_int(matches("kernel/arch/x86/kvm/kvm-amd.ko", "kvm_am"), 0, "kvm-amd.ko is not kvm_am");
	is_int(matches("kernel/arch/x86/kvm/kvm-amd.ko", "kvm_amd2"), 0, "kvm-amd.ko is not kvm_amd2");
	is_int(matches("kvm.ko", "kvm"), 1, "kvm.ko is kvm");
	is_int(matches("kernel/arch/x86/kvm/kvm.ko", "kvm"), 1, "full path of kvm.ko is kvm");
	is_int(matches("kernel/arch/x86/kvm/kvm.ko:", "kvm"), 1, "modules.dep key with its colon");
	is_int(matches("kernel/arch/x86/kvm/kvm.ko.xz", "kvm"), 1, "compressed kvm.ko.xz is kvm");
	is_int(matches("kernel/arch/x86/kvm/kvm.kox", "kvm"), 0, "kvm.kox is not a module of kvm");
	is_int(matches("kernel/arch/x86/kvm/kvm.o", "kvm"), 0, "kvm.o is not a module");
	is_int(matches("kernel/drivers/gpu/drm/i915/kvmgt.ko", "kvm"), 0, "kvmgt.ko is not kvm");
	is_int(matches("kernel/drivers/ptp/ptp_kvm.ko", "kvm"), 0, "ptp_kvm.ko is not kvm");
	is_int(matches("kernel/KVM.ko", "kvm"), 0, "names are case sensitive");
	is_int(matches("kernel/kvm.ko/irqbypass.ko", "kvm"), 0, "only the base name counts");
	/* names longer than the file name: nothing may be read past its end */
	is_int(matches("kvm.ko", "kvm_amd"), 0, "kvm.ko is not kvm_amd");
	is_int(matches("kernel/arch/x86/kvm/kvm.ko", "kvm_intel"), 0, "kvm.ko is not kvm_intel");
	is_int(matches("", "kvm"), 0, "empty path is no module");
	is_int(matches("kernel/", "kvm"), 0, "directory is no module");
}

static void test_dep_lookup(void)
{
	char path[256], deps[1024];

	is_int(kmod_dep_lookup(dep_text, "kvm_amd", path, sizeof(path), deps, sizeof(deps)), 0, "kvm_amd found");
	is_str(path, "kernel/arch/x86/kvm/kvm-amd.ko", "kvm_amd: path");
	is_str(deps, "kernel/drivers/crypto/ccp/ccp.ko kernel/arch/x86/kvm/kvm.ko kernel/virt/lib/irqbypass.ko",
	       "kvm_amd: dependencies in modules.dep order");

	is_int(kmod_dep_lookup(dep_text, "kvm-intel", path, sizeof(path), deps, sizeof(deps)), 0,
	       "kvm-intel found");
	is_str(path, "kernel/arch/x86/kvm/kvm-intel.ko", "kvm-intel: path");
	is_str(deps, "kernel/arch/x86/kvm/kvm.ko kernel/virt/lib/irqbypass.ko", "kvm-intel: dependencies");

	is_int(kmod_dep_lookup(dep_text, "kvm", path, sizeof(path), deps, sizeof(deps)), 0, "kvm found");
	is_str(path, "kernel/arch/x86/kvm/kvm.ko", "kvm: kvm.ko, not kvmgt.ko or ptp_kvm.ko");
	is_str(deps, "kernel/virt/lib/irqbypass.ko", "kvm: one dependency");

	strcpy(deps, "junk");
	is_int(kmod_dep_lookup(dep_text, "ccp", path, sizeof(path), deps, sizeof(deps)), 0, "ccp found");
	is_str(path, "kernel/drivers/crypto/ccp/ccp.ko", "ccp: path");
	is_str(deps, "", "ccp: no dependencies");

	is_int(kmod_dep_lookup(dep_text, "virtio_ring", path, sizeof(path), deps, sizeof(deps)), 0,
	       "virtio_ring found");
	is_str(deps, "", "virtio_ring: no dependencies (line ends right after the colon)");

	is_int(kmod_dep_lookup(dep_text, "irqbypass", path, sizeof(path), deps, sizeof(deps)), 0,
	       "last line without newline found");
	is_str(path, "kernel/virt/lib/irqbypass.ko", "irqbypass: path");
	is_str(deps, "", "irqbypass: no dependencies");

	is_int(kmod_dep_lookup(dep_text, "virtio_blk", path, sizeof(path), deps, sizeof(deps)), 0,
	       "virtio_blk found");
	is_str(deps, "kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko",
	       "virtio_blk: dependencies stop at the end of its line");

	strcpy(path, "untouched");
	is_int(kmod_dep_lookup(dep_text, "kvm_amd_missing", path, sizeof(path), deps, sizeof(deps)), -ENOENT,
	       "missing module: -ENOENT");
	is_str(path, "untouched", "missing module: path untouched");
	is_int(kmod_dep_lookup(dep_text, "kvm_am", path, sizeof(path), deps, sizeof(deps)), -ENOENT,
	       "prefix of a module name: -ENOENT");
	is_int(kmod_dep_lookup(dep_text, "vfio", path, sizeof(path), deps, sizeof(deps)), -ENOENT,
	       "module only named as a dependency: -ENOENT");
	is_int(kmod_dep_lookup("", "kvm", path, sizeof(path), deps, sizeof(deps)), -ENOENT, "empty text: -ENOENT");
	is_int(kmod_dep_lookup(NULL, "kvm", path, sizeof(path), deps, sizeof(deps)), -ENOENT, "NULL text: -ENOENT");

	/* a line without a colon must not borrow the next line's */
	is_int(kmod_dep_lookup("# kvm.ko is here\nkernel/arch/x86/kvm/kvm.ko: kernel/virt/lib/irqbypass.ko\n",
			       "kvm", path, sizeof(path), deps, sizeof(deps)), 0, "line without colon skipped");
	is_str(path, "kernel/arch/x86/kvm/kvm.ko", "line without colon: the real line found");
	is_int(kmod_dep_lookup("kernel/arch/x86/kvm/kvm.ko\nfoo.ko: bar.ko\n", "kvm", path, sizeof(path), deps,
			       sizeof(deps)), -ENOENT, "module named on a line without colon: -ENOENT");
}

/* Lines of a small kernel's modules.builtin: everything built in. */
static void test_builtin_lookup(void)
{
	static const char builtin[] =
		"kernel/drivers/virtio/virtio.ko\n"
		"kernel/drivers/virtio/virtio_pci.ko\n"
		"kernel/drivers/char/virtio_console.ko\n"
		"kernel/arch/x86/kvm/kvm-amd.ko\n"
		"kernel/fs/ext4/ext4.ko";	/* last line without a newline */

	is_int(kmod_builtin_lookup(builtin, "virtio_pci"), 1, "built in: virtio_pci");
	is_int(kmod_builtin_lookup(builtin, "kvm_amd"), 1, "built in: kvm_amd as kvm-amd.ko");
	is_int(kmod_builtin_lookup(builtin, "ext4"), 1, "built in: the last line, no newline");
	is_int(kmod_builtin_lookup(builtin, "virtio"), 1, "built in: virtio, not confused with virtio_pci");
	is_int(kmod_builtin_lookup(builtin, "virtio_mmio"), 0, "not built in: virtio_mmio");
	is_int(kmod_builtin_lookup(builtin, "kvm"), 0, "not built in: kvm (only kvm-amd is)");
	is_int(kmod_builtin_lookup(builtin, "virtio_con"), 0, "a prefix is not a match");
	is_int(kmod_builtin_lookup("", "ext4"), 0, "empty list");
	is_int(kmod_builtin_lookup(NULL, "ext4"), 0, "no list (a kernel without modules.builtin)");
}

int main(void)
{
	test_path_matches();
	test_dep_lookup();
	test_builtin_lookup();
	return tap_done();
}
