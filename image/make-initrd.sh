#!/bin/bash
# make-initrd.sh - the initrd: the launcher as /init, the kernel modules
# it loads (image/initrd-modules), their dependencies resolved by kmod's
# modprobe from the kernel's own modules.dep, a modules.dep for them made
# by depmod, and the kernel's modules.builtin.  Uncompressed: decompressing
# costs more than copying at depth.  Reproducible: sorted entries, owner
# 0:0, mtimes SOURCE_DATE_EPOCH.
# Usage: make-initrd.sh LAUNCHER MODULES_BASE KERNEL_RELEASE WORKDIR OUT
#   (the modules are MODULES_BASE/lib/modules/KERNEL_RELEASE)
set -euo pipefail
launcher=$1 base=$2 kver=$3 work=$(realpath -m "$4") out=$5
here=$(cd "$(dirname "$0")" && pwd)
epoch=${SOURCE_DATE_EPOCH:-0}
moddir=$base/lib/modules/$kver
die() { echo "make-initrd: $*" >&2; exit 1; }
[ -r "$moddir/modules.dep" ] || die "$moddir/modules.dep missing: run depmod for $kver"

rm -rf "$work"
mkdir -p "$work/tree/lib/modules" "$work/dep/lib/modules/$kver"
install -m 0755 "$launcher" "$work/tree/init"

# modprobe prints "insmod PATH" per module to load, dependencies first,
# and "builtin NAME" for what the kernel has built in.
while read -r m; do
	case $m in ''|'#'*) continue ;; esac
	optional=0
	[ "${m#\?}" != "$m" ] && optional=1 m=${m#\?}
	if ! lines=$(modprobe -d "$base" -S "$kver" --show-depends --ignore-install "$m" 2>/dev/null); then
		[ $optional = 1 ] && { echo "make-initrd: note: $kver has no module $m" >&2; continue; }
		die "$kver has no module $m (built in or as a module): see image/kernel.config"
	fi
	while read -r verb path _; do
		[ "$verb" = insmod ] || continue
		rel=${path#"$moddir"/}
		case $rel in
		*.ko.xz) dst=${rel%.xz}; dec="xz -dc" ;;
		*.ko.zst) dst=${rel%.zst}; dec="zstd -dcq" ;;
		*.ko.gz) dst=${rel%.gz}; dec="gzip -dc" ;;
		*) dst=$rel; dec="cat" ;;
		esac
		[ -e "$work/dep/lib/modules/$kver/$dst" ] && continue
		mkdir -p "$(dirname "$work/dep/lib/modules/$kver/$dst")"
		$dec "$path" >"$work/dep/lib/modules/$kver/$dst"
	done <<<"$lines"
done <"$here/initrd-modules"

# modules.dep for exactly these modules, by depmod (the launcher reads it
# flat under /lib/modules)
depmod -b "$work/dep" "$kver" 2>/dev/null || die "depmod failed for the initrd's modules"
(cd "$work/dep/lib/modules/$kver" && find . -name '*.ko' -print0 | cpio -0 -pdm --quiet "$work/tree/lib/modules")
cp "$work/dep/lib/modules/$kver/modules.dep" "$work/tree/lib/modules/modules.dep"
# what is built in: the launcher does not look for those (built-in code
# without parameters leaves no trace in /sys/module)
if [ -r "$moddir/modules.builtin" ]; then
	cp "$moddir/modules.builtin" "$work/tree/lib/modules/modules.builtin"
fi

find "$work/tree" -exec touch -h -d "@$epoch" {} +
(cd "$work/tree" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc --quiet -R 0:0 --reproducible) >"$out"
