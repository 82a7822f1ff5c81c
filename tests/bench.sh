#!/bin/bash
# bench.sh - the figures the project is judged by, printed, not asserted:
# host-clock time until each level is up (mean ± sd over passes), each
# level's boot time, memory and boot exits (counted by its parent), the
# image size, and an A/B ratio of configurations measured in the same
# session, interleaved, so a shared and noisy machine still gives a fair
# comparison.  Targets (issue "deeper and faster"): L2 up <= 6 s, L3 up
# <= 20 s, L4 up within 10 minutes.
#
# Usage: bench.sh SUPERNESTED_BINARY IMAGE [NAME[@ARM_IMAGE]=KERNEL_ARGS ...]
#   Each NAME=KERNEL_ARGS is one arm, run with --kernel-args KERNEL_ARGS
#   on IMAGE, or on ARM_IMAGE when given (e.g. one image per kernel);
#   the first arm is the reference of the ratios.  Without arms: "new"
#   (today's defaults) against "previous" (the defaults before the exit
#   removal, PREVIOUS_DEFAULTS below).
# Environment: DEPTH (3), PASSES (3), BENCH_TIMEOUT (run limit, seconds),
# BENCH_KEEP=1 keeps every run's console.log and report.json.
set -euo pipefail
tool=$1 image=$2
shift 2
depth=${DEPTH:-3} passes=${PASSES:-3}
timeout=${BENCH_TIMEOUT:-$((depth >= 4 ? 1500 : 600))}

# The children's machine and kernel words before exit removal: the pc
# machine (PCI) with its legacy devices, -cpu host with its PMU, no tuning
# words.
PREVIOUS_DEFAULTS='supernested.machine=pc supernested.cpu=host supernested.machine_opts= supernested.tune=""'

