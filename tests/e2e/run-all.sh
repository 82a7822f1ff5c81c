#!/bin/bash
# run-all.sh - end-to-end tests: real qemu boots of the real image.
# Level 1 runs under TCG here (or KVM where the host has vmx/svm); level 2
# runs under nested KVM inside it.  Prints TAP and a closing
# "N passed, N failed" line; exits non-zero when anything failed.
# Usage: run-all.sh SUPERNESTED_BINARY IMAGE [OOM_IMAGE]
#   OOM_IMAGE: an image whose kernel dies of OOM in 80 MiB (default IMAGE).
#   Debian's kernel does; the shipped small kernel boots in 36 MiB and below
#   that hangs before its first console line, which is no OOM to classify.
set -u
tool=$1 image=$2 oom_image=${3:-$2}
out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-e2e.XXXXXX")
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/tap.sh"

field() { jq -r "$2" "$1/report.json" 2>/dev/null; }
run() {		# run NAME ARGS...: a run with its output kept for diagnosis
	local name=$1; shift
	"$tool" run --image "$image" --out "$out/$name" "$@" >"$out/$name.out" 2>&1
	echo $? >"$out/$name.rc"
	sed 's/^/#   /' "$out/$name.out" | grep -E 'L[0-9]+ (up|child-up|child-fail|stop|summary)|^#   (L[0-9]|deepest|level)'
}

echo "# image $(du -m --apparent-size "$image" | cut -f1) MiB, tool $tool"
sum_before=$(sha256sum <"$image")

# 1. the recursion itself: level 1 and level 2, level 2 under KVM
run depth2 --max-depth 2 --expect-depth 2 --timeout 600
d=$out/depth2
is "$(cat "$d.rc")" 0 "depth 2: exit status 0"
is "$(field "$d" '.result.completed')" true "depth 2: run completed"
is "$(field "$d" '.levels[0].up')" true "depth 2: L1 up"
is "$(field "$d" '.levels[1].up')" true "depth 2: L2 up"
is "$(field "$d" '.levels[1].accel')" kvm "depth 2: L2 runs under (nested) KVM"
is "$(field "$d" '.result.outcome')" max-depth "depth 2: chain ended at max depth"
is "$(field "$d" '.result.deepest')" 2 "depth 2: deepest level 2"
b=$(field "$d" '.levels[1].boot_s'); [ "$b" != null ] && awk "BEGIN{exit !($b > 0)}"
ok $? "depth 2: L2 boot time measured by L1 ($b s)"
is "$(field "$d" '.levels[1].booted')" direct "depth 2: L2 booted its kernel directly"
is "$(field "$d" '.levels[0].child_mem_mb')" 256 "depth 2: L1 gave the last level what it needs by the policy (256 MiB)"
grep -q 'supernested: L2 up ' "$d/console.log"; ok $? "depth 2: console.log holds L2's report"
x=$(field "$d" '.levels[1].exits.total'); [ "$x" != null ] && [ "$x" -gt 0 ] 2>/dev/null
ok $? "depth 2: L1 counted L2's boot exits ($x)"
field "$d" '.levels[1].exits.top' | grep -Eq '^[a-z0-9_]+:[0-9]+(,[a-z0-9_]+:[0-9]+)*$'
ok $? "depth 2: top exit reasons of L2's boot ($(field "$d" '.levels[1].exits.top'))"
grep -q 'supernested: L1 child-start .*cpu="host,pmu=off".*tune="pci=noearly lapic=notscdeadline nohz=off highres=off"' "$d/console.log"
ok $? "depth 2: L2 started with the default children's cpu and tuning words"
is "$(sha256sum <"$image")" "$sum_before" "depth 2: image byte-for-byte unchanged"
is "$(field "$d" '.result.image_unchanged')" true "depth 2: the tool checked the image itself"
is "$(field "$d" '.result.rejected_reports')" 0 "depth 2: no report broke the chain's rules"
ok $(ls "$d" | grep -cvE '^(console.log|report.json|timeline.svg)$') "depth 2: only console.log, report.json and timeline.svg left in the run directory"
b=$(field "$d" '.levels[1].launcher_s'); [ "$b" != null ]; ok $? "depth 2: launcher_s reaches report.json ($b s)"
is "$(field "$d" '.levels[0].child_need_mb')" 256 "depth 2: need_mb reaches report.json"
b=$(field "$d" '.levels[0].child_budget_s'); [ "$b" != null ]; ok $? "depth 2: L2's budget reported ($b s)"
is "$(field "$d" '[.levels[].crng] | join(",")')" ready,ready "depth 2: each level's random pool ready when it came up (random.trust_cpu=on)"
is "$(field "$d" '.levels[0].thp')" madvise "depth 2: L1's child RAM on transparent huge pages"
is "$(field "$d" '.levels[1].thp')" never "depth 2: L2, in 235 MiB, has none (the kernel's own rule below 512 MiB) and starts no child"

