#!/bin/bash
# build-image.sh - assemble supernested.img, without root and byte for byte
# reproducibly:
#   the root tree is exactly what a level runs (image/closure: qemu with the
#   ldd closure of its libraries, and the firmware it opens), the kernel
#   (vmlinux for PVH boots, else the bzImage) and our initrd; mke2fs -d makes
#   an ext2 filesystem of it (partition 1, label "supernested"); a small FAT
#   partition 2 holds syslinux, the bzImage and the initrd for BIOS boots;
#   syslinux's MBR boots the active partition (2).
# Fixed: filesystem UUIDs, hash seed, owners (0:0), every timestamp
# (SOURCE_DATE_EPOCH), directory order (sorted inputs).
# Usage: build-image.sh LAUNCHER TOOL KERNEL [MODULES] WORKDIR OUTPUT
#   KERNEL   a kernel build tree (arch/x86/boot/bzImage and .config) or a
#            bzImage (its config: /boot/config-<release> or beside it as
#            config-<release>, else the IKCONFIG embedded in it)
#   MODULES  modules_install's INSTALL_MOD_PATH, or a directory with
#            modules.dep (/lib/modules/<release>); "" = /lib/modules/<release>
#   TOOL     the supernested binary (kernel-check: format and config)
#   env SUPERNESTED_VERSION (written into the image), SOURCE_DATE_EPOCH.
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC

launcher=$1 tool=$2 kernel=$3 modules=$4 work=$(realpath -m "$5") out=$6
here=$(cd "$(dirname "$0")" && pwd)
# every timestamp: the commit's date (e2fsprogs takes 0 for "now": 1 at least)
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || echo 1)}
[ "$epoch" -ge 1 ] 2>/dev/null || epoch=1
export SOURCE_DATE_EPOCH=$epoch	# make-initrd.sh and mtools stamp with it
version=${SUPERNESTED_VERSION:-unknown}
# Fixed identities: a release is the same bytes wherever it is built.
fs_uuid=5e7e57ed-0000-4000-8000-000000000001
hash_seed=5e7e57ed-0000-4000-8000-000000000002
fat_serial=5e7e57ed

die() { echo "build-image: $*" >&2; exit 1; }
[ -x "$launcher" ] || die "launcher binary $launcher missing: run make"
[ -x "$tool" ] || die "$tool missing: run make"
for t in mke2fs debugfs mkfs.fat mmd mcopy syslinux sfdisk depmod modprobe cpio; do
	command -v "$t" >/dev/null || die "$t missing: make deps"
done
start=$(date +%s.%N)
rm -rf "$work"
mkdir -p "$work"

# 0. the kernel: which bzImage, which release, which config, which modules;
#    refuse a kernel that cannot work before building anything
config=
if [ -d "$kernel" ]; then
	bzimage=$kernel/arch/x86/boot/bzImage config=$kernel/.config
	[ -r "$bzimage" ] || die "$kernel is a directory without arch/x86/boot/bzImage: build the kernel (make bzImage modules) or pass the bzImage"
	[ -r "$config" ] || die "$kernel has no .config"
else
	bzimage=$kernel
	[ -r "$bzimage" ] || die "kernel $bzimage missing (Debian's, unpacked: image/debian-package.sh kernel amd64 DIR)"
fi
"$tool" kernel-check --kernel "$bzimage" >"$work/kernel.facts" || die "$bzimage: not a kernel to boot"
fact() { sed -n "s/^$1=//p" "$work/kernel.facts"; }
kver=$(fact release) compression=$(fact compression)
[ -n "$kver" ] || die "$bzimage names no kernel release in its header"

if [ -z "$modules" ]; then
	modules=/lib/modules/$kver
fi
if [ -r "$modules/modules.dep" ]; then
	# a release directory itself: seen by modprobe as BASE/lib/modules/RELEASE
	[ "$(basename "$modules")" = "$kver" ] ||
		die "modules in $modules are not named for the kernel's release $kver"
	mkdir -p "$work/modbase/lib/modules"
	ln -s "$(realpath "$modules")" "$work/modbase/lib/modules/$kver"
	modbase=$work/modbase
elif [ -r "$modules/lib/modules/$kver/modules.dep" ]; then
	modbase=$(realpath "$modules")
