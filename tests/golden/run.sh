#!/bin/bash
# run.sh - golden tests: `supernested parse` on recorded serial logs
# (tests/data/logs/NAME.log) must print exactly the recorded table
# (tests/golden/NAME.expected) and exit as recorded (NAME.args holds extra
# parse options, NAME.exit the exit status; 0 without).  Every report.json
# it writes must pass a strict JSON parser (valid UTF-8, no Infinity/NaN),
# and no control byte may reach the terminal.  The recorded TAP (*.tap, to
# --max-depth 3) must match, and the JUnit and KCIDB files written for every
# recorded run must be valid against the schemas in tests/schemas.  Prints
# TAP and "N passed, N failed".
# Usage: run.sh SUPERNESTED_BINARY
set -u
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
logs=$here/../data/logs
schemas=$here/../schemas
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$here/../e2e/tap.sh"

for want in "$here"/*.expected; do
	name=$(basename "$want" .expected)
	args=() want_exit=0
	[ -f "$here/$name.args" ] && read -r -a args <"$here/$name.args"
	[ -f "$here/$name.exit" ] && want_exit=$(cat "$here/$name.exit")
	"$tool" parse "${args[@]}" --json "$tmp/$name.json" "$logs/$name.log" >"$tmp/$name.raw" 2>&1
	echo "exit $?" >>"$tmp/$name.raw"
	grep -v '^report: ' "$tmp/$name.raw" >"$tmp/$name.out"	# where --json went
	diff -u <(cat "$want"; echo "exit $want_exit") "$tmp/$name.out" >"$tmp/$name.diff" 2>&1
	ok $? "parse $name.log ${args[*]}: table and exit status $want_exit" "$tmp/$name.diff"
	python3 - "$tmp/$name.json" >"$tmp/$name.strict" 2>&1 <<'PY'
import json, sys
raw = open(sys.argv[1], 'rb').read()
def refuse(c):
    raise ValueError('non-finite number ' + c)
json.loads(raw.decode('utf-8', errors='strict'), parse_constant=refuse)
PY
	ok $? "parse $name.log: report.json passes a strict parser" "$tmp/$name.strict"
	! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/$name.out"
	ok $? "parse $name.log: no control bytes on the terminal"
done
# each level's verdict in report.json agrees with the run's exit status: a
# run that passed has no failed or broken level within the expected depth,
# and a failed level within it makes the run fail
for j in "$tmp"/*.json; do
	name=$(basename "$j" .json)
	jq -e '.result.exit_status as $st
		| [.levels[] | select(.verdict.expected) | .verdict.status] as $v
		| ($st != 0 or ($v | all(. == "PASS" or . == "SKIP")))
		  and (($v | any(. == "FAIL")) | not or $st == 1)
		  and ([.levels[] | .verdict.status] | all(. == "PASS" or . == "FAIL" or . == "ERROR" or . == "SKIP"))' \
		"$j" >/dev/null 2>"$tmp/$name.verdicts"
	ok $? "parse $name.log: each level's verdict agrees with the exit status" "$tmp/$name.verdicts"
done

check() {	# check NAME COMMAND...: ok when COMMAND succeeds, its output shown otherwise
	local name=$1; shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		sed 's/^/#   /' "$tmp/out"
		failed=$((failed + 1))
	fi
}
same() {	# same EXPECTED-FILE ARGS...: parse output plus exit status as recorded
	local want=$1; shift
	diff -u <(cat "$want"; echo "exit 0") <("$tool" parse "$@" 2>&1; echo "exit $?")
}

same_tap() {	# same_tap EXPECTED-FILE LOG: the TAP stream (stdout) as recorded
	diff -u "$1" <("$tool" parse --tap --max-depth 3 "$2" 2>/dev/null)
}
for want in "$here"/*.tap; do
	name=$(basename "$want" .tap)
	check "parse --tap $name.log" same_tap "$want" "$logs/$name.log"
done
for log in "$logs"/run-*.log; do
	name=$(basename "$log" .log)
	"$tool" parse --max-depth 3 --junit "$tmp/$name.xml" --kcidb "$tmp/$name.json" "$log" >/dev/null 2>&1
	check "$name: JUnit valid against junit.xsd" xmllint --noout --schema "$schemas/junit.xsd" "$tmp/$name.xml"
	check "$name: KCIDB valid against kcidb-io-v5.3.json" "$here/../validate-kcidb.py" "$schemas/kcidb-io-v5.3.json" "$tmp/$name.json"
done
# a tree (width 2 to depth 3, fabricated: level 1.2 panics after it came
# up while 1.1's branch goes to depth 3): every node a test named by its
# path, report.json's tree and branches, the worst branch's verdict
tree=$logs/golden-tree-sibling-panic.log
"$tool" parse --json "$tmp/tree.json" --junit "$tmp/tree.xml" --kcidb "$tmp/tree-kcidb.json" "$tree" >/dev/null 2>&1
check "tree: JUnit valid against junit.xsd" xmllint --noout --schema "$schemas/junit.xsd" "$tmp/tree.xml"
check "tree: KCIDB valid against kcidb-io-v5.3.json" "$here/../validate-kcidb.py" "$schemas/kcidb-io-v5.3.json" "$tmp/tree-kcidb.json"
check "tree: a JUnit test per node of the tree, by path" \
	bash -c '[ "$(grep -o "testcase name=\"level [0-9.]*\"" "$1" | tr "\n" " ")" = "testcase name=\"level 1\" testcase name=\"level 1.1\" testcase name=\"level 1.1.1\" testcase name=\"level 1.1.2\" testcase name=\"level 1.2\" testcase name=\"level 1.2.1\" testcase name=\"level 1.2.2\" " ]' - "$tmp/tree.xml"
check "tree: report.json's width, tree, branches and the worst branch's result" jq -e '
	.width == 2 and ([.tree[].node] == ["1", "1.1", "1.1.1", "1.1.2", "1.2"])
	and ([.tree[].parent] == [null, "1", "1.1", "1.1", "1"]) and ([.tree[].level] == [1, 2, 3, 3, 2])
	and (.tree[4].verdict.status == "FAIL") and (.tree[4].outcome == "panic")
	and ([.branches[] | [.leaf, .deepest, .result, .failed_node, .verdict.exit_status]]
	     == [["1.1.1", 3, "max-depth", "1.1.1", 0], ["1.1.2", 3, "max-depth", "1.1.2", 0],
		 ["1.2.1", 2, "panic", "1.2", 1], ["1.2.2", 2, "panic", "1.2", 1]])
	and .result.deepest == 2 and .result.deepest_any == 3 and .result.outcome == "panic"
	and .result.failed_node == "1.2" and .result.exit_status == 1
	and ([.levels[].level] == [1, 2, 3])' "$tmp/tree.json"
tree_timeline() {
	"$tool" parse --timeline "$tree" >"$tmp/tree-timeline.out" 2>&1
	[ "$(sed -n '/^level .*qemu>kernel/,/^branch /p' "$tmp/tree-timeline.out" | awk '/^L/ { printf "%s ", $1 }')" = \
		"L1 L1.1 L1.1.1 L1.1.2 L1.2 " ] &&
		grep -qE '^L1\.1\.2 +15\.7 s +21\.0 s +40\.5 s +42\.0 s ' "$tmp/tree-timeline.out"
}
check "tree: --timeline has a row per node, each with its own phases" tree_timeline
tree_too_wide() {
	"$tool" parse --width 2 --max-depth 8 "$tree" >"$tmp/wide.out" 2>&1
	[ $? = 2 ] && [ "$(wc -l <"$tmp/wide.out")" = 1 ] && grep -q 'more than 64 branches' "$tmp/wide.out"
}
check "parse --width 2 --max-depth 8: 128 branches refused in one line, exit 2" tree_too_wide

# the validator can fail: what the complete schema refuses and an excerpt
# did not check (a property the schema does not know, a date-time out of
# range, a test status KCIDB does not have, a builds entry without origin)
kcidb_refused() {	# kcidb_refused JQ-FILTER
	jq "$1" "$tmp/run-depth2-max-depth.json" >"$tmp/bad-kcidb.json" &&
		! "$here/../validate-kcidb.py" "$schemas/kcidb-io-v5.3.json" "$tmp/bad-kcidb.json" >/dev/null
}
for f in '.extra = 1' '.tests[0].start_time = "2026-13-01T00:00:00+00:00"' '.tests[0].status = "OK"' \
	 '.builds = [{"id": "supernested:x", "checkout_id": "supernested:y"}]' '.tests[0].log_url = "not a uri"'; do
	check "KCIDB validator refuses: $f" kcidb_refused "$f"
done
# the exit-cost model (docs/model.md): NAME.model is `model --hw` on
# NAME.log as recorded, and on the report.json parse writes of it
same_model() {	# same_model EXPECTED-FILE INPUT
	diff -u <(cat "$1"; echo "exit 0") <("$tool" model --hw "$2" 2>&1; echo "exit $?")
}
for want in "$here"/*.model; do
	name=$(basename "$want" .model)
	check "model --hw $name.log" same_model "$want" "$logs/$name.log"
	"$tool" parse --json "$tmp/$name.model.json" "$logs/$name.log" >/dev/null 2>&1
	check "model --hw on parse's report.json of $name.log" same_model "$want" "$tmp/$name.model.json"
done
# a LAVA job's raw log (YAML, a double-quoted mapping per line, the serial
# console at level "target", each '"' written as '\"' by LAVA's shell
# logger) gives back the console lines, and so the table
lava_same() {
	local log=$logs/run-depth2-max-depth.log
	sed 's/"/\\"/g' "$log" | jq -R -c '{dt: "2026-11-23T09:24:32.000000", lvl: "target", msg: .}' |
		sed 's/^/- /' >"$tmp/lava.yaml"
	sed -i '1i - {"dt": "2026-11-23T09:24:30.000000", "lvl": "info", "msg": "start: 1 deploy"}' "$tmp/lava.yaml"
	"$here/../../ci/lava/lava-log.py" --no-stamps <"$tmp/lava.yaml" >"$tmp/lava.log" &&
		diff -u "$log" "$tmp/lava.log" && same "$here/run-depth2-max-depth.expected" "$tmp/lava.log"
}
check "LAVA raw log: lava-log.py gives the console lines back, parse the same table" lava_same
# a real LAVA job's log (lava-run of ci/lava/supernested-qemu.yaml, depth 2,
# level 1 under TCG; only the image's path changed): stamped console lines,
# every report line's CRC intact, the table as recorded
lava_real() {	# lava_real NAME EXIT [PARSE OPTIONS]
	local name=$1 want_exit=$2; shift 2
	"$here/../../ci/lava/lava-log.py" "$logs/lava-$name.yaml" >"$tmp/lava-$name.log" &&
		diff -u <(cat "$here/lava-$name.lava-expected"; echo "exit $want_exit") \
			<("$tool" parse "$@" "$tmp/lava-$name.log" 2>&1; echo "exit $?")
}
check "real LAVA job log: lava-log.py and parse give the recorded table" lava_real depth2-max-depth 0
# the same with level 2 panicking (panic@2): the relayed "Kernel panic" and
# its quoted evidence come through, level 2 fails, exit 1
check "real LAVA job log, panic@2: level 2's panic, exit 1" lava_real depth2-panic 1 --expect-depth 2

# bad input: one clear line, and what could be written still is
bad_out() {
	"$tool" parse --json "$tmp/bad.json" --junit "$tmp/no/such/dir/j.xml" "$logs/run-depth2-max-depth.log" \
		>"$tmp/bad.out" 2>"$tmp/bad.err"
	[ $? = 3 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] && grep -q 'cannot write JUnit' "$tmp/bad.err" &&
		jq -e '.result.deepest == 2' "$tmp/bad.json" >/dev/null
}
check "unwritable --junit: exit 3, one line, report.json still written" bad_out
bad_usage() {
	"$tool" run --passes 0 >"$tmp/u.out" 2>&1; [ $? = 2 ] && grep -q -- '--passes wants' "$tmp/u.out" &&
	"$tool" compare "$tmp/bad.json" >"$tmp/u.out" 2>&1; [ $? = 2 ] && grep -q 'two reports' "$tmp/u.out" &&
	"$tool" parse --passes 2 "$logs/run-depth2-max-depth.log" >"$tmp/u.out" 2>&1; [ $? = 2 ]
}
check "usage errors: --passes 0, compare with one report, parse --passes: exit 2" bad_usage

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
