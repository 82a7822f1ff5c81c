#!/bin/bash
# ci-results.sh - end-to-end tests of what CI systems read: real boots
# (a 2-pass run to depth 2, a level-2 OOM, a level 2 that comes up and
# panics, the nightly CI script with that failed run in its history) checked
# through JUnit (xmllint against tests/schemas/junit.xsd), TAP (prove),
# KCIDB (tests/schemas/kcidb-io-v5.3.json), compare, history and the plots.
# Prints TAP and a closing "N passed, N failed" line.
# Usage: ci-results.sh SUPERNESTED_BINARY IMAGE [OOM_IMAGE]
#   OOM_IMAGE: an image whose kernel dies of OOM in 80 MiB (see run-all.sh)
set -u
tool=$(realpath "$1") image=$(realpath "$2") oom_image=$(realpath "${3:-$2}")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
junit_xsd=$top/tests/schemas/junit.xsd kcidb_schema=$top/tests/schemas/kcidb-io-v5.3.json
out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-ci.XXXXXX")
trap 'rm -rf "$out"' EXIT
. "$(dirname "$0")/tap.sh"

show() { sed 's/^/#   /' "$@"; }
junit_valid() { xmllint --noout --schema "$junit_xsd" "$1" >"$out/xmllint.out" 2>&1 || { show "$out/xmllint.out"; return 1; }; }
kcidb_valid() { "$top/tests/validate-kcidb.py" "$kcidb_schema" "$1" >"$out/kcidb.out" 2>&1 || { show "$out/kcidb.out"; return 1; }; }
xcount() { xmllint --xpath "$2" "$1" 2>/dev/null; }

# 1. two passes to depth 2, every CI format at once
p2=$out/p2
"$tool" run --image "$image" --max-depth 2 --expect-depth 2 --passes 2 --timeout 900 \
	--out "$p2" --junit "$out/p2.xml" --kcidb "$out/p2.kcidb.json" --tap >"$out/p2.tap" 2>"$out/p2.err"
is $? 0 "2 passes: exit status 0"
grep -E '^L[0-9]|boot \(mean' "$out/p2.err" | show
is "$(jq '.passes | length' "$p2/report.json")" 2 "2 passes: report.json holds both passes"
is "$(jq -r '[.passes[].result.deepest] | join(",")' "$p2/report.json")" 2,2 "2 passes: both reached depth 2"
want=$(jq -r '[.passes[].levels[1].boot_s] | (add / 2) as $m | [$m, (map(pow(. - $m; 2)) | add / 1 | sqrt)] | map(. * 1000 | round) | join(" ")' "$p2/report.json")
got=$(jq -r '.stats[1].boot_s | [.mean, .sd] | map(. * 1000 | round) | join(" ")' "$p2/report.json")
[ -n "$want" ] && [ "$got" = "$want" ]
ok $? "2 passes: L2 boot mean and sample sd (n-1) of the two passes (ms: $got, want $want)"
is "$(jq '.stats[1].boot_s.n' "$p2/report.json")" 2 "2 passes: L2 statistics over 2 boots"
grep -qE '^L2 +2/2 +[0-9.]+ ± [0-9.]+ s' "$out/p2.err"; ok $? "2 passes: the table shows L2 boot as mean ± sd"
b=$(jq '.levels[1].phases | .qemu_s + .kernel_s + .launcher_s' "$p2/report.json")
u=$(jq '.levels[1].phases.up_at_s - .levels[1].phases.start_at_s' "$p2/report.json")
awk "BEGIN { exit !($b > 0 && ($b - $u) < 0.01 && ($u - $b) < 0.01) }"
ok $? "phases: L2 qemu + kernel + launcher = child-start -> up ($b s)"
is "$(jq -r '.levels[1].phases.kernel_from' "$p2/report.json")" uptime "phases: kernel start from L2's uptime"
junit_valid "$out/p2.xml"; ok $? "JUnit: valid against the kept schema"
is "$(xcount "$out/p2.xml" 'count(//testsuite)')" 2 "JUnit: one testsuite per pass"
is "$(xcount "$out/p2.xml" 'count(//testcase[@name="level 2"][not(*)])')" 2 "JUnit: level 2 passed in both"
xcount "$out/p2.xml" 'string(//testsuite[1]/properties/property[@name="max_depth"]/@value)' | grep -qx 2
ok $? "JUnit: settings as properties (max_depth 2)"
prove -e cat "$out/p2.tap" >"$out/prove.out" 2>&1; ok $? "TAP: prove accepts the run's TAP"
grep -q 'Tests=4' "$out/prove.out"; ok $? "TAP: 4 tests (2 levels x 2 passes)"
kcidb_valid "$out/p2.kcidb.json"; ok $? "KCIDB: valid against the kept v5 schema"
is "$(jq -r '[.tests[] | .path + "=" + .status] | unique | join(" ")' "$out/p2.kcidb.json")" \
	"nested_kvm.depth.level1=PASS nested_kvm.depth.level2=PASS" "KCIDB: one PASS test per level"