else
	die "no modules for $kver in $modules: pass modules_install's INSTALL_MOD_PATH or /lib/modules/$kver (and run depmod)"
fi

# the decompressed kernel: PVH entry and an embedded config are found in it
payload_offset=$(fact payload_offset) payload_length=$(fact payload_length)
"$here/extract-vmlinux.sh" "$bzimage" "$compression" "$payload_offset" "$payload_length" \
	"$work/vmlinux" || die "cannot decompress $bzimage ($compression): make deps"
"$tool" kernel-check --vmlinux "$work/vmlinux" >>"$work/kernel.facts" || die "$bzimage holds no ELF kernel"
if [ -z "$config" ]; then
	for c in "/boot/config-$kver" "$(dirname "$bzimage")/config-$kver"; do
		[ -r "$c" ] && { config=$c; break; }
	done
fi
if [ -z "$config" ] && [ "$(fact ikconfig_offset)" -ge 0 ]; then
	config=$work/ikconfig
	tail -c +$(( $(fact ikconfig_offset) + 1 )) "$work/vmlinux" | gzip -dc >"$config" 2>/dev/null || true
fi
[ -n "$config" ] || die "no config for $kver: pass the build tree, put config-$kver beside the bzImage, or build with CONFIG_IKCONFIG"
"$tool" kernel-check --config "$config" --fragment "$here/kernel.config" >>"$work/kernel.facts" ||
	die "$kver cannot run supernested: fix the options above"

root=$work/root boot=$work/boot
mkdir -p "$root" "$boot"

# 1. what a level runs: each file at its real path, the host's top-level
#    symlinks (/lib -> usr/lib on a merged-/usr system) beside them
add_file() {	# add_file PATH: the file, and each symlink on the way to it
	local p=$1 t
	while [ -L "$p" ]; do
		t=$(readlink "$p")
		mkdir -p "$root$(dirname "$p")"
		ln -sfn "$t" "$root$p"
		echo "$p" >>"$work/sources"
		case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac
	done
	[ -f "$p" ] && [ -r "$p" ] || die "$1 missing: make deps"
	mkdir -p "$root$(dirname "$p")"
	cp "$p" "$root$p"
	readlink -f "$p" >>"$work/sources"
}
for top in bin sbin lib lib64; do
	[ -L "/$top" ] && mkdir -p "$root/$(readlink "/$top")" && ln -s "$(readlink "/$top")" "$root/$top"
done
while read -r kind path; do
	case $kind in ''|'#'*) continue ;; esac
	add_file "$path"
	[ "$kind" = exec ] || continue
	ldd "$path" >"$work/ldd" 2>&1 || die "ldd $path failed: $(head -n1 "$work/ldd")"
	grep -q 'not found' "$work/ldd" && die "$path: $(grep 'not found' "$work/ldd" | head -n1)"
	# "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" and the loader
	sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' "$work/ldd" |
		sort -u >"$work/libs"
	while read -r lib; do add_file "$lib"; done <"$work/libs"
done <"$here/closure"

# 2. the kernel: vmlinux (PVH entry, no decompression) for direct boots
#    when it has one, the bzImage otherwise; mount points for a read-only
#    root; what the launcher reads about the image
mkdir -p "$root"/{proc,sys,dev,run,tmp,var/tmp,boot,etc}
if [ "$(fact pvh)" = 1 ]; then
	child_kernel=/boot/vmlinux
	cp "$work/vmlinux" "$root/boot/vmlinux"
else
	child_kernel=/boot/vmlinuz
	cp "$bzimage" "$root/boot/vmlinuz"
	echo "build-image: warning: $kver has no PVH entry (CONFIG_PVH): levels boot the bzImage, slower" >&2
fi
"$here/make-initrd.sh" "$launcher" "$modbase" "$kver" "$work/initrd" "$root/boot/initrd.img"
qemu_version=$("$root/usr/bin/qemu-system-x86_64" --version | sed -n '1s/^QEMU emulator version //p')
printf 'version=%s\nkernel_release=%s\nchild_kernel=%s\nqemu_version=%s\nkernel_compression=%s\n' \
	"$version" "$kver" "$child_kernel" "$qemu_version" "$compression" >"$root/etc/supernested-release"

