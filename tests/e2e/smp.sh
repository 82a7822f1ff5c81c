#!/bin/bash
# smp.sh - end-to-end: levels with several CPUs, on real boots.
#   1. `run --smp 2 --max-depth 3`: under TCG level 1 keeps one CPU (a
#      level 1 with more hangs its nested guest; the tool says so) and
#      levels 2 and 3 get 2; each of them proves its CPUs work together
#      (IPIs counted around the launcher's workload, in report.json), and
#      level 2 ran level 3's two vCPUs on two different CPUs of its own,
#      both with guest time; parse of console.log agrees.
#   2. a wrong --smp is a one-line usage error (exit 2) and starts nothing.
# Prints TAP.  KEEP=1 keeps the run's directory.
# Usage: smp.sh SUPERNESTED_BINARY IMAGE
set -u
tool=$(realpath "$1") image=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
. "$here/runs.sh"
e2e_out smp

d=$out/smp2
"$tool" run --image "$image" --smp 2 --max-depth 3 --timeout 600 --out "$d" >"$d.out" 2>&1
is "$?" 0 "--smp 2 --max-depth 3: exit 0"
is "$(field smp2 .result.deepest)" 3 "depth 3 reached"
accel=$(field smp2 '.levels[0].accel')
if [ "$accel" = tcg ]; then
	is "$(field smp2 '.levels[0].smp')" 1 "level 1 under TCG keeps one CPU"
	grep -q "level 1 runs 1 CPU under TCG" "$d.out"
	ok $? "... and the tool says why" "$d.out"
else
	is "$(field smp2 '.levels[0].smp')" 2 "level 1 on $accel has 2 CPUs"
fi
for l in 2 3; do
	is "$(field smp2 ".levels[$((l - 1))].smp")" 2 "level $l has 2 CPUs"
	calls=$(field smp2 ".levels[$((l - 1))].ipis.function_calls")
	tlb=$(field smp2 ".levels[$((l - 1))].ipis.tlb_shootdowns")
	[ "${calls:-0}" != null ] && [ "${calls:-0}" -gt 0 ]
	ok $? "level $l: its CPUs sent each other function-call IPIs ($calls)" "$d.out"
	[ "${tlb:-null}" != null ] && [ "$tlb" -ge 0 ]
	ok $? "level $l: TLB shootdowns counted, not unknown ($tlb)" "$d.out"
	grep -qE "^\[ *[0-9.]+s\] L$l up: .* 2 CPUs \(IPIs: [0-9]+ TLB, [0-9]+ call, [0-9]+ resched\)" "$d.out"
	ok $? "level $l's live line names its CPUs and IPIs" "$d.out"
done
is "$(field smp2 '.levels[2].vcpus.parent_cpus | unique | length')" 2 \
	"level 3's two vCPUs ran on two different CPUs of level 2"
is "$(field smp2 '[.levels[2].vcpus.guest_ms[] | select(. != null and . > 0)] | length')" 2 \
	"... both with guest time"
"$tool" parse --max-depth 3 --json "$d.parse.json" "$d/console.log" >"$d.parse.out" 2>&1
is "$(jq -c '[.levels[] | {smp, ipis, vcpus}]' "$d.parse.json")" \
	"$(jq -c '[.levels[] | {smp, ipis, vcpus}]' "$d/report.json")" \
	"parse of console.log gives the same CPUs, IPIs and vCPU placement"

for bad in 0 257 two; do
	"$tool" run --image "$image" --smp "$bad" --out "$out/bad-$bad" >"$out/bad-$bad.out" 2>&1
	is "$?" 2 "--smp $bad: usage error"
	is "$(wc -l <"$out/bad-$bad.out")" 1 "... in one line"
	[ ! -e "$out/bad-$bad" ]
	ok $? "... and nothing started"
done
tap_done
