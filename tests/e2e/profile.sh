#!/bin/bash
# profile.sh - end-to-end: the run profiles, on real boots.
#   1. `run --profile full --max-depth 2`: level 2 says it ran on what full
#      means (the pc machine, PCI devices, the guest's TSC-deadline timer,
#      a tickless kernel, 2 CPUs, and a brother: 2 children per level;
#      a PMU when level 1 has one to give), its
#      live up line says so, report.json records the profile, and parse of
#      console.log gives the same exercised fields.  Level 1 is the host
#      tool's pc in both profiles; under TCG the tool turns its TSC-deadline
#      timer off (host/run.c), so only level 2's timer is checked: the
#      TSC-deadline timer, but under a TCG level 1 the LAPIC timer, which
#      full then asks for and the tool says so (host/profile.c).
#   2. `run --max-depth 2` (deep, the default): level 2 ran on microvm, no
#      PCI device, no PMU, the LAPIC's one-shot timer, a periodic tick.
#      Measured here (level 1 under TCG): full's level 2 up in 9-12 s; on
#      the TSC-deadline timer 2 of 5 full boots never brought level 2 up
#      (one lost its timer interrupts: an RCU stall, a timeout after
#      120 s), the reason deep keeps lapic=notscdeadline
#      (launcher/settings.h) and full does too under a TCG level 1.
#   3. compare refuses to take the deep run as the full run's reference
#      (exit 3, one line); a wrong --profile is a one-line usage error.
# Prints TAP.  KEEP=1 keeps the runs' directories.
# Usage: profile.sh SUPERNESTED_BINARY IMAGE
set -u
tool=$(realpath "$1") image=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
. "$here/runs.sh"
e2e_out profile

full=$out/full
start=$(date +%s)
"$tool" run --image "$image" --profile full --max-depth 2 --timeout 600 --out "$full" >"$full.out" 2>&1
is "$?" 0 "--profile full --max-depth 2: exit 0"
echo "# full to depth 2: $(($(date +%s) - start)) s"
is "$(field full .result.deepest)" 2 "depth 2 reached"
is "$(field full .settings.profile)" full "report.json records the profile"
grep -q "^profile full (" "$full.out"
ok $? "the table says the profile" "$full.out"
is "$(field full '.levels[0].exercised.machine')" pc "level 1: the pc machine"
pci=$(field full '.levels[0].exercised.pci_devices')	# not n: tap.sh's counter
[ "$pci" != null ] && [ "$pci" -gt 0 ]
ok $? "level 1: PCI devices ($pci)"
l1pmu=$(field full '.levels[0].exercised.pmu')
is "$(field full '.levels[1].exercised.machine')" pc "level 2: the pc machine"
pci=$(field full '.levels[1].exercised.pci_devices')
[ "$pci" != null ] && [ "$pci" -gt 0 ]
ok $? "level 2: PCI devices ($pci)"
if [ "$(field full '.levels[0].accel')" = tcg ]; then
	is "$(field full '.levels[1].exercised.timer')" lapic \
		"level 2 under a TCG level 1: the LAPIC timer, not TSC-deadline"
	grep -q "^supernested: profile full under TCG adds supernested.tune=lapic=notscdeadline (" "$full.out"
	ok $? "... and the tool says so, and why" "$full.out"
	timer=lapic
else
	is "$(field full '.levels[1].exercised.timer')" lapic-deadline \
		"level 2: the TSC-deadline timer (KVM's LAPIC offers it to -cpu host)"
	timer=lapic-deadline
fi
is "$(field full '.levels[1].exercised.tick')" tickless "level 2: tickless"
is "$(field full '.levels[1].smp')" 2 "level 2: 2 CPUs"
is "$(field full '[.width, ([.tree[] | select(.up)] | length)] | join(",")')" 2,3 \
	"width 2: level 1 and its two children up"
is "$(field full '.tree[] | select(.node == "1.2") | .exercised.machine')" pc "level 2's brother: pc too"
# a level's KVM gives its guest a PMU only when it has one itself
if [ "$l1pmu" = true ]; then
	is "$(field full '.levels[1].exercised.pmu')" true "level 2: a PMU (level 1 has one)"
else
	is "$(field full '.levels[1].exercised.pmu')" false \
		"level 2: no PMU, as level 1 ($(field full '.levels[0].accel')) has none to give"
fi
grep -qE "^\[ *[0-9.]+s\] L2 up: .*; pc, [0-9]+ PCI, PMU (on|off), $timer, tickless" "$full.out"
ok $? "level 2's live up line says what it exercised" "$full.out"
"$tool" parse --profile full --max-depth 2 --json "$full.parse.json" "$full/console.log" >"$full.parse.out" 2>&1
is "$(jq -c '[.settings.profile, [.levels[] | .exercised]]' "$full.parse.json")" \
	"$(jq -c '[.settings.profile, [.levels[] | .exercised]]' "$full/report.json")" \
	"parse --profile full of console.log gives the same profile and exercised fields"

deep=$out/deep
start=$(date +%s)
"$tool" run --image "$image" --max-depth 2 --timeout 600 --out "$deep" >"$deep.out" 2>&1
is "$?" 0 "deep (the default) --max-depth 2: exit 0"
echo "# deep to depth 2: $(($(date +%s) - start)) s"
is "$(field deep .settings.profile)" deep "report.json records the default profile"
is "$(field deep '.levels[1].exercised | [.machine, .pci_devices, .pmu, .timer, .tick] | join(" ")')" \
	"microvm 0 false lapic periodic" \
	"level 2: microvm, no PCI device, no PMU, the LAPIC's one-shot timer, a periodic tick"

"$tool" compare "$deep" "$full" >"$out/compare.out" 2>"$out/compare.err"
is "$?" 3 "compare: a deep run is no reference for a full one (exit 3, no verdict)"
is "$(wc -l <"$out/compare.err")" 1 "... said in one line"
grep -q "no run of profile full" "$out/compare.err"
ok $? "... naming the profile" "$out/compare.err"

"$tool" run --image "$image" --profile fast --out "$out/bad" >"$out/bad.out" 2>&1
is "$?" 2 "--profile fast: usage error"
is "$(wc -l <"$out/bad.out")" 1 "... in one line"
[ ! -e "$out/bad" ]
ok $? "... and nothing started"
tap_done
