#!/bin/bash
# run.sh - golden tests: `supernested parse` on recorded real serial logs
# (results/logs/*.log) must print exactly the recorded table
# (tests/golden/*.expected) and the recorded TAP (*.tap, to --max-depth 3);
# the JUnit and KCIDB files it writes for every recorded run must be valid
# against the schemas in tests/schemas.  Prints TAP and "N passed, N failed".
# Usage: run.sh SUPERNESTED_BINARY
set -u
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
logs=$here/../../results/logs
schemas=$here/../schemas
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

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

for want in "$here"/*.expected; do
	name=$(basename "$want" .expected)
	check "parse $name.log" same "$want" "$logs/$name.log"
done
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
	check "$name: KCIDB valid against kcidb-v5.json" "$here/../validate-kcidb.py" "$schemas/kcidb-v5.json" "$tmp/$name.json"
done
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
