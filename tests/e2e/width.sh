#!/bin/bash
# width.sh - end-to-end: siblings (run --width), on real boots.
#   1. `run --width 2 --max-depth 3`: level 1 starts two children at once,
#      each of them two: 7 guests, every node up and named by its path,
#      every branch at depth 3, the memory each level gave divided among
#      its children; parse of console.log reads the same tree.
#   2. a sibling made to fail (supernested.inject=panic@1.2, width 2, max
#      depth 2) while its brother succeeds: exit 1, the failed branch and
#      node named, the brother's branch met.
#   3. booted by hand (qemu, no host tool) with width 2 to depth 2: level
#      1's closing table has a row per node and the answer counts branches.
#   4. a wrong --width is a one-line usage error (exit 2) and starts nothing.
# Prints TAP.  KEEP=1 keeps the runs' directory.
# Usage: width.sh SUPERNESTED_BINARY IMAGE
set -u
tool=$(realpath "$1") image=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
. "$here/runs.sh"
e2e_out width

# 1. the whole tree
run tree --width 2 --max-depth 3 --expect-depth 3 --timeout 900
is "$(cat "$out/tree.rc")" 0 "--width 2 --max-depth 3: exit 0"
is "$(field tree .width)" 2 "report.json: width 2"
is "$(field tree '[.tree[].node] | join(" ")')" "1 1.1 1.1.1 1.1.2 1.2 1.2.1 1.2.2" \
	"7 nodes, depth first, named by their paths"
is "$(field tree '[.tree[] | select(.up)] | length')" 7 "every node up"
is "$(field tree '[.tree[] | .level] | join(",")')" "1,2,3,3,2,3,3" "each at its depth"
is "$(field tree '[.branches[] | .deepest] | join(",")')" "3,3,3,3" "4 branches, each at depth 3"
is "$(field tree .result.deepest)" 3 "the tree's depth: 3"
is "$(field tree '[.tree[1:][] | .accel] | unique | join(",")')" kvm "levels below 1 under KVM"
l1=$(field tree '.tree[0].mem_mb') l2=$(field tree '[.tree[] | select(.level == 2) | .mem_mb] | add')
[ "${l2:-0}" -gt 0 ] && [ "$l2" -lt "${l1:-0}" ]
ok $? "the two level-2 nodes share level 1's memory ($l2 of $l1 MiB)"
l3=$(field tree '[.tree[] | select(.level == 3) | .mem_mb] | min')
[ "${l3:-0}" -gt 0 ]
ok $? "each level-3 node has memory of its own (at least $l3 MiB)"
is "$(grep -c 'L1 child-start level=' "$out/tree/console.log")" 2 "level 1 started two children"
is "$(grep -cE 'L(2|1\.2) child-start level=' "$out/tree/console.log")" 4 "... and each of them two"
is "$(grep -cE 'L1 summary path=[0-9.]+ branches=4 ' "$out/tree/console.log")" 4 \
	"level 1 ended with one summary per branch, each saying there are 4"
grep -q "L1.2.2" "$out/tree/timeline.svg"
ok $? "the timeline picture has a row per node (L1.2.2)"
"$tool" parse --json "$out/tree.parse.json" "$out/tree/console.log" >/dev/null 2>&1
is "$(jq -r '[.width, .result.deepest, (.tree | length)] | join(",")' "$out/tree.parse.json" 2>/dev/null)" \
	"2,3,7" "parse reads the same tree from console.log"

# 2. one sibling fails, its brother does not
run sibling-panic --width 2 --max-depth 2 --expect-depth 2 --timeout 600 \
	--kernel-args "supernested.inject=panic@1.2"
is "$(cat "$out/sibling-panic.rc")" 1 "panic@1.2: exit 1"
is "$(field sibling-panic .result.failed_node)" 1.2 "the failed node: 1.2"
is "$(field sibling-panic '.tree[] | select(.node == "1.2") | .outcome')" panic "node 1.2: panic"
is "$(field sibling-panic '.tree[] | select(.node == "1.1") | .outcome')" max-depth "its brother 1.1: max-depth"
is "$(field sibling-panic '[.branches[] | "\(.leaf):\(.verdict.exit_status)"] | join(",")')" "1.1:0,1.2:1" \
	"branch 1.1 met, branch 1.2 failed"
has sibling-panic '.notes[]' 'fault injection panic@1.2' "the injection says so, by node"

# 3. by hand: the settings by fw_cfg, as no one types at the boot: prompt
log=$out/by-hand.log t0=$SECONDS
qemu-system-x86_64 -accel tcg -cpu max -m 3G -hda "$image" -snapshot -serial "file:$log" \
	-fw_cfg name=opt/supernested/settings,string="supernested.maxdepth=2 supernested.width=2" \
	-display none -no-reboot </dev/null >/dev/null 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null && [ $((SECONDS - t0)) -lt 300 ]; do
	sleep 2
done
kill $pid 2>/dev/null; wait $pid 2>/dev/null
tr -d '\r' <"$log" | sed -n '/=== supernested: the answer/,$p' >"$out/by-hand.answer"
is "$(grep -oE '^L[0-9.]+ ' "$out/by-hand.answer" | tr -d ' ' | paste -sd' ')" "L1 L1.1 L1.2" \
	"by hand, width 2: level 1's table has a row per node ($((SECONDS - t0)) s)"
grep -q '^nested KVM reached depth 2 on all 2 branches of a tree 2 wide (the depth limit' "$out/by-hand.answer"
ok $? "by hand, width 2: the answer counts the branches"
[ -s "$out/by-hand.answer" ] || tail -n 20 "$log" | sed 's/^/#   /'

# 4. usage errors
for w in 0 5 x; do
	"$tool" run --image "$image" --width "$w" --out "$out/bad-$w" >"$out/bad-$w.out" 2>&1
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$out/bad-$w.out")" = 1 ] && [ ! -e "$out/bad-$w/console.log" ]
	ok $? "--width $w: one-line usage error, exit 2, nothing started ($(head -c 120 "$out/bad-$w.out"))"
done
"$tool" run --image "$image" --width 2 --max-depth 8 --out "$out/bad-deep" >"$out/bad-deep.out" 2>&1
is "$?" 2 "--width 2 --max-depth 8 (128 branches): exit 2"
tap_done
