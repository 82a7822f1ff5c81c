#!/bin/bash
# small-kernel.sh - the kernel the image ships (make small-kernel) and
# level 4:
#   - built from Debian's kernel source with image/kernel-small.config,
#     every option taken, everything built in;
#   - the image ships it, needs no module at any level (modules.builtin in
#     the initrd: no "module ..." warning), and runs it at every level,
#     entered by PVH, to depth 4 under nested KVM below level 1 with the
#     budgets each level derives itself; level 4's boot exits are counted
#     by its parent and by level 1;
#   - a fragment option that cannot take is refused by name before the
#     build (kconfig alone would drop it without a word).
# Prints TAP and "N passed, N failed".
# Usage: small-kernel.sh SUPERNESTED_BINARY KERNEL_DIR IMAGE IMAGE_WORK   (from the
#   source tree; KERNEL_DIR is make small-kernel's output, build/kernel-small,
#   IMAGE_WORK the image build's work directory, build/image)
set -u
tool=$(realpath "$1") kdir=$(realpath "$2") image=$3 work=$4
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
is "$(sed -n 's/^kernel_release=//p' "$work/root/etc/supernested-release")" "$release" \
	"the image ships it"
cpio -it --quiet <"$work/root/boot/initrd.img" 2>/dev/null | grep -qx 'lib/modules/modules.builtin'
ok $? "the initrd carries the kernel's modules.builtin"

# Level 4 with the defaults: every budget derived by the levels themselves.
t0=$SECONDS
"$tool" run --image "$image" --out "$out/run" --max-depth 4 --expect-depth 4 --timeout 900 \
	>"$out/run.out" 2>&1
rc=$?
grep -E '^L[0-9]|^level|deepest' "$out/run.out" | sed 's/^/#   /'
is "$rc" 0 "depth 4 reached, exit 0 ($((SECONDS - t0)) s)"
is "$(field "$out/run" '[.levels[] | select(.up)] | length')" 4 "four levels up"
is "$(field "$out/run" '[.levels[].kernel] | unique | join(",")')" "$release" "every level runs $release"
is "$(field "$out/run" '[.levels[1:][] | .accel] | unique | join(",")')" kvm "levels 2 to 4 under KVM"
is "$(field "$out/run" '[.levels[1:][] | .entry] | unique | join(",")')" pvh "levels 2 to 4 entered through PVH"
is "$(grep -c 'warning detail="module' "$out/run/console.log")" 0 "no level warns about a module: built-in ones are known"
x=$(field "$out/run" '.levels[3].exits.total'); [ "$x" -gt 0 ] 2>/dev/null
ok $? "level 4's boot exits counted by level 3 ($x)"
x=$(field "$out/run" '.levels[3].exits_l1.total'); [ "$x" -gt 0 ] 2>/dev/null
ok $? "and by level 1 ($x)"
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
