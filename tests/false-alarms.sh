#!/bin/bash
# false-alarms.sh - the compare rule's false-alarm rate on unchanged code:
# repeated runs of the same image, each compared with each other one
# (every ordered pair: one the baseline, the other the new run) and with
# the pool of all the others (the nightly's reference, with its pin).  On
# unchanged code every alarm is a false one.  Prints each comparison, then
# "N comparisons, N alarms"; exit 1 when any alarm fired.
# Usage: false-alarms.sh SUPERNESTED IMAGE RUNS PASSES DEPTH OUT_DIR
#        false-alarms.sh SUPERNESTED --runs RUN_DIR...   (runs made before)
# Real boots: serialize them with other boots on the machine (flock).
set -u
tool=$(realpath "$1")
if [ "${2:-}" = --runs ]; then
	shift 2
	runs=("$@")
else
	image=$2 nruns=$3 passes=$4 depth=$5 out=$6
	mkdir -p "$out"
	runs=()
	for k in $(seq 1 "$nruns"); do
		d=$out/run-$k
		rm -rf "$d"
		"$tool" run --image "$image" --max-depth "$depth" --expect-depth "$depth" \
			--passes "$passes" --out "$d" >"$out/run-$k.out" 2>&1
		echo "# run $k: exit status $? ($(jq -r '[.stats[] | "L\(.level) \(.boot_s.mean | . * 10 | round / 10)±\(.boot_s.sd // 0 | . * 10 | round / 10)"] | join(", ")' "$d/report.json" 2>/dev/null))"
		runs+=("$d")
	done
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-fa.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
comparisons=0 alarms=0
judge() {	# judge WHAT COMPARE-ARGS...
	local what=$1; shift
	"$tool" compare "$@" >"$tmp/out" 2>&1
	local rc=$?
	comparisons=$((comparisons + 1))
	if [ "$rc" = 1 ]; then
		alarms=$((alarms + 1))
		echo "ALARM $what"
		grep -E 'SLOWER|WORSE|DEPTH DROPPED' "$tmp/out" | sed 's/^/#   /'
	elif [ "$rc" = 0 ]; then
		echo "ok    $what"
	else
		echo "error $what (exit $rc)"
		sed 's/^/#   /' "$tmp/out"
	fi
}
n=${#runs[@]}
for i in $(seq 0 $((n - 1))); do
	for j in $(seq 0 $((n - 1))); do
		[ "$i" = "$j" ] && continue
		judge "run $((i + 1)) as baseline, run $((j + 1)) new" "${runs[$i]}" "${runs[$j]}"
	done
done
# the nightly's reference: the pool of all the others, and its pin
for j in $(seq 0 $((n - 1))); do
	others=()
	for i in $(seq 0 $((n - 1))); do [ "$i" = "$j" ] || others+=("${runs[$i]}"); done
	judge "pool of the other $((n - 1)) runs (and the oldest pinned), run $((j + 1)) new" "${others[@]}" "${runs[$j]}"
done
echo "$comparisons comparisons, $alarms alarms"
[ "$alarms" = 0 ]