# 3. ext2 root (the ext4 driver reads it; no journal on a read-only disk),
#    owners 0:0 and one timestamp everywhere
find "$root" -exec touch -h -d "@$epoch" {} +
# apparent sizes (the build directory's filesystem may compress) rounded to
# blocks, plus an inode's worth per file
used_kb=$(find "$root" -printf '%s\n' | awk '{kb += int(($1 + 4095) / 4096) * 4 + 1} END {print kb}')
fs_mb=$(( used_kb * 105 / 100 / 1024 + 8 ))
mkfs_ext2=(mke2fs -q -F -t ext2 -L supernested -U "$fs_uuid" -m 0 -b 4096 -N 0
	   -E "hash_seed=$hash_seed,root_owner=0:0,lazy_itable_init=0"
	   -d "$root" "$work/root.ext2" "${fs_mb}M")
# unprivileged builds: fakeroot makes every file appear owned by root
[ "$(id -u)" = 0 ] && chown -R -h 0:0 "$root"
if [ "$(id -u)" = 0 ]; then
	E2FSPROGS_FAKE_TIME=$epoch "${mkfs_ext2[@]}" >/dev/null
else
	command -v fakeroot >/dev/null || die "fakeroot missing: make deps"
	E2FSPROGS_FAKE_TIME=$epoch fakeroot -- "${mkfs_ext2[@]}" >/dev/null
fi

# mke2fs -d copies each file's ctime, which no one can set, and atime,
# which reading the tree changes: fix both after
(cd "$root" && find . -mindepth 1 | sed 's|^\.||'; echo /) |
	awk -v t="@$epoch" '{print "sif " $0 " ctime " t; print "sif " $0 " atime " t}' >"$work/ctime.cmds"
debugfs -w -f "$work/ctime.cmds" "$work/root.ext2" >"$work/ctime.log" 2>&1 ||
	die "debugfs could not fix timestamps: $(tail -n1 "$work/ctime.log")"
grep -q 'sif:' "$work/ctime.log" && die "debugfs: $(grep 'sif:' "$work/ctime.log" | head -n1)"

# 4. FAT boot partition: syslinux (installed through mtools: no mount),
#    the bzImage and the initrd
cp "$here/syslinux.cfg" "$boot/syslinux.cfg"
cp "$bzimage" "$boot/vmlinuz"
cp "$root/boot/initrd.img" "$boot/initrd.img"
find "$boot" -exec touch -h -d "@$epoch" {} +
boot_kb=$(( ( $(du -sk "$boot" | cut -f1) + 1024 ) / 1024 * 1024 + 1024 ))
mkfs.fat --invariant -i "$fat_serial" -n SNBOOT -C "$work/boot.fat" "$boot_kb" >/dev/null
mmd -i "$work/boot.fat" ::/syslinux
syslinux --install --directory /syslinux "$work/boot.fat" ||
	die "syslinux --install failed"
mcopy -i "$work/boot.fat" -m -o "$boot/syslinux.cfg" ::/syslinux/syslinux.cfg
mcopy -i "$work/boot.fat" -m -o "$boot/vmlinuz" "$boot/initrd.img" ::/

# 5. disk: MBR boot code, partition 1 the root at 1 MiB, partition 2 the
#    (active) boot partition after it
root_sectors=$(( $(stat -c %s "$work/root.ext2") / 512 ))
boot_sectors=$(( $(stat -c %s "$work/boot.fat") / 512 ))
disk=$work/disk.img
rm -f "$disk"
truncate -s $(( (2048 + root_sectors + boot_sectors) * 512 )) "$disk"
printf 'label: dos\nlabel-id: 0x5e7e57ed\nunit: sectors\n\nstart=2048, size=%d, type=83\nstart=%d, size=%d, type=6, bootable\n' \
	"$root_sectors" $(( 2048 + root_sectors )) "$boot_sectors" | sfdisk -q "$disk" >/dev/null
dd if="$work/root.ext2" of="$disk" bs=512 seek=2048 conv=notrunc,sparse status=none
dd if="$work/boot.fat" of="$disk" bs=512 seek=$(( 2048 + root_sectors )) conv=notrunc status=none
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$disk" bs=440 count=1 conv=notrunc status=none
sort -u "$work/sources" >"$work/closure.list"
mv "$disk" "$out"
echo "built $out in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}") s:" \
     "$(du -m --apparent-size "$out" | cut -f1) MiB (content $(( used_kb / 1024 )) MiB, kernel $kver, $version)"
