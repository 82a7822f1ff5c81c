#!/bin/bash
# failures.sh - every failure class, provoked for real by fault injection
# (supernested.inject=MODE@LEVEL) in a real boot, at level 2 or where it
# naturally shows, and checked in report.json: the outcome, the level where
# the chain stopped, evidence lines (a timed-out child's registers from its
# qemu monitor), a completed report, and exit status 1 under --expect-depth.
# Prints TAP and a closing "N passed, N failed" line.
# Usage: failures.sh SUPERNESTED_BINARY IMAGE
set -u
tool=$1 image=$2
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/runs.sh"	# E2E_OUT=DIR keeps every run's output there
e2e_out failures

# failure NAME INJECT FAILED-LEVEL OUTCOME DEPTH LEVEL-TIMEOUT [EVIDENCE-PATTERN]:
# provoke INJECT with --max-depth/--expect-depth DEPTH and check the report.
failure() {
	local name=$1 inject=$2 level=$3 outcome=$4 depth=$5 budget=$6 evidence=${7:-.}
	local i=$((level - 1))

	run "$name" --max-depth "$depth" --expect-depth "$depth" --level-timeout "$budget" \
		--timeout 600 --kernel-args "supernested.inject=$inject"
	is "$(cat "$out/$name.rc")" 1 "$name: --expect-depth $depth not met: exit status 1"
	is "$(field "$name" '.result.completed')" true "$name: run completed, nothing lost"
	is "$(field "$name" '.result.outcome')" "$outcome" "$name: chain ended in $outcome"
	is "$(field "$name" '.result.failed_level')" "$level" "$name: at level $level"
	is "$(field "$name" ".levels[$i].failure")" true "$name: L$level marked failed"
	ok "$([ "$(field "$name" ".levels[$i].evidence | length")" -gt 0 ]; echo $?)" \
		"$name: L$level has evidence lines"
	has "$name" ".levels[$i].evidence[]" "$evidence" "$name: evidence shows it ($evidence)"
	has "$name" '.notes[]' "fault injection $inject" "$name: the injection says so in the notes"
}

echo "# image $(du -m --apparent-size "$image" | cut -f1) MiB, tool $tool"
start=$SECONDS

# level 2 crashes its own kernel once up
failure panic panic@2 2 panic 3 60 'RIP|Kernel Offset|Call Trace'
has panic '.levels[1].detail' 'Kernel panic - not syncing' "panic: detail is the kernel's panic line"

# level 2 comes up and goes silent: level 1's budget ends it; its qemu
# monitor says where it was
failure hang-silent hang-silent@2 2 timeout 3 20 '^monitor: RIP='
has hang-silent '.levels[1].evidence[]' '^monitor: VM status: running' "hang-silent: the monitor saw it running"
has hang-silent '.levels[1].detail' 'silent after coming up' "hang-silent: detail says it went silent once up"

# level 1 itself comes up and goes silent: the host tool gives level 1 the
# budget a launcher gives its child, on the host's clock, well before the
# run's time limit; level 1's own monitor says where it was
run l1-silent --max-depth 2 --expect-depth 2 --level-timeout 20 --timeout 600 \
	--kernel-args "supernested.inject=hang-silent@1"
is "$(cat "$out/l1-silent.rc")" 3 "l1-silent: no summary from level 1: exit status 3"
is "$(field l1-silent '.result.outcome')" timeout "l1-silent: chain ended in timeout"
is "$(field l1-silent '.result.failed_level')" 1 "l1-silent: at level 1"
has l1-silent '.levels[0].detail' 'nothing from level 1 for [0-9]+ s, more than the budgets' \
	"l1-silent: the host's budget for level 1 ended it, not the run's time limit"
has l1-silent '.levels[0].evidence[]' '^level 1 monitor: RIP=' "l1-silent: level 1's registers kept"
has l1-silent '.notes[]' 'fault injection hang-silent@1' "l1-silent: the injection says so in the notes"

# level 2's vCPUs stopped early in its boot: it never reports up
failure hang-early hang-early@2 2 timeout 2 20 '^monitor: (RIP|EIP)='
has hang-early '.levels[1].evidence[]' '^monitor: VM status: paused' "hang-early: the monitor saw it stopped"
has hang-early '.levels[1].detail' 'never reported up' "hang-early: detail says it never came up"
has hang-early '.levels[1].exits.total' '^[1-9][0-9]*$' "hang-early: its parent counted the failed boot's exits"
grep -q 'child-extend' "$out/hang-early/console.log"
ok $((! $?)) "hang-early: a stopped child gets no more time (no work of its own)"
is "$(field hang-early '.levels[0].child_budget_s')" 20 "hang-early: L2's budget stayed 20 s"

# level 2's qemu killed by a signal once level 2 is up
failure qemu-crash qemu-crash@2 2 qemu-crash 3 60 'qemu killed by signal 11'
has qemu-crash '.levels[1].detail' 'signal 11' "qemu-crash: detail names the signal"

