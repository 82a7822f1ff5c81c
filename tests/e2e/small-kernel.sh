#!/bin/bash
# small-kernel.sh - the kernel the image ships (make small-kernel) and
# level 4:
#   - built from Debian's kernel source with image/kernel-small.config,
#     every option taken, everything built in;
#   - the image ships it, needs no module at any level (modules.builtin in
#     the initrd: no "module ..." warning), and runs it at every level,
#     entered by PVH, to depth 4 under nested KVM below level 1 with the
#     budgets each level derives itself; level 4's boot exits are counted
#     by its parent and by level 1; every level on the LAPIC timer
#     without TSC-deadline; a run that fails shows its console.log's last
#     lines, and one that did not finish (exit 3: the host stopped a
#     silent level 1) gets one more attempt, said with its table;
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
depth4() {	# depth4 NAME SECONDS: the run into $out/NAME, its exit status in $rc
	"$tool" run --image "$image" --out "$out/$1" --max-depth 4 --expect-depth 4 --timeout "$2" \
		>"$out/$1.out" 2>&1
	rc=$?
}
table() { grep -E '^L[0-9]|^level|deepest' "$out/$1.out" | cut -c1-200 | sed 's/^/#   /'; }
log_tail() {	# log_tail NAME: why a run failed, in the CI log
	echo "# the last 40 lines of its console.log ($1):"
	tail -n 40 "$out/$1/console.log" 2>/dev/null | cut -c1-200 | sed 's/^/#   /'
	# where a stopped qemu's vCPU was (the host's of level 1, a parent's of
	# its child), named in this kernel: every level runs it
	grep -h 'monitor: RIP=' "$out/$1/console.log" 2>/dev/null | grep -o 'RIP=[0-9a-fA-F]*' |
		cut -d= -f2 | while read -r rip; do
			echo "#   RIP $rip: $(addr2line -f -e "$kdir/build/vmlinux" "0x$rip" 2>/dev/null | head -n1)"
		done
}
t0=$SECONDS
# level 4 is up within 60-165 s (docs/measurements.md): the first attempt
# gets twice the worst of that, so that a stuck run costs 5 minutes, not 15
depth4 run 330
# Under TCG on a busy host a level below level 1 once in a while stops for
# good, and its budget for its child with it (docs/measurements.md, "sharing
# the machine with a benchmark"; once in CI, level 3 with level 4 booting):
# nothing more comes, the host stops level 1 when the budgets allow no more
# silence (or the first attempt's time runs out), and the run has no
# verdict (exit 3, the run did not finish).
# That, and only that, gets one more attempt, said with the first's table
# and log; a failure (exit 1) never.
again=
if [ "$rc" = 3 ] && grep -q 'NO VERDICT (the run did not finish)' "$out/run.out"; then
	echo "# the depth-4 run did not finish (exit 3, no verdict) after $((SECONDS - t0)) s: one more attempt; the first's table:"
	mv "$out/run" "$out/first" && mv "$out/run.out" "$out/first.out"
	table first
	log_tail first
	again=", second attempt"
	t0=$SECONDS
	depth4 run 900
fi
table run
[ "$rc" = 0 ] || log_tail run
is "$rc" 0 "depth 4 reached, exit 0 ($((SECONDS - t0)) s$again)"
is "$(field "$out/run" '[.levels[] | select(.up)] | length')" 4 "four levels up"
is "$(field "$out/run" '[.levels[].kernel] | unique | join(",")')" "$release" "every level runs $release"
is "$(field "$out/run" '[.levels[1:][] | .accel] | unique | join(",")')" kvm "levels 2 to 4 under KVM"
is "$(field "$out/run" '[.levels[1:][] | .entry] | unique | join(",")')" pvh "levels 2 to 4 entered through PVH"
is "$(field "$out/run" '[.levels[].exercised.timer] | unique | join(",")')" lapic \
	"every level on the LAPIC timer without TSC-deadline, level 1 too"
is "$(field "$out/run" '[.levels[].tick_stride | tostring] | join(",")')" 1,1,8,8 \
	"levels 1-2 tick every jiffy, levels 3-4 every 8: their kernel took lapic_tick_stride=8"
is "$(grep -c 'warning detail="module' "$out/run/console.log")" 0 "no level warns about a module: built-in ones are known"
x=$(field "$out/run" '.levels[3].exits.total'); [ "$x" -gt 0 ] 2>/dev/null
ok $? "level 4's boot exits counted by level 3 ($x)"
x=$(field "$out/run" '.levels[3].exits_l1.total'); [ "$x" -gt 0 ] 2>/dev/null
ok $? "and by level 1 ($x)"
# Without kvm-debugctl-vmx-only.patch, DEBUGCTL (MSR 0x1d9) reads were
# level 1's most common MSR exit for a deep boot (19 909 of 126 553).
if [ "$(field "$out/run" '.levels[0].vendor')" = AuthenticAMD ]; then
	x=$(field "$out/run" '[.levels[2:][] | .exits_l1.msrs // "" | split(",")[] | select(startswith("0x1d9:"))] | length')
	is "$x" 0 "AMD: the levels' KVM reads no DEBUGCTL per entry (no MSR 0x1d9 among level 1's exits for levels 3-4)"
else
	skip "DEBUGCTL reads: level 1 is not AMD, VMX keeps them"
fi
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
