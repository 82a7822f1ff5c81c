#!/bin/bash
# small-kernel.sh - the small kernel (make small-kernel) boots the chain:
#   - built from Debian's kernel source with image/kernel-small.config,
#     every option taken, everything built in;
#   - its image needs no module at any level (modules.builtin in the
#     initrd: no "module …" warning) and every level runs it, entered by
#     PVH, to depth 3 under nested KVM below level 1;
#   - a fragment option that cannot take is refused by name before the
#     build (kconfig alone would drop it without a word).
# Prints TAP and "N passed, N failed".
# Usage: small-kernel.sh SUPERNESTED_BINARY LAUNCHER KERNEL_DIR   (from the source tree;
#   KERNEL_DIR is make small-kernel's output, build/kernel-small)
set -u
tool=$(realpath "$1") launcher=$(realpath "$2") kdir=$(realpath "$3")
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export SOURCE_DATE_EPOCH
out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-smallkernel.XXXXXX")
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/tap.sh"
field() { jq -r "$2" "$1/report.json" 2>/dev/null; }

release=$(cat "$kdir/build/include/config/kernel.release" 2>/dev/null)
is "${release##*-}" supernested "the small kernel was built ($release)"
missing=$(grep '^CONFIG_' image/kernel-small.config | while IFS= read -r l; do
	grep -qxF "$l" "$kdir/build/.config" || echo "${l%%=*}"; done)
is "$missing" "" "every option of image/kernel-small.config is in its .config"
is "$(grep -c '^CONFIG_[A-Z0-9_]*=m' "$kdir/build/.config")" 0 "nothing is a module"
"$tool" kernel-check --config "$kdir/build/.config" --fragment image/kernel.config >/dev/null
ok $? "its config passes image/kernel.config"

env SUPERNESTED_VERSION="$("$tool" --version | cut -d' ' -f2)" image/build-image.sh "$launcher" "$tool" \
	"$kdir/build" "$kdir/mods" "$out/work" "$out/small.img" >"$out/build.log" 2>&1
ok $? "image around $release built"
sed 's/^/#   /' "$out/build.log"
cpio -it --quiet <"$out/work/root/boot/initrd.img" 2>/dev/null | grep -qx 'lib/modules/modules.builtin'
ok $? "the initrd carries the kernel's modules.builtin"

# The tuning the small kernel needs (README, "The small kernel").
"$tool" run --image "$out/small.img" --out "$out/run" --max-depth 3 --expect-depth 3 --timeout 600 \
	--kernel-args 'supernested.tune="pci=noearly lapic=notscdeadline"' >"$out/run.out" 2>&1
rc=$?
grep -E '^L[0-9]|^level|deepest' "$out/run.out" | sed 's/^/#   /'
is "$rc" 0 "depth 3 reached with the small kernel, exit 0"
is "$(field "$out/run" '[.levels[] | select(.up)] | length')" 3 "three levels up"
is "$(field "$out/run" '[.levels[].kernel] | unique | join(",")')" "$release" "every level runs $release"
is "$(field "$out/run" '[.levels[1:][] | .accel] | unique | join(",")')" kvm "levels 2 and 3 under KVM"
is "$(field "$out/run" '[.levels[1:][] | .entry] | unique | join(",")')" pvh "levels 2 and 3 entered through PVH"
is "$(grep -c 'warning detail="module' "$out/run/console.log")" 0 "no level warns about a module: built-in ones are known"
echo "# up: $(field "$out/run" '[.levels[] | "L\(.level) \(.up_at_s * 10 | round / 10) s"] | join(", ")')"

# A fragment option whose dependency is unmet: named, nothing built.
mkdir -p "$out/image"
cp image/build-kernel.sh "$out/image/"
{ cat image/kernel-small.config; echo 'CONFIG_KVM_AMD_SEV=y'; } >"$out/image/kernel-small.config"
cp image/kernel.config "$out/image/"
src_tar=$(ls /usr/src/linux-source-*.tar.xz | head -n1)
"$out/image/build-kernel.sh" "$src_tar" "$tool" "$out/k" >"$out/bad.log" 2>&1
rc=$?
sed 's/^/#   /' "$out/bad.log"
[ $rc != 0 ] && grep -q 'did not take.*CONFIG_KVM_AMD_SEV' "$out/bad.log"
ok $? "an option that cannot take is refused by name"
[ ! -e "$out/k/build/vmlinux" ]; ok $? "and nothing was built"

tap_done
