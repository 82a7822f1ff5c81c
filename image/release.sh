#!/bin/bash
# release.sh - the download: dist/ with the image as raw+xz and as a
# compressed qcow2, manifest.json (version, commit, build date, kernel,
# qemu, every Debian package inside with its version, each artifact's
# sha256) and SHA256SUMS.  Byte-reproducible: single-threaded xz with
# fixed options, qemu-img writing clusters in order, dates from
# SOURCE_DATE_EPOCH, sorted lists.
# Usage: release.sh IMAGE IMAGE_WORKDIR DIST
set -euo pipefail
export LC_ALL=C TZ=UTC
image=$1 work=$2 dist=$3
die() { echo "release: $*" >&2; exit 1; }
[ -r "$work/closure.list" ] && [ -r "$work/root/etc/supernested-release" ] ||
	die "$work has no image build: make image first"
rel() { sed -n "s/^$1=//p" "$work/root/etc/supernested-release"; }
version=$(rel version) kver=$(rel kernel_release) qemu_version=$(rel qemu_version)
epoch=${SOURCE_DATE_EPOCH:-0}
base=supernested-$version-x86_64
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)

rm -rf "$dist"
mkdir -p "$dist"
xz -T1 -9 -c "$image" >"$dist/$base.img.xz"
# -m 1: one coroutine, clusters written in order; -c: compressed clusters
qemu-img convert -m 1 -c -f raw -O qcow2 -o compression_type=zlib "$image" "$dist/$base.qcow2"

# Debian packages inside: the owners of every file the image took from
# this system (qemu's closure, the bootloader, the kernel when packaged;
# a kernel from a build tree belongs to none), and syslinux, whose
# installer wrote ldlinux.sys
mapfile -t files < <(cat "$work/closure.list"; echo /usr/lib/syslinux/mbr/mbr.bin
	echo /usr/lib/syslinux/modules/bios/ldlinux.c32; echo "/boot/vmlinuz-$kver")
{ dpkg-query -S "${files[@]}" 2>/dev/null || true; } | sed 's/: .*//; s/, /\n/g' |
	{ cat; echo syslinux; } | sort -u |
	xargs dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\n' | sort -u >"$work/packages.tsv"

sha() { sha256sum "$1" | cut -d' ' -f1; }
jq -n --arg version "$version" --arg commit "$commit" \
	--arg date "$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)" \
	--arg kernel "$kver" --arg qemu "$qemu_version" \
	--arg img "$base.img.xz" --arg img_sha "$(sha "$dist/$base.img.xz")" \
	--arg raw_sha "$(sha "$image")" --argjson raw_size "$(stat -c %s "$image")" \
	--arg qcow "$base.qcow2" --arg qcow_sha "$(sha "$dist/$base.qcow2")" \
	--rawfile pkgs "$work/packages.tsv" '{
	version: $version, git_commit: $commit, build_date: $date,
	kernel_release: $kernel, qemu_version: $qemu,
	artifacts: [
		{ file: $img, sha256: $img_sha, format: "raw, xz", raw_sha256: $raw_sha, raw_size: $raw_size },
		{ file: $qcow, sha256: $qcow_sha, format: "qcow2, compressed clusters" } ],
	packages: [ $pkgs | split("\n")[] | select(length > 0) | split("\t") |
		{ name: .[0], version: .[1], arch: .[2] } ] }' >"$dist/manifest.json"
(cd "$dist" && sha256sum "$base.img.xz" "$base.qcow2" manifest.json >SHA256SUMS)
ls -l "$dist" | sed 1d
