#!/bin/bash
# build-image.sh - assemble supernested.img from Debian packages:
#   supermin resolves qemu-system-x86 and its dependencies into a tree,
#   we prune what no level needs, add the kernel (bzImage for the
#   bootloader, vmlinux for fast direct boots) and our initrd (the launcher
#   as /init plus the few modules it loads), make an ext2 filesystem of it,
#   put it in partition 1 behind an MBR and install extlinux.
# Usage: build-image.sh LAUNCHER_BINARY KERNEL_VERSION WORKDIR OUTPUT.img
set -euo pipefail

launcher=$1 kver=$2 work=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
modsrc=/lib/modules/$kver
vmlinuz=/boot/vmlinuz-$kver

die() { echo "build-image: $*" >&2; exit 1; }
[ -x "$launcher" ] || die "launcher binary $launcher missing: run make"
[ -r "$vmlinuz" ] || die "$vmlinuz missing: apt-get install linux-image-amd64"
[ -r "$modsrc/modules.dep" ] || die "$modsrc/modules.dep missing: install the kernel's modules"
[ "$(id -u)" = 0 ] || die "installing the bootloader needs root (a loop mount): run as root"

rm -rf "$work"
mkdir -p "$work"
root=$work/root

# 1. the packages a level needs, with their dependencies, from this host
supermin --prepare --use-installed -o "$work/supermin.d" $(grep -v '^#' "$here/packages") \
	>"$work/supermin.log" 2>&1 || { cat "$work/supermin.log" >&2; die "supermin --prepare failed"; }
supermin --build --use-installed -f chroot -o "$root" "$work/supermin.d" \
	>>"$work/supermin.log" 2>&1 || { cat "$work/supermin.log" >&2; die "supermin --build failed"; }

# 2. leave out what no level reads
while read -r path; do
	case $path in ''|'#'*) continue ;; esac
	rm -rf "${root:?}/$path"
done <"$here/prune"

# 3. mount points for a read-only root, the kernel and the initrd
mkdir -p "$root"/{proc,sys,dev,run,tmp,var/tmp,boot/extlinux}
cp "$vmlinuz" "$root/boot/vmlinuz"
"$here/extract-vmlinux.sh" "$vmlinuz" "$root/boot/vmlinux"
"$here/make-initrd.sh" "$launcher" "$modsrc" "$work/initrd" "$root/boot/initrd.img"
cp "$here/extlinux.conf" "$root/boot/extlinux/extlinux.conf"

# 4. ext2 (extlinux reads it; no journal to replay on a read-only disk)
used_kb=$(du -sk "$root" | cut -f1)
fs_mb=$(( used_kb * 115 / 100 / 1024 + 32 ))
fs=$work/fs.ext2
mke2fs -q -F -t ext2 -L supernested -m 0 -b 4096 -d "$root" "$fs" "${fs_mb}M" >/dev/null

# 5. bootloader inside the filesystem
mnt=$work/mnt
mkdir -p "$mnt"
mount -o loop "$fs" "$mnt"
trap 'umount "$mnt" 2>/dev/null || true' EXIT
extlinux --install "$mnt/boot/extlinux" >/dev/null 2>&1 || die "extlinux --install failed"
umount "$mnt"
trap - EXIT

# 6. disk: MBR boot code, one bootable partition at 1 MiB
disk=$work/disk.img
truncate -s $(( (fs_mb + 1) * 1024 * 1024 )) "$disk"
echo 'start=2048, type=83, bootable' | sfdisk -q "$disk" >/dev/null
dd if="$fs" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$disk" bs=440 count=1 conv=notrunc status=none
mv "$disk" "$out"
echo "built $out: $(du -m --apparent-size "$out" | cut -f1) MiB (filesystem ${fs_mb} MiB, kernel $kver)"