# level 2's qemu refuses an option
failure qemu-start qemu-start@2 2 qemu-start 2 60 'invalid option'

# level 2 powers off without its summary
failure qemu-exit qemu-exit@2 2 qemu-exit 3 60
has qemu-exit '.levels[1].detail' 'without a summary' "qemu-exit: detail says so"

# level 2 on a CPU without svm/vmx
failure no-virt no-virt@2 2 no-virt 3 60
is "$(field no-virt '.levels[1].virt')" none "no-virt: L2 reports no virtualization"

# level 1 loads kvm_amd/kvm_intel with nested=0: level 2 gets no svm/vmx
failure nested-off nested-off@1 2 nested-disabled 3 60
is "$(field nested-off '.levels[0].nested')" 0 "nested-off: L1 reports nested=0"

# level 2 cannot load its KVM vendor module (not there)
failure kvm-module kvm-module@2 2 kvm-module 3 60
has kvm-module '.levels[1].detail' 'injected_missing: No such file' "kvm-module: detail names the module and the error"

# level 2 has no /dev/kvm
failure no-kvm-dev no-kvm-dev@2 2 no-kvm-dev 3 60
has no-kvm-dev '.levels[1].detail' '/dev/kvm: No such file' "no-kvm-dev: detail names the device"

# level 2's firmware jumps where there is no memory: KVM's internal error
failure kvm-error kvm-error@2 2 kvm-error 2 60 'KVM internal error|emulation failure'

# the run's time limit passed down (--timeout 80: level 1's deadline 70 s
# after the run's start, on the wall clock every level shares, level 2's
# about 42 s): level 3 hangs early, level 2 would give it 240 s, and stops
# it in time for every level's results to reach the host, with its exits
run run-limit --max-depth 3 --timeout 80 --kernel-args "supernested.inject=hang-early@3"
is "$(cat "$out/run-limit.rc")" 3 "run-limit: the run's time, no verdict on the kernel: exit status 3"
is "$(field run-limit '.result.completed')" true "run-limit: level 1's summary reached the host: nothing lost"
is "$(field run-limit '.result.outcome')" run-limit "run-limit: chain ended in run-limit"
is "$(field run-limit '.result.failed_level')" 3 "run-limit: at level 3"
is "$(field run-limit '.levels[2].verdict.status')" ERROR "run-limit: level 3 is ERROR, not FAIL"
has run-limit '.levels[2].detail' "the run's time limit: stopped [0-9]+ s after its start, before it came up" \
	"run-limit: detail says what stopped it"
has run-limit '.levels[2].evidence[]' '^monitor: (RIP|EIP)=' "run-limit: its registers kept"
has run-limit '.levels[2].exits.total' '^[1-9][0-9]*$' "run-limit: its parent counted its boot's exits"
x=$(field run-limit '.levels[1].child_budget_s')
[ "$x" -ge 10 ] && [ "$x" -le 40 ] 2>/dev/null
ok $? "run-limit: level 2 gave level 3 what the deadline left ($x s), not 240 s"
grep -q 'L1 child-start level=2 .* deadline=[1-9][0-9]\{9\}' "$out/run-limit/console.log"
ok $? "run-limit: level 1 passed level 2 its deadline"
x=$(field run-limit '.levels[0].child_budget_s')
[ "$x" -le 60 ] 2>/dev/null
ok $? "run-limit: and gave it no more than its own deadline left ($x s)"

# too little left for a child: level 2 starts none (--timeout 45: level 2's
# deadline is about 11 s after the run's start, when it is up at about 4 s)
run run-limit-early --max-depth 3 --timeout 45
is "$(cat "$out/run-limit-early.rc")" 3 "run-limit-early: exit status 3"
is "$(field run-limit-early '.result.outcome')" run-limit "run-limit-early: chain ended in run-limit"
is "$(field run-limit-early '[.levels[] | select(.up)] | length')" 2 "run-limit-early: levels 1 and 2 up"
has run-limit-early '.levels[1].detail' "too little to start level 3" "run-limit-early: level 2 says why it started none"

# a malformed inject value: a config error, no injection, the run goes on
run config-error --max-depth 1 --expect-depth 1 --timeout 300 --kernel-args "supernested.inject=explode@2"
is "$(cat "$out/config-error.rc")" 0 "config-error: the run itself is fine: exit status 0"
is "$(field config-error '.result.completed')" true "config-error: run completed"
is "$(field config-error '.result.outcome')" max-depth "config-error: chain ended at max depth"
has config-error '.notes[]' 'config error: supernested.inject=explode@2: must be MODE@LEVEL' \
	"config-error: the malformed value reported with the form it must have"
field config-error '.notes[]' | grep -q 'fault injection'
ok $((! $?)) "config-error: nothing injected"

echo "# all cases: $((SECONDS - start)) s"
tap_done
