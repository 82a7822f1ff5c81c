#!/bin/bash
# run.sh - golden tests: `supernested parse` on recorded serial logs
# (tests/data/logs/NAME.log) must print exactly the recorded table
# (tests/golden/NAME.expected) and exit as recorded (NAME.args holds extra
# parse options, NAME.exit the exit status; 0 without).  Every report.json
# it writes must pass a strict JSON parser (valid UTF-8, no Infinity/NaN),
# and no control byte may reach the terminal.  Prints TAP and
# "N passed, N failed".
# Usage: run.sh SUPERNESTED_BINARY
set -u
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
logs=$here/../data/logs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() {		# ok CONDITION-EXIT-CODE DESCRIPTION [DIAGNOSIS-FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3"
		failed=$((failed + 1))
	fi
}

for want in "$here"/*.expected; do
	name=$(basename "$want" .expected)
	args=() want_exit=0
	[ -f "$here/$name.args" ] && read -r -a args <"$here/$name.args"
	[ -f "$here/$name.exit" ] && want_exit=$(cat "$here/$name.exit")
	"$tool" parse "${args[@]}" --json "$tmp/$name.json" "$logs/$name.log" >"$tmp/$name.out" 2>&1
	echo "exit $?" >>"$tmp/$name.out"
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
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