names=() args=() images=()
if [ $# -eq 0 ]; then
	set -- "new=" "previous=$PREVIOUS_DEFAULTS"
fi
for arm in "$@"; do
	case $arm in
	*=*) name=${arm%%=*} args+=("${arm#*=}") ;;
	*) echo "bench.sh: an arm is NAME[@IMAGE]=KERNEL_ARGS, not '$arm'" >&2; exit 2 ;;
	esac
	case $name in
	*@*) names+=("${name%%@*}") images+=("${name#*@}") ;;
	*) names+=("$name") images+=("$image") ;;
	esac
	[[ ${names[-1]} =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "bench.sh: arm name '${names[-1]}': letters, digits, _ . - only" >&2; exit 2; }
	[ "$(printf '%s\n' "${names[@]}" | grep -cxF -- "${names[-1]}")" = 1 ] || { echo "bench.sh: arm name '${names[-1]}' given twice" >&2; exit 2; }
	[ -r "${images[-1]}" ] || { echo "bench.sh: arm ${names[-1]}: no image ${images[-1]}" >&2; exit 2; }
done

out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-bench.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
	echo "runs kept in $out"
else
	trap 'rm -rf "$out"' EXIT
fi

for img in $(printf '%s\n' "${images[@]}" | sort -u); do
	printf 'image: %s, %s MiB (%s MiB allocated)\n' "$img" \
		"$(du -m --apparent-size "$img" | cut -f1)" "$(du -m "$img" | cut -f1)"
done
printf 'depth %d, %d passes, arms interleaved: %s\n' "$depth" "$passes" "${names[*]}"
for i in "${!names[@]}"; do
	printf '  %s: %s, --kernel-args %s\n' "${names[$i]}" "${images[$i]}" "${args[$i]:-(none)}"
done

runs=0 completed=0
for p in $(seq 1 "$passes"); do
	for i in "${!names[@]}"; do
		dir=$out/${names[$i]}/pass$p
		mkdir -p "$out/${names[$i]}"
		cmd=("$tool" run --image "${images[$i]}" --max-depth "$depth" --timeout "$timeout" --out "$dir")
		[ -n "${args[$i]}" ] && cmd+=(--kernel-args "${args[$i]}")
		"${cmd[@]}" >"$dir.out" 2>&1 || true
		runs=$((runs + 1))
		if [ ! -f "$dir/report.json" ]; then
			echo "pass $p ${names[$i]}: no report ($(tail -1 "$dir.out"))"
			continue
		fi
		jq -e '.result.completed' "$dir/report.json" >/dev/null && completed=$((completed + 1))
		jq -r --arg p "$p" --arg n "${names[$i]}" '
			"pass \($p) \($n): deepest L\(.result.deepest) (\(.result.outcome)) in \(.result.duration_s | floor) s: " +
			([.levels[] | "L\(.level) up \(if .up_at_s then (.up_at_s*10|round/10|tostring) else "-" end)"] | join(", "))' \
			"$dir/report.json"
	done
done

echo
for i in "${!names[@]}"; do
	n=${names[$i]}
	ls "$out/$n"/pass*/report.json >/dev/null 2>&1 || { echo "$n: no runs"; continue; }
	jq -rs --arg n "$n" --argjson depth "$depth" '
		def r1: . * 10 | round / 10;
		length as $runs |
		def stat: if length == 0 then "not reached"
			else (add / length) as $m
			| ((map((. - $m) * (. - $m)) | add) / (if length > 1 then length - 1 else 1 end) | sqrt) as $sd
			| "\($m|r1) ± \($sd|r1) s (\(length)/\($runs))" end;
		"\($n): kernel \([.[] | .levels[] | .kernel | select(. != null)] | unique | join(", "))",
		(range(2; $depth + 1) as $l |
			"  L\($l) up \([.[] | .levels[] | select(.level == $l) | .up_at_s | select(. != null)] | stat)" +
			", boot \([.[] | .levels[] | select(.level == $l) | .boot_s | select(. != null)] | stat)" +
			", memory \([.[] | .levels[] | select(.level == $l) | .mem_mb] | max // "-") MiB" +
			(([.[] | .levels[] | select(.level == $l) | .exits | select(. != null)]) as $x |
			 if ($x | length) == 0 then "" else
			 ", exits \([$x[] | .total | select(. != null)] | if length > 0 then add / length | round else "-" end)" +
			 " (io \([$x[] | .io | select(. != null)] | if length > 0 then add / length | round else "-" end)" +
			 ", npf \([$x[] | .npf | select(. != null)] | if length > 0 then add / length | round else "-" end)" +
			 ", msr \([$x[] | .msr | select(. != null)] | if length > 0 then add / length | round else "-" end))" +
			 "\n      top reasons \($x[-1].top // "-"); I/O ports \($x[-1].io_ports // "-"); MSRs \($x[-1].msrs // "-")" end) +
			(([.[] | .levels[] | select(.level == $l) | .exits_l1 | select(. != null)]) as $y |
			 if ($y | length) == 0 then "" else
			 "\n      level 1 handled meanwhile \([$y[] | .total | select(. != null)] | if length > 0 then add / length | round else "-" end) exits" +
			 ", top \($y[-1].top // "-"); MSRs \($y[-1].msrs // "-")" end))' \
		"$out/$n"/pass*/report.json
done

# Ratios against the first arm, per level: mean up time (host clock from
# start) of the arm divided by the reference's, and the same for the boot
# its parent measured (above 1: the arm is slower).
ref=${names[0]}
for i in "${!names[@]}"; do
	[ "$i" -eq 0 ] && continue
	n=${names[$i]}
	jq -rn --arg ref "$ref" --arg n "$n" --argjson depth "$depth" \
		--slurpfile a <(cat "$out/$ref"/pass*/report.json 2>/dev/null) \
		--slurpfile b <(cat "$out/$n"/pass*/report.json 2>/dev/null) '
		def mean(l; f): [ .[] | .levels[] | select(.level == l) | f | select(. != null)]
			| if length == 0 then null else add / length end;
		def ratio(x; y): if x and y then "\(y / x * 100 | round / 100)x" else "n/a" end;
		"A/B \($n) / \($ref) (same session, interleaved): " +
		([range(2; $depth + 1) as $l |
		  "L\($l) up " + ratio($a | mean($l; .up_at_s); $b | mean($l; .up_at_s)) +
		  " (boot " + ratio($a | mean($l; .boot_s); $b | mean($l; .boot_s)) + ")"] | join(", "))'
done
echo "$runs runs, $completed completed, $((runs - completed)) did not"
