#!/bin/bash
# run.sh - run the report-stream fuzzer: replay the regression inputs (every
# stream that once crashed it), fuzz for SECONDS from the recorded serial
# logs (whole, and cut to their structural lines), and replay what it kept
# under REPLAY (a build with AddressSanitizer) when given.  Prints its
# figures (executions, executions/s, cov, ft) and "N passed, N failed".
# Usage: run.sh FUZZER SECONDS [REPLAY]
# (make fuzz: the fast build for SECONDS, replayed under ASan; make
# fuzz-smoke: the ASan build.)
#   FUZZ_MAX_LEN  longest input (default 4096: short streams run faster and
#                 a field-level bug needs few lines)
#   FUZZ_CORPUS   corpus directory to keep between runs (default: temporary)
set -u
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
fuzzer=$(abs "$1") seconds=$2 replay=${3:+$(abs "$3")}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/supernested-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
corpus=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus" "$work/seeds" "$work/crash"
corpus=$(cd "$corpus" && pwd)
# the recorded logs whole, and cut to their report lines' fields
# (seeds/, make-seeds.py): the same structure in a few hundred bytes
cp "$here"/../data/logs/run-*.log "$here"/../data/logs/golden-*.log "$work/seeds/" 2>/dev/null
for f in "$here"/seeds/*.log; do cp "$f" "$work/seeds/small-$(basename "$f")"; done
pass=0 fail=0 n=0
result() {	# result OK DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then pass=$((pass + 1)); echo "ok $n - $2"
	else fail=$((fail + 1)); echo "not ok $n - $2"; fi
}
show_crash() {	# show_crash LOG
	grep -E 'ERROR|SUMMARY|runtime error|abort|Test unit written|fuzz_report_stream.c:' "$1" | head -20 | sed 's/^/#   /'
	for f in "$work"/crash/*; do
		[ -f "$f" ] && { echo "#   input $f:"; head -c 600 "$f" | od -c | head -20 | sed 's/^/#   /'; }
	done
}

# 1. every input that once crashed it still runs clean
regs=("$here"/regressions/*)
if [ -e "${regs[0]}" ]; then
	"${replay:-$fuzzer}" -runs=1 "${regs[@]}" >"$work/regressions.log" 2>&1
	rc=$?
	result $rc "${#regs[@]} regression inputs replayed"
	[ $rc = 0 ] || show_crash "$work/regressions.log"
fi

# 2. fuzz
cd "$work" || exit 1
"$fuzzer" -max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-4096}" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/crash/" -print_final_stats=1 "$corpus" "$work/seeds" >"$work/fuzz.log" 2>&1
rc=$?
grep -E '^#[0-9]+.*DONE' "$work/fuzz.log" | sed 's/^/# /'
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
	"$work/fuzz.log" | sed 's/^/# /'
crashes=$(ls "$work"/crash/ | wc -l)
[ "$rc" = 0 ] && [ "$crashes" = 0 ]
result $? "fuzz report stream for $seconds s: no crash, no failed assertion, no undefined behaviour"
[ "$rc" = 0 ] && [ "$crashes" = 0 ] || show_crash "$work/fuzz.log"

# 3. what it kept, under AddressSanitizer
if [ -n "$replay" ]; then
	"$replay" -runs=0 -max_len="${FUZZ_MAX_LEN:-4096}" -rss_limit_mb=2048 \
		-artifact_prefix="$work/crash/" "$corpus" >"$work/replay.log" 2>&1
	rc=$?
	result $rc "corpus of $(ls "$corpus" | wc -l) inputs replayed under AddressSanitizer"
	[ $rc = 0 ] || show_crash "$work/replay.log"
fi
echo "1..$n"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
