#!/bin/bash
# run.sh - golden tests: `supernested parse` on recorded real serial logs
# (results/logs/*.log) must print exactly the recorded table
# (tests/golden/*.expected).  Prints TAP and "N passed, N failed".
# Usage: run.sh SUPERNESTED_BINARY
set -u
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
logs=$here/../../results/logs
n=0 failed=0
for want in "$here"/*.expected; do
	name=$(basename "$want" .expected)
	n=$((n + 1))
	if got=$("$tool" parse "$logs/$name.log" 2>&1; echo "exit $?") &&
	   diff -u <(cat "$want"; echo "exit 0") <(echo "$got") >/tmp/golden.$$ 2>&1; then
		echo "ok $n - parse $name.log"
	else
		echo "not ok $n - parse $name.log"
		sed 's/^/#   /' /tmp/golden.$$
		failed=$((failed + 1))
	fi
done
rm -f /tmp/golden.$$
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
