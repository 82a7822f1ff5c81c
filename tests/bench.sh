#!/bin/bash
# bench.sh - the figures the project is judged by, printed, not asserted:
# host-clock time until each level is up (mean ± sd over passes), each
# level's boot time and its phases, memory, boot exits by reason (counted
# by its parent and by level 1), the exit-cost model's boot next to the
# measured one, the image size, and an A/B ratio of configurations
# measured in the same session, interleaved, so a shared and noisy machine
# still gives a fair comparison.  Targets (issue "deeper and faster"): L2
# up <= 6 s, L3 up <= 20 s, L4 up within 10 minutes.
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

# Per arm and level: up time (host clock from level 1's start) and boot
# (its parent's measure), mean ± sd over passes; the boot's phases as
# report.json has them (the timeline of --timeline), mean per phase; the
# exit-cost model's boot (supernested model --json, fitted on the arm's
# passes together, each its own W) next to the measured one; the boot's
# exits counted at its parent and at level 1, total and top reasons
# (a reason's mean over the passes that list it among their top ones).
SUMMARY='
def r1: . * 10 | round / 10;
def r2: . * 100 | round / 100;
def f1: (. * 10 | round) as $t | "\($t / 10 | floor).\($t % 10)";
def mean: if length == 0 then null else add / length end;
def stat($runs): if length == 0 then "not reached"
	else mean as $m
	| ((map((. - $m) * (. - $m)) | add) / (if length > 1 then length - 1 else 1 end) | sqrt) as $sd
	| "\($m|f1) ± \($sd|f1) s (\(length)/\($runs))" end;
def secs: if . == null then "-" elif . < 100 then "\(f1) s" else "\(round) s" end;
def pct: if . == null then "" else (. * 100 | round + 0) as $p | " (\(if $p >= 0 then "+" else "" end)\($p)%)" end;
# "name:count,..." of the passes, as "name count, ..." by mean count
def tops(f): [.[] | f | select(. != null) | split(",")[] | capture("^(?<k>.+):(?<v>[0-9]+)$")]
	| group_by(.k) | map({k: .[0].k, v: (map(.v | tonumber) | mean)}) | sort_by(-.v) | .[:6]
	| if length == 0 then "-" else map("\(.k) \(.v | round)") | join(", ") end;
def exits($x; $where):
	if ($x | length) == 0 then empty else
	"      exits \($where): \([$x[] | .total | select(. != null)] | mean | if . then round else "-" end)" +
	" (mean of \($x | length)), top reasons \($x | tops(.top))",
	(($x | tops(.io_ports)) as $io | ($x | tops(.msrs)) as $msr |
	 if $io == "-" and $msr == "-" then empty else "        I/O ports \($io); MSRs \($msr)" end) end;
def phases($p):
	if ($p | length) == 0 then empty else
	"      phases (mean of \($p | length)): qemu>kernel \([$p[] | .qemu_s | select(. != null)] | mean | secs)" +
	", kernel>init \([$p[] | .kernel_s | select(. != null)] | mean | secs)" +
	", init>up \([$p[] | .launcher_s | select(. != null)] | mean | secs)" end;
def model_line($rows):
	[$rows[] | select(.model_s != null and .boot_s != null)] as $up |
	[$rows[] | select(.model_s != null and .boot_s == null and .stopped_s != null)] as $stop |
	if ($up | length) + ($stop | length) == 0 then empty else
	"      model: " +
	([if ($up | length) == 0 then empty else
	  ([$up[] | .model_s] | mean) as $pm | ([$up[] | .boot_s] | mean) as $mm |
	  "boot \($pm | secs) against \($mm | secs) measured\(($pm - $mm) / $mm | pct)" end,
	 if ($stop | length) == 0 then empty else
	  "stopped before up in \($stop | length) pass(es) after \([$stop[] | .stopped_s] | mean | secs)" +
	  " (its budget), model \([$stop[] | .model_s] | mean | secs)" end] | join("; ")) end;
def model_head($runs):
	if $model == null then "  model: no fit (\($model_err | sub("^supernested: [^ ]*: (no fit: )?"; "")))" else
	$model.fit as $f |
	"  model: boot(N) = W + exits(N) x k^(N-2) x t1, fit on \($f.levels_timed) levels of \($runs) runs:\n" +
	"    k \($f.k | r2), t1 \($f.l1_exit_us | r1) us (\(1e6 / $f.l1_exit_us | round) level-1 exits/s)" +
	", W \($f.work_s | r2) s (mean of the runs)" +
	(if $f.exact then "; as many levels as parameters: an exact fit, no check of the model" else "" end) end;
def model_next:
	if $model == null or $model.next == null then empty else $model.next as $x |
	"  model, next level: L\($x.level) " +
	(if $x.starved then "starved: the ticks of its parent alone need \($x.tick_load * 100 | round)% of level 1"
	 else "\($x.boot_s | secs) (tick load \($x.tick_load * 100 | round)%)" end) +
	"; with no tick from its parent \($x.no_tick_boot_s | secs)" end;
length as $runs |
"\($n): kernel \([.[] | .levels[] | .kernel | select(. != null)] | unique | join(", "))",
model_head($runs),
(range(1; $depth + 1) as $l |
	[.[] | .levels[] | select(.level == $l)] as $lv |
	"  L\($l) up \([$lv[] | .up_at_s | select(. != null)] | stat($runs))" +
	(if $l == 1 then "" else ", boot \([$lv[] | .boot_s | select(. != null)] | stat($runs))" end) +
	", memory \([$lv[] | .mem_mb] | max // "-") MiB",
	phases([$lv[] | select(.up) | .phases | select(. != null)]),
	(if $model == null then empty else model_line([$model.levels[] | select(.level == $l)]) end),
	exits([$lv[] | .exits | select(. != null)]; "at L\($l - 1) (its parent)"),
	exits([$lv[] | .exits_l1 | select(. != null)]; "at level 1 meanwhile")),
model_next
'
echo
for i in "${!names[@]}"; do
	n=${names[$i]}
	ls "$out/$n"/pass*/report.json >/dev/null 2>&1 || { echo "$n: no runs"; continue; }
	model=$("$tool" model --json "$out/$n"/pass*/report.json 2>"$out/$n/model.err") || model=null
	jq -rs --arg n "$n" --argjson depth "$depth" --argjson model "$model" \
		--arg model_err "$(tail -1 "$out/$n/model.err")" "$SUMMARY" "$out/$n"/pass*/report.json
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
