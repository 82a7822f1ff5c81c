#!/bin/bash
# any-kernel.sh - images around other kernels (issue: test any kernel):
#   - Debian's cloud kernel (another config, lz4-compressed): the image is
#     built by an unprivileged user, is byte-identical to a root build,
#     and runs to depth 2 with that kernel at every level;
#   - a modules tree without kvm_amd: level 1 stops with kvm-module and
#     says why, exit 1 under --expect-depth 2;
#   - a config without CONFIG_KVM: refused before anything is built,
#     naming the option.
# Also measures build time, sizes, and time to L2 against the default
# kernel's image in the same session.  Prints TAP and "N passed, N failed".
# Usage: any-kernel.sh SUPERNESTED_BINARY LAUNCHER DEFAULT_IMAGE DEBIAN_ROOT CLOUD_ROOT
#   (from the source tree) DEBIAN_ROOT, CLOUD_ROOT: Debian's standard and
#   cloud kernel packages unpacked (image/debian-package.sh kernel), with
#   boot/vmlinuz-<release>, lib/modules/<release> and the release in ./release
set -u
tool=$(realpath "$1") launcher=$(realpath "$2") default_image=$3
debian_root=$(realpath "$4") cloud_root=$(realpath "$5")
cloud_release=$(cat "$cloud_root/release")
# Debian's own kernel (the image ships the small one): the modules and
# config cases below take it apart
debian_release=$(cat "$debian_root/release")
# what make passes: the builds below run the script directly, some as
# another user, who may not read this git tree
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export SOURCE_DATE_EPOCH
out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-anykernel.XXXXXX")
chmod 1777 "$out"	# the unprivileged build writes here too
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/tap.sh"
field() { jq -r "$2" "$1/report.json" 2>/dev/null; }
build() {	# build NAME KERNEL MODULES [RUNNER...]: image $out/NAME.img
	local name=$1 kernel=$2 modules=$3; shift 3
	"$@" env SUPERNESTED_VERSION="$("$tool" --version | cut -d' ' -f2)" \
		image/build-image.sh "$launcher" "$tool" "$kernel" "$modules" \
		"$out/work-$name" "$out/$name.img" >"$out/$name.build" 2>&1
}
run() {		# run NAME IMAGE ARGS...
	local name=$1 image=$2; shift 2
	"$tool" run --image "$image" --out "$out/$name" "$@" >"$out/$name.out" 2>&1
	echo $? >"$out/$name.rc"
	grep -E 'L[0-9]+ (up|child-fail|stop)|^L[0-9]|^level' "$out/$name.out" | sed 's/^/#   /'
}

[ -n "$cloud_release" ] && [ -r "$cloud_root/boot/vmlinuz-$cloud_release" ]
ok $? "Debian's cloud kernel unpacked ($cloud_release)" || { echo "1..$n"; echo "0 passed, 1 failed"; exit 1; }

# 1. the cloud kernel, built by nobody in particular, then by root
t0=$(date +%s.%N)
build cloud "$cloud_root/boot/vmlinuz-$cloud_release" "$cloud_root/lib/modules/$cloud_release" setpriv --reuid=65534 --regid=65534 --clear-groups --
rc=$?; t=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}")
ok $rc "image around $cloud_release built as an unprivileged user (uid 65534) in $t s"
[ $rc = 0 ] || sed 's/^/#   /' "$out/cloud.build"
is "$(stat -c %u "$out/cloud.img" 2>/dev/null)" 65534 "the image belongs to the unprivileged user"
build cloud-root "$cloud_root/boot/vmlinuz-$cloud_release" "$cloud_root/lib/modules/$cloud_release"
cmp -s "$out/cloud.img" "$out/cloud-root.img"; ok $? "unprivileged and root builds are byte-identical"
grep -q "kernel_compression=lz4" "$out/work-cloud/root/etc/supernested-release"
ok $? "lz4-compressed bzImage detected and recorded"

run cloud "$out/cloud.img" --max-depth 2 --expect-depth 2 --timeout 600
d=$out/cloud
is "$(cat "$d.rc")" 0 "cloud kernel: depth 2 reached, exit 0"
is "$(field "$d" '[.levels[] | select(.up)] | length')" 2 "cloud kernel: two levels up"
is "$(field "$d" '[.levels[].kernel] | unique | join(",")')" "$cloud_release" "cloud kernel: every level runs $cloud_release"
is "$(field "$d" '.levels[1].entry')" pvh "cloud kernel: level 2 entered through PVH"
is "$(field "$d" '.image_kernel')" "$cloud_release" "report.json names the image's kernel"

# time to L2 against the default kernel's image, in the same session
run default "$default_image" --max-depth 2 --expect-depth 2 --timeout 600
is "$(cat "$out/default.rc")" 0 "default kernel: depth 2 reached"
echo "# time to L2 (host clock): cloud $(field "$out/cloud" '.levels[1].up_at_s') s," \
     "default $(field "$out/default" '.levels[1].up_at_s') s; L2 boot: cloud" \
     "$(field "$out/cloud" '.levels[1].boot_s') s, default $(field "$out/default" '.levels[1].boot_s') s"
echo "# image size: cloud $(du -m --apparent-size "$out/cloud.img" | cut -f1) MiB," \
     "default $(du -m --apparent-size "$default_image" | cut -f1) MiB"

# 2. a modules tree without kvm_amd (links to the real files, one taken away)
m=$out/mods/lib/modules/$debian_release
mkdir -p "$(dirname "$m")"
cp -rs "$debian_root/lib/modules/$debian_release" "$m"
rm -f "$m"/kernel/arch/x86/kvm/kvm-amd.ko*
depmod -b "$out/mods" "$debian_release"
build nokvm "$debian_root/boot/vmlinuz-$debian_release" "$out/mods"; ok $? "image with modules lacking kvm_amd built"
run nokvm "$out/nokvm.img" --max-depth 2 --expect-depth 2 --timeout 300
d=$out/nokvm
is "$(cat "$d.rc")" 1 "no kvm_amd: exit 1 under --expect-depth 2"
is "$(field "$d" '.levels[0].outcome')" kvm-module "no kvm_amd: level 1 says kvm-module"
field "$d" '.levels[0].detail' | grep -q 'kvm_amd'; ok $? "no kvm_amd: the detail names the module ($(field "$d" '.levels[0].detail'))"
field "$d" '.levels[0].evidence[]' | grep -q 'kvm_amd: neither built in nor in the initrd'
ok $? "no kvm_amd: evidence from level 1 ($(field "$d" '.levels[0].evidence | length') lines)"
is "$(field "$d" '.result.completed')" true "no kvm_amd: the run completed"

# 3. a build tree whose .config lacks CONFIG_KVM: refused, by name
tree=$out/tree
mkdir -p "$tree/arch/x86/boot"
ln -s "$debian_root/boot/vmlinuz-$debian_release" "$tree/arch/x86/boot/bzImage"
grep -v '^CONFIG_KVM=' "$debian_root/boot/config-$debian_release" >"$tree/.config"
build nokvmcfg "$tree" ""; rc=$?
[ $rc != 0 ]; ok $? "config without CONFIG_KVM: build refused"
grep -q 'error: CONFIG_KVM is not set' "$out/nokvmcfg.build"; ok $? "the refusal names CONFIG_KVM and the fix"
sed 's/^/#   /' "$out/nokvmcfg.build" | head -n 4
[ ! -e "$out/nokvmcfg.img" ]; ok $? "no image written"

tap_done
