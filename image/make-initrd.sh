#!/bin/bash
# make-initrd.sh - the initrd: the launcher as /init and the kernel modules
# it loads (disk buses, ext4, virtio console, fw_cfg, KVM), with their
# dependencies and a modules.dep for them. Uncompressed: decompressing
# costs more than copying at depth.
# Usage: make-initrd.sh LAUNCHER MODULE_DIR WORKDIR OUT
set -euo pipefail
launcher=$1 moddir=$2 work=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$work"
mkdir -p "$work/lib/modules"
install -m 0755 "$launcher" "$work/init"

declare -A seen=()
add() {		# add module by name or path with its dependencies
	local line path deps d
	line=$(grep -E "(^|/)$(echo "$1" | sed 's/[-_]/[-_]/g')\.ko:" "$moddir/modules.dep" | head -n1) ||
		{ echo "make-initrd: module $1 not found in $moddir" >&2; exit 1; }
	path=${line%%:*}
	[ -n "${seen[$path]:-}" ] && return 0
	seen[$path]=1
	deps=${line#*:}
	for d in $deps; do add "$(basename "$d" .ko)"; done
	mkdir -p "$work/lib/modules/$(dirname "$path")"
	cp "$moddir/$path" "$work/lib/modules/$path"
	echo "$line" >>"$work/lib/modules/modules.dep"
}
while read -r m; do
	case $m in ''|'#'*) continue ;; esac
	add "$m"
done <"$here/initrd-modules"

(cd "$work" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out"