is "$(jq -r '.tests[0].misc.kernel_release' "$out/p2.kcidb.json")" "$(jq -r '.levels[0].kernel' "$p2/report.json")" \
	"KCIDB: kernel release in misc"
xmllint --noout "$p2/timeline.svg" 2>/dev/null && grep -q '<svg' "$p2/timeline.svg"
ok $? "timeline: an SVG (well-formed XML) next to report.json"

# parse gives the same results from a saved console log
"$tool" parse --max-depth 2 --junit "$out/parse.xml" --kcidb "$out/parse.kcidb.json" --tap \
	"$p2/pass-1/console.log" >"$out/parse.tap" 2>/dev/null
is $? 0 "parse: exit status 0"
junit_valid "$out/parse.xml" && kcidb_valid "$out/parse.kcidb.json"; ok $? "parse: JUnit and KCIDB valid"
is "$(grep -c '^ok' "$out/parse.tap")" 2 "parse: TAP, 2 levels ok"
is "$(xcount "$out/parse.xml" 'string(//testcase[@name="level 2"]/@time)')" \
	"$(jq -r '.passes[0].levels[1].boot_s | . * 1000 | round / 1000 | tostring' "$p2/report.json" | awk '{ printf "%.3f", $1 }')" \
	"parse: JUnit time of level 2 = pass 1's boot time"

# 2. a run made to fail: level 2 gets 80 MiB and dies of OOM; depth 3 asked
oom=$out/oom
"$tool" run --image "$oom_image" --max-depth 3 --timeout 400 --out "$oom" --junit "$out/oom.xml" \
	--kcidb "$out/oom.kcidb.json" --tap --level-timeout 60 --kernel-args "supernested.mem=80M" \
	>"$out/oom.tap" 2>"$out/oom.err"
grep -E '^L[0-9]' "$out/oom.err" | show
is "$(jq -r '.levels[1].outcome' "$oom/report.json")" oom "oom: level 2 ran out of memory"
junit_valid "$out/oom.xml"; ok $? "oom JUnit: valid against the kept schema"
is "$(xcount "$out/oom.xml" 'string(//testcase[@name="level 2"]/failure/@type)')" oom "oom JUnit: level 2 <failure type=oom>"
xcount "$out/oom.xml" 'string(//testcase[@name="level 2"]/failure)' | grep -q 'Kernel panic'
ok $? "oom JUnit: the failure carries the evidence"
is "$(xcount "$out/oom.xml" 'count(//testcase[@name="level 3"]/skipped)')" 1 "oom JUnit: level 3 never attempted: <skipped>"
prove -e cat "$out/oom.tap" >"$out/prove-oom.out" 2>&1
is $? 1 "oom TAP: prove reports the failure"
grep -q '^ok 3 - level 3 # SKIP' "$out/oom.tap"; ok $? "oom TAP: level 3 is # SKIP"
kcidb_valid "$out/oom.kcidb.json"; ok $? "oom KCIDB: valid"
is "$(jq -r '[.tests[].status] | join(",")' "$out/oom.kcidb.json")" PASS,FAIL,SKIP "oom KCIDB: PASS, FAIL, SKIP"

# 3. compare: two real reports (a pass against the passes' mean) pass; the OOM run fails
"$tool" compare "$p2" "$p2/pass-1/report.json" >"$out/cmp-ok.out" 2>&1
is $? 0 "compare: pass 1 against the 2-pass baseline: no regression"
show "$out/cmp-ok.out"
"$tool" compare --junit "$out/cmp-fail.xml" "$p2/report.json" "$oom" >"$out/cmp-fail.out" 2>&1
is $? 1 "compare: the OOM run against the baseline: exit status 1"
show "$out/cmp-fail.out"
grep -q 'DEPTH DROPPED' "$out/cmp-fail.out"; ok $? "compare: says the depth dropped"
junit_valid "$out/cmp-fail.xml" && [ "$(xcount "$out/cmp-fail.xml" 'count(//testcase[@name="depth"]/failure)')" = 1 ]
ok $? "compare JUnit: valid, depth testcase failed"
"$tool" compare "$p2" "$out/missing.json" >"$out/cmp-bad.out" 2>&1
is "$?:$(wc -l <"$out/cmp-bad.out")" 3:1 "compare: unreadable report: exit 3, one line"

# 3b. a level that came up and then panicked (verdict.h): level 2 is up,
# then its kernel crashes; depth 2 is reached, and the run still fails
pn=$out/panic
"$tool" run --image "$image" --max-depth 2 --expect-depth 2 --timeout 600 --out "$pn" \
	--kernel-args supernested.inject=panic@2 --junit "$out/panic.xml" --kcidb "$out/panic.kcidb.json" \
	--tap >"$out/panic.tap" 2>"$out/panic.err"
is $? 1 "panic@2: run --expect-depth 2 exits 1"
grep -E '^L[0-9]|^deepest' "$out/panic.err" | show
is "$(jq -r '[.result.deepest, .levels[1].up, .levels[1].outcome, .result.exit_status] | join(",")' "$pn/report.json")" \
	"2,true,panic,1" "panic@2: report.json: depth 2, level 2 up, then panic; exit_status 1"