# 1b. what makes a level slow says so: a random pool that makes qemu wait
#     for entropy, a child's RAM on 4 KiB pages
slow='random.trust_cpu=off transparent_hugepage=never'
run slow --max-depth 2 --timeout 600 --kernel-args "$slow supernested.args=\"$slow\""
d=$out/slow
is "$(field "$d" '[.levels[].crng] | join(",")')" waiting,waiting "random.trust_cpu=off: both levels report their pool waiting"
field "$d" '.notes[]' | grep -q '^L1 warning: random pool not initialised: .*random.trust_cpu=on'
ok $? "random.trust_cpu=off: L1's warning reaches the notes"
is "$(field "$d" '[.levels[].thp] | join(",")')" never,never "transparent_hugepage=never: both levels report it"
field "$d" '.notes[]' | grep -q '^L1 warning: transparent huge pages: never; '
ok $? "transparent_hugepage=never: L1's warning reaches the notes"
is "$(field "$d" '.result.deepest')" 2 "slow words: L2 still comes up"

# 1c. a child still booting, and working, when its time runs out gets more:
#     level 3 works on for 10 s (slow-boot: fresh memory, as a booting
#     kernel touches) before it says up, so a budget of 10 s runs out while
#     it works (its qemu takes ~6 s to start its kernel, with no work to
#     see meanwhile); the budget grows by halves up to 4 times (40 s),
#     which covers a boot of 9-14 s plus those 10 s.  (A budget fitted to
#     a measured boot flaked: boots vary by seconds.)
budget=10
run extend --max-depth 3 --expect-depth 3 --level-timeout "$budget" --timeout 600 \
	--kernel-args 'supernested.inject=slow-boot@3'
d=$out/extend
is "$(cat "$d.rc")" 0 "extend: exit status 0"
is "$(field "$d" '.result.deepest')" 3 "extend: L3 came up after more than its first $budget s"
more=$(awk -v b="$budget" 'BEGIN { printf "%.1f", b * 1.5 }')
grep -Eq "supernested: L2 child-extend level=3 budget_s=$more after_s=$budget.0 work=[1-9]" "$d/console.log"
ok $? "extend: L2 gave L3 half as long again ($more s), with the work L3 did meanwhile"
field "$d" '.notes[]' | grep -Eq "^L2 gave L3 more time, [0-9.]+ s in all: still booting and working after $budget s"
ok $? "extend: a note says so"
b=$(field "$d" '.levels[1].child_budget_s'); awk "BEGIN{exit !($b > $budget && $b <= 4 * $budget)}"
ok $? "extend: L3's budget grew past $budget s, within 4 times ($b s)"
grep -q 'child-extend' "$out/depth2/console.log"
ok $((! $?)) "depth 2: a child up within its time gets no extension"

# 2. a child too small to live: a real kernel OOM panic, classified; and
#    since only L1 came up, --expect-depth 2 is not met: exit status 1
image=$oom_image run oom --max-depth 2 --expect-depth 2 --kernel-args "supernested.mem=80M" --level-timeout 60 --timeout 300
d=$out/oom
is "$(field "$d" '.result.completed')" true "oom: run completed"
is "$(field "$d" '.levels[1].up')" false "oom: L2 never came up"
is "$(field "$d" '.levels[1].outcome')" oom "oom: L2 classified as out of memory"
is "$(field "$d" '.result.failed_level')" 2 "oom: chain stopped at L2"
is "$(field "$d" '.result.failure')" true "oom: result is a failure"
is "$(cat "$d.rc")" 1 "oom: --expect-depth 2 not met gives exit status 1"

# 3. memory policy: level 1 too small to give a level 2 enough, refuses;
#    a malformed setting is reported and its default used
run nomem --mem 400M --max-depth 3 --kernel-args "supernested.evidence=lots" --timeout 300
d=$out/nomem
is "$(field "$d" '.levels[0].outcome')" no-memory "no-memory: L1 refuses to start a too small L2"
field "$d" '.levels[0].detail' | grep -q 'MiB'; ok $? "no-memory: detail says how much"
field "$d" '.notes[]' | grep -q 'config error: supernested.evidence=lots'
ok $? "config error: bad kernel parameter reported with a clear message"

