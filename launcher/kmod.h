/* kmod.h - load kernel modules the way modprobe would, without modprobe:
 * dependencies from modules.dep first, then the module, by finit_module. */
#ifndef SUPERNESTED_KMOD_H
#define SUPERNESTED_KMOD_H

#include <stddef.h>

#define KMOD_DIR "/lib/modules"

/* Module file name for @name ("kvm_amd" -> "kvm-amd.ko"/"kvm_amd.ko" match
 * either spelling). Pure: returns 1 when @path names module @name. */
int kmod_path_matches(const char *path, const char *name);

/* Find the modules.dep line for @name in @dep_text and copy the module path
 * and its dependency list. Pure. Returns 0 or -ENOENT. */
int kmod_dep_lookup(const char *dep_text, const char *name, char *path, size_t pathlen,
		    char *deps, size_t depslen);

/* Is @name one of the lines of @builtin_text (the kernel's modules.builtin,
 * "kernel/drivers/virtio/virtio_pci.ko" per line)?  Pure: 1 or 0. */
int kmod_builtin_lookup(const char *builtin_text, const char *name);

/* Load @name (and its dependencies) with @params. A module already loaded
 * or built in is success.  Returns 0 or -errno. */
int kmod_load(const char *name, const char *params);

/* Is @name loaded, or built in (in /sys/module, or listed in the initrd's
 * modules.builtin: built-in code without parameters has no /sys entry)? */
int kmod_loaded(const char *name);

#endif