grep -q '^deepest level up: 2; .*expected depth 2: FAILED (level 2 came up and then failed: panic)' "$out/panic.err"
ok $? "panic@2: the verdict line says level 2 failed, as the exit status does"
is "$(xcount "$out/panic.xml" 'string(//testcase[@name="level 2"]/failure/@type)')" panic "panic@2 JUnit: level 2 <failure type=panic>"
grep -q '^not ok 2 - level 2 FAIL: panic' "$out/panic.tap"; ok $? "panic@2 TAP: not ok 2, level 2 FAIL"
is "$(jq -r '[.tests[].status] | join(",")' "$out/panic.kcidb.json")" PASS,FAIL "panic@2 KCIDB: PASS, FAIL"
kcidb_valid "$out/panic.kcidb.json" && junit_valid "$out/panic.xml"; ok $? "panic@2: JUnit and KCIDB valid"
"$tool" compare --junit "$out/cmp-panic.xml" "$p2" "$pn" >"$out/cmp-panic.out" 2>&1
is $? 1 "compare good panic@2: exit status 1"
show "$out/cmp-panic.out"
grep -qE '^L2 .*max-depth -> panic +WORSE OUTCOME' "$out/cmp-panic.out"; ok $? "compare: level 2's worse outcome in the table"
is "$(xcount "$out/cmp-panic.xml" 'string(//testcase[@name="level 2 outcome"]/failure/@type)')" outcome-regression \
	"compare JUnit: level 2 outcome failed"
"$tool" compare "$pn" "$p2" >"$out/cmp-rev.out" 2>&1
is $? 3 "compare with the panic run as the baseline: no good reference, exit 3"
grep -q '^not a baseline: .*level 2 came up and then failed: panic' "$out/cmp-rev.out"; ok $? "compare: says why it is no baseline"

# 4. the nightly CI script end to end: the history holds the good 2-pass run,
# then the failed panic@2 run; tonight's good run is compared with the good
# one, never the failed one
mkdir -p "$out/history/20260101-020000" "$out/history/20260102-020000"
cp -r "$p2/." "$out/history/20260101-020000/"
cp -r "$pn/." "$out/history/20260102-020000/"
(cd "$top" && ci/nightly.sh --out "$out/ci" --history "$out/history" --max-depth 2 --expect-depth 2 \
	--passes 2 --image "$image") >"$out/ci.out" 2>&1
rc=$?
grep -E 'REGRESSION|no regression|^L[0-9]|baseline|reference|artifacts|exit status' "$out/ci.out" | show
if grep -q '^REGRESSION' "$out/ci.out"; then want=1; else want=0; fi
is "$rc" "$want" "CI script: exit status follows the run and the baseline verdict"
grep -q "^not a baseline: $out/history/20260102-020000: level 2 came up and then failed: panic" "$out/ci.out"
ok $? "CI script: the failed panic@2 run in the history is no baseline"
grep -q '^against the reference: 1 good run(s)' "$out/ci.out" &&
	grep -A1 '^against the reference' "$out/ci.out" | grep -q "^baseline: $out/history/20260101-020000/report.json"
ok $? "CI script: compared with the good run before it"
for f in report.json console.log timeline.svg junit.xml kcidb.json compare.txt compare.xml history.csv history.svg; do
	[ -s "$out/ci/$f" ]; ok $? "CI script: artifact $f"
done
junit_valid "$out/ci/junit.xml" && kcidb_valid "$out/ci/kcidb.json" && junit_valid "$out/ci/compare.xml"
ok $? "CI script: JUnit (run and compare) and KCIDB valid"
is "$(ls "$out/history" | wc -l)" 3 "CI script: this run added to the history"
is "$(tail -n +2 "$out/ci/history.csv" | awk -F, '{ print $NF }' | tr '\n' ' ')" "1 0 $((1 - want)) " \
	"CI script: history.csv marks the failed run"

# 5. history over the real runs
"$tool" history --csv "$out/h.csv" --svg "$out/h.svg" "$p2/pass-1" "$p2/pass-2" "$oom" "$out/ci" >"$out/h.out" 2>&1
is $? 0 "history: exit status 0"
show "$out/h.out"
is "$(head -1 "$out/h.csv")" "date,kernel,depth,L1_boot_s,L2_boot_s,good" "history CSV: header"
is "$(tail -n +2 "$out/h.csv" | wc -l)" 4 "history CSV: one row per run"
is "$(tail -n +2 "$out/h.csv" | cut -d, -f3 | sort | tr '\n' ' ')" "1 2 2 2 " "history CSV: depths"
xmllint --noout "$out/h.svg" 2>/dev/null && grep -q '<svg' "$out/h.svg"; ok $? "history SVG: well-formed XML"
"$tool" history "$out/missing" "$p2" >"$out/h-bad.out" 2>&1
is $? 3 "history: an unreadable run: exit status 3"
grep -q "skipped: cannot read $out/missing" "$out/h-bad.out" && grep -qE '^[0-9]{4}-[0-9-]+T.* +2 ' "$out/h-bad.out"
ok $? "history: the unreadable run named, the others still in the table"

tap_done