# 4. booted by hand under a default qemu: 128 MiB, and a CPU without
#    vmx/svm (qemu64 has svm under TCG: take it away as KVM on Intel does)
byhand() {	# byhand NAME QEMU-ARGS...
	local name=$1; shift
	timeout 300 qemu-system-x86_64 -accel tcg -drive "file=$image,format=raw,snapshot=on" \
		-nographic -no-reboot "$@" </dev/null >"$out/$name.log" 2>&1
	"$tool" parse --json "$out/$name.json" "$out/$name.log" >"$out/$name.out" 2>&1
	sed 's/^/#   /' "$out/$name.out"
}
byhand novirt -cpu qemu64,-svm
is "$(jq -r '.levels[0].outcome' "$out/novirt.json")" no-virt "by hand, no vmx/svm: L1 says so"
jq -r '.levels[0].hint' "$out/novirt.json" | grep -q -- '-cpu host -m 8G -hda supernested.img'
ok $? "by hand, no vmx/svm: hint gives the command line to use"
is "$(jq -r '.levels[0].booted' "$out/novirt.json")" bootloader "by hand: booted through BIOS and syslinux"
grep -qa '=== supernested .*how deep can KVM nest' "$out/novirt.log"; ok $? "by hand: a banner says what happens"
grep -qa "type for example: supernested supernested.maxdepth=4" "$out/novirt.log"
ok $? "by hand: the banner says how to change settings"
tail -n 8 "$out/novirt.log" | grep -qa '^what to do: boot with a CPU that has them: .*-hda supernested.img'
ok $? "by hand, no vmx/svm: the advice closes the log, after the table"
byhand default
is "$(jq -r '.levels[0].outcome' "$out/default.json")" no-memory "by hand, default 128 MiB: L1 says memory is short"
jq -r '.levels[0].hint' "$out/default.json" | grep -q -- '-m 8G -hda supernested.img'
ok $? "by hand, default 128 MiB: hint gives the command line to use"
tail -n 12 "$out/default.log" | grep -qa '^level accel .*outcome'; ok $? "by hand, default 128 MiB: the table at the end"
tail -n 8 "$out/default.log" | grep -qa '^what to do: give level 1 more memory'
ok $? "by hand, default 128 MiB: the advice closes the log"

# 5. the next level through the bootloader, exactly as a user would boot it
run bootloader --max-depth 2 --boot bootloader --kernel-args "supernested.boot=bootloader" --timeout 600
d=$out/bootloader
is "$(field "$d" '.levels[0].booted')" bootloader "bootloader: L1 booted through BIOS and syslinux"
is "$(field "$d" '.levels[1].booted')" bootloader "bootloader: L2 booted through BIOS and syslinux"
is "$(field "$d" '.result.outcome')" max-depth "bootloader: settings reached L2 by fw_cfg"
is "$(field "$d" '[.levels[].crng] | join(",")')" ready,ready "bootloader: the bootloader's command line seeds the random pool too"

# 6. the run's time limit: results are still written, exit status says so
run limit --max-depth 4 --timeout 10	# L3 is up in 5-13 s, L4 in 20-40 s
d=$out/limit
is "$(cat "$d.rc")" 3 "time limit: exit status 3 (infrastructure)"
is "$(field "$d" '.result.completed')" false "time limit: report.json written, run not completed"
field "$d" '.levels[].detail' | grep -q 'time limit of 10 s'
ok $? "time limit: the level that was running says why it stopped"
field "$d" '.levels[0].evidence[]' | grep -q '^level 1 monitor: RIP='
ok $? "time limit: where level 1's CPU was is in its evidence"
[ ! -e "$d/level1-monitor.sock" ]; ok $? "time limit: level 1's monitor socket is gone"

# 7. the tool killed hard (SIGKILL: no handler runs) leaves no qemu behind
"$tool" run --image "$image" --max-depth 2 --out "$out/killed" >"$out/killed.out" 2>&1 &
pid=$!
for i in $(seq 1 120); do grep -q 'L1 up' "$out/killed/console.log" 2>/dev/null && break; sleep 1; done
pgrep -f "$out/killed/level1-overlay" >/dev/null; ok $? "killed hard: level 1's qemu was running"
kill -9 $pid; wait $pid 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "$out/killed/level1-overlay" >/dev/null || break; sleep 1; done
! pgrep -f "$out/killed/level1-overlay" >/dev/null; ok $? "killed hard: level 1's qemu died with the tool"

# 8. bad input to the tool: one clear line, distinct exit status
"$tool" run --image "$out/missing.img" >"$out/missing.out" 2>&1
is $? 3 "missing image: exit status 3"
is "$(wc -l <"$out/missing.out")" 1 "missing image: one line"
"$tool" run --max-depth zero >"$out/usage.out" 2>&1
is $? 2 "bad option value: exit status 2"
grep -q -- "--max-depth wants" "$out/usage.out"; ok $? "bad option value: says which option"
"$tool" run --image "$image" --kernel-args "quiet supernested.level=5" >"$out/owned.out" 2>&1
is $? 2 "--kernel-args overriding the tool's own setting: usage error"
grep -q "supernested.level is the tool's own setting" "$out/owned.out"; ok $? "and says which one"
"$tool" run --image "$image" --max-depth 2 --kernel-args "supernested.maxdepth=5" >"$out/owned2.out" 2>&1
is $? 2 "--kernel-args supernested.maxdepth against --max-depth: usage error"
printf 'garbage\n\x01\x02\nsupernested: L1 up accel="x\n' >"$out/garbled.log"
"$tool" parse "$out/garbled.log" >"$out/garbled.out" 2>&1
is $? 3 "garbled log: exit status 3 (no complete report)"

is "$(sha256sum <"$image")" "$sum_before" "image byte-for-byte unchanged after all runs"

tap_done
