#!/bin/bash
# run.sh - run the report-stream fuzzer for SECONDS, seeded with the
# recorded serial logs; prints its figures and "N passed, N failed".
# Usage: run.sh FUZZER SECONDS   (FUZZ_MAX_LEN: longest input, default 64 KiB)
set -u
fuzzer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
corpus=$(mktemp -d "${TMPDIR:-/tmp}/supernested-fuzz.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
cp "$here"/../data/logs/run-*.log "$here"/../data/logs/golden-*.log "$corpus"/ 2>/dev/null
cd "$corpus" || exit 1
"$fuzzer" -max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 "$corpus" >"$corpus/fuzz.log" 2>&1
rc=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' "$corpus/fuzz.log" | sed 's/^/# /'
crashes=$(ls "$corpus"/crash-* "$corpus"/leak-* "$corpus"/timeout-* 2>/dev/null | wc -l)
if [ "$rc" = 0 ] && [ "$crashes" = 0 ]; then
	echo "ok 1 - fuzz report stream for $seconds s: no crash, no failed assertion"
	echo "1..1"; echo "1 passed, 0 failed"
else
	echo "not ok 1 - fuzz report stream: exit $rc, $crashes crash files"
	grep -E 'ERROR|SUMMARY|abort|Test unit written' "$corpus/fuzz.log" | head -20 | sed 's/^/#   /'
	for f in "$corpus"/crash-*; do [ -f "$f" ] && { echo "#   input:"; head -c 600 "$f" | od -c | head -20 | sed 's/^/#   /'; }; done
	echo "1..1"; echo "0 passed, 1 failed"
	exit 1
fi
