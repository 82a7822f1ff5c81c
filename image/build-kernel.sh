#!/bin/bash
# build-kernel.sh - the small kernel (image/kernel-small.config) from
# Debian's kernel source package, reproducibly: allnoconfig plus the
# fragment, every option checked to have taken, then bzImage and
# modules_install (none are modules: modules.builtin tells the initrd
# builder so).  The result feeds build-image.sh as KERNEL and MODULES.
# Debian's source gets image/kernel-patches/*.patch first (each file says
# why).
# Usage: build-kernel.sh SOURCE_TARBALL TOOL OUTDIR
#   SOURCE_TARBALL  /usr/src/linux-source-<version>.tar.xz (linux-source-<version>)
#   TOOL            the supernested binary (checks against image/kernel.config)
#   OUTDIR          gets src/ (unpacked once), build/ (the tree) and mods/
# env JOBS (default: the number of CPUs), SOURCE_DATE_EPOCH.
set -euo pipefail
export LC_ALL=C TZ=UTC
tarball=$1 tool=$2 out=$(realpath -m "$3")
here=$(cd "$(dirname "$0")" && pwd)
jobs=${JOBS:-$(nproc)}
die() { echo "build-kernel: $*" >&2; exit 1; }
[ -r "$tarball" ] || die "$tarball missing (Debian's kernel source, unpacked: image/debian-package.sh source amd64 DIR)"
[ -x "$tool" ] || die "$tool missing: run make"
for t in gcc make bison flex bc perl xz patch; do
	command -v "$t" >/dev/null || die "$t missing: make deps"
done

# 1. the source, unpacked and patched once per tarball and patch set:
#    .unpacked holds the set's digests, so a changed, added or removed
#    patch unpacks it again (tar keeps the mtimes: the rebuild is small)
src=$out/src/$(basename "$tarball" .tar.xz)
patches=("$here"/kernel-patches/*.patch)
[ -e "${patches[0]}" ] || patches=()
patch_set=$(cd "$here" && sha256sum /dev/null "${patches[@]#"$here"/}")
fresh=1
if [ ! -f "$src/.unpacked" ] || [ "$src/.unpacked" -ot "$tarball" ]; then fresh=0; fi
[ "$fresh" = 1 ] && [ "$(cat "$src/.unpacked")" != "$patch_set" ] && fresh=0
if [ "$fresh" = 0 ]; then
	# a file the old set patched and the new one does not gets the
	# tarball's old mtime back: touch it, or make keeps its old object
	was_patched=()
	[ -f "$src/.patched" ] && mapfile -t was_patched <"$src/.patched"
	rm -rf "$out/src"
	mkdir -p "$out/src"
	tar -C "$out/src" -xf "$tarball" || die "cannot unpack $tarball"
	[ -f "$src/Makefile" ] || die "$tarball does not unpack to $(basename "$src")/"
	for p in "${patches[@]}"; do
		patch -d "$src" -p1 -N -s <"$p" >"$out/patch.log" 2>&1 ||
			die "$(basename "$p") does not apply to $(basename "$src"): $(head -n1 "$out/patch.log")"
	done
	for f in "${was_patched[@]}"; do [ ! -f "$src/$f" ] || touch "$src/$f"; done
	{ [ ${#patches[@]} = 0 ] || sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "${patches[@]}"; } >"$src/.patched"
	printf '%s\n' "$patch_set" >"$src/.unpacked"
fi

# 2. the config: kconfig drops an option whose dependencies are unmet
#    without a word, so check that each one took
build=$out/build
mkdir -p "$build"
kmake=(make -C "$src" O="$build" -s
       KBUILD_BUILD_TIMESTAMP="@${SOURCE_DATE_EPOCH:-1}"
       KBUILD_BUILD_USER=supernested KBUILD_BUILD_HOST=supernested KBUILD_BUILD_VERSION=1)
"${kmake[@]}" KCONFIG_ALLCONFIG="$here/kernel-small.config" allnoconfig >"$out/config.log" 2>&1 ||
	die "allnoconfig failed: $(tail -n1 "$out/config.log")"
missing=$(grep '^CONFIG_' "$here/kernel-small.config" | while IFS= read -r line; do
	grep -qxF "$line" "$build/.config" || echo "${line%%=*}"
done)
[ -z "$missing" ] || die "options that did not take (unmet dependencies?): $(echo $missing)"
"$tool" kernel-check --config "$build/.config" --fragment "$here/kernel.config" >/dev/null ||
	die "the small config fails image/kernel.config"

# 3. the kernel, and modules_install for modules.builtin and modules.dep
start=$(date +%s)
"${kmake[@]}" -j"$jobs" bzImage modules >"$out/build.log" 2>&1 ||
	die "kernel build failed: $(grep -m1 -i 'error' "$out/build.log" || tail -n1 "$out/build.log")"
rm -rf "$out/mods"
"${kmake[@]}" INSTALL_MOD_PATH="$out/mods" modules_install >>"$out/build.log" 2>&1 ||
	die "modules_install failed: $(tail -n1 "$out/build.log")"
release=$(cat "$build/include/config/kernel.release")
echo "build-kernel: $release in $build ($(( $(stat -c %s "$build/arch/x86/boot/bzImage") / 1024 )) KiB bzImage, $(( $(date +%s) - start )) s to build)"
