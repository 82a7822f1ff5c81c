#!/bin/bash
# bench.sh - the figures the project is judged by, printed, not asserted:
# host-clock time until L2 and L3 are up, each level's boot time and memory,
# and the image size.  Targets: L2 up <= 15 s, L3 up <= 90 s after start.
# Usage: bench.sh SUPERNESTED_BINARY IMAGE [RUNS]
set -euo pipefail
tool=$1 image=$2 runs=${3:-${BENCH_RUNS:-2}}
out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT

printf 'image: %s, %s MiB (%s MiB allocated)\n' "$image" \
	"$(du -m --apparent-size "$image" | cut -f1)" "$(du -m "$image" | cut -f1)"
for i in $(seq 1 "$runs"); do
	"$tool" run --image "$image" --max-depth 3 --out "$out/run$i" >"$out/run$i.out" 2>&1 || true
	jq -r --arg i "$i" '
		"run \($i): deepest L\(.result.deepest) (\(.result.outcome)) in \(.result.duration_s | floor) s; L1 \(.settings.accel)",
		(.levels[] | "  L\(.level): up at \(if .up_at_s then (.up_at_s*10|round/10|tostring) + " s" else "-" end)" +
		  ", boot \(if .boot_s then (.boot_s*10|round/10|tostring) + " s" else "-" end)" +
		  ", memory \(.mem_mb) MiB (available at init \(.avail_mb) MiB, gave child \(.child_mem_mb) MiB)" +
		  ", accel \(.accel // "-")")' "$out/run$i/report.json"
done
echo "summary over $runs run(s):"
jq -rs '
	def stat(f): [.[] | f | select(. != null)] | if length == 0 then "not reached"
		else "best \(min*10|round/10) s, mean \((add/length)*10|round/10) s" end;
	"  L2 up (target <= 15 s): \(stat(.levels[1].up_at_s))",
	"  L3 up (target <= 90 s): \(stat(.levels[2].up_at_s))"' "$out"/run*/report.json
