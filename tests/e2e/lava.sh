#!/bin/bash
# lava.sh - the scale-out path run for real: LAVA's own dispatcher (lava-run,
# no server) runs ci/lava/supernested-qemu.yaml on a QEMU device with the
# image by file:// URL, level 1 under TCG with -cpu max; ci/lava/lava-log.py
# turns LAVA's log into console lines and `supernested parse` must give the
# verdict `supernested run --boot bootloader` gives on the same image: depth,
# outcome, exit status, the verdict line, each level's JUnit and KCIDB
# result, all KCIDB files valid against the complete kcidb-io schema.  Two
# cases: the chain to its max depth, and level 2 panicking (panic@2: level 1
# relays a "Kernel panic" line, which must not end LAVA's job early).
# Prints TAP and a closing "N passed, N failed" line; a TAP skip when LAVA's
# dispatcher cannot run here (not installed, or not root: lava-run needs it).
# Usage: lava.sh SUPERNESTED_BINARY IMAGE [DEPTH]   (DEPTH: 2 by default)
set -u
tool=$(realpath "$1") image=$(realpath "$2") depth=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
lava=$top/ci/lava

if ! command -v lava-run >/dev/null; then
	echo "1..0 # SKIP lava-run not installed (Debian package lava-dispatcher)"; exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP lava-run runs as root only"; exit 0
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-lava.XXXXXX")
job_id=supernested-lava-$$
trap 'rm -rf "$out" "/var/lib/lava/dispatcher/tmp/$job_id"' EXIT
. "$here/tap.sh"
show() { sed 's/^/#   /' "$1" | tail -n "${2:-15}"; }

junit_cases() {	# "name: result[ type]" of each testcase (pass, failure, error, skipped)
	local f=$1 i n k x
	n=$(xmllint --xpath 'count(//testcase)' "$f" 2>/dev/null) || return
	for ((i = 1; i <= n; i++)); do
		x="(//testcase)[$i]" k=pass
		for r in failure error skipped; do
			[ "$(xmllint --xpath "count($x/$r)" "$f")" = 0 ] || k="$r $(xmllint --xpath "string($x/$r/@type)" "$f")"
		done
		echo "$(xmllint --xpath "string($x/@name)" "$f"): $k"
	done
}
kcidb_verdict() { jq -c '[.tests[] | {path, status, outcome: .misc.outcome, level: .misc.level}]' "$1"; }

# lava_case NAME SETTINGS: supernested run and the LAVA job on the same
# image with the same extra settings (kernel words), then the comparison
lava_case() {
	local name=$1 extra=$2 d=$out/$1 t0 run_rc parse_rc lava_rc lava_s mem cmd cases verdict want f k
	mkdir -p "$d"

	# 1. the reference: supernested run, level 1 through the image's bootloader
	t0=$(date +%s)
	"$tool" run --image "$image" --boot bootloader --accel tcg --max-depth "$depth" \
		--expect-depth "$depth" ${extra:+--kernel-args "$extra"} \
		--out "$d/run" --junit "$d/run.xml" --kcidb "$d/run.json" >"$d/run.out" 2>&1
	run_rc=$?
	[ -f "$d/run/report.json" ]
	ok $? "$name: supernested run --max-depth $depth: report.json (exit $run_rc, $(( $(date +%s) - t0 )) s)" ||
		show "$d/run.out"
	mem=$(jq -r '.settings.mem_mb // empty' "$d/run/report.json" 2>/dev/null)
	mem=${mem:-1024}

	# 2. the job as a lab submits it, the device as a TCG worker's server renders it
	sed -e "s|IMAGE_URL|file://$image|" -e "s|MAX_DEPTH|$depth|g" -e "s|MEM_MB|$mem|g" \
		"$lava/supernested-qemu.yaml" >"$d/job.yaml"
	[ -z "$extra" ] || sed -i "s|supernested.maxdepth=$depth'|supernested.maxdepth=$depth $extra'|" "$d/job.yaml"
	! grep -q 'IMAGE_URL\|MAX_DEPTH\|MEM_MB' "$d/job.yaml" &&
		grep -q "string=supernested.level=1 supernested.maxdepth=$depth${extra:+ $extra}'" "$d/job.yaml"
	ok $? "$name: job template filled in (depth $depth, $mem MiB${extra:+, $extra})"
	"$lava/lava-device.py" "$d/job.yaml" >"$d/device.yaml"
	ok $? "$name: device dictionary for a QEMU worker without KVM"
	lava-run --validate --job-id "$job_id" --output-dir "$d/validate" --device "$d/device.yaml" \
		"$d/job.yaml" >"$d/validate.log" 2>&1
	grep -q '^result: pass' "$d/validate/result.yaml" 2>/dev/null
	ok $? "$name: lava-run --validate accepts the job" || show "$d/validate.log"

	# 3. the job, for real
	t0=$(date +%s)
	lava-run --job-id "$job_id" --output-dir "$d/lava" --device "$d/device.yaml" \
		"$d/job.yaml" >"$d/lava.log" 2>&1
	lava_rc=$? lava_s=$(( $(date +%s) - t0 ))
	grep -q '^result: pass' "$d/lava/result.yaml" 2>/dev/null
	ok $? "$name: LAVA job Complete (lava-run exit $lava_rc, $lava_s s)" ||
		{ show "$d/lava/result.yaml"; show "$d/lava.log"; }
	cmd=$(grep -o '"Boot command: [^"]*' "$d/lava.log" | head -n 1)
	echo "#   ${cmd#\"}"
	case $cmd in *-enable-kvm*|*/dev/kvm*) false ;; *"-accel tcg"*"-cpu max"*"-smp 1"*) true ;; *) false ;; esac
	ok $? "$name: LAVA started level 1 under TCG, -cpu max, one CPU, without /dev/kvm"
	grep -q '"ok: end string found' "$d/lava.log"
	ok $? "$name: LAVA's monitor read up to level 1's whole summary line"
	cases=$(grep '"lvl": "results"' "$d/lava.log" |
		grep -c '"case": "l[0-9]*", "definition": "supernested",.*"result": "pass"')

	# 4. LAVA's log as console lines, and the same verdict from them
	"$lava/lava-log.py" "$d/lava.log" >"$d/console.log" 2>"$d/lava-log.err"
	ok $? "$name: lava-log.py: $(wc -l <"$d/console.log") console lines" || show "$d/lava-log.err"
	"$tool" parse --max-depth "$depth" --expect-depth "$depth" --json "$d/parse.json" \
		--junit "$d/parse.xml" --kcidb "$d/parse.kcidb.json" "$d/console.log" >"$d/parse.out" 2>&1
	parse_rc=$?
	is "$(jq -c '[.result.garbled_lines, .result.rejected_reports]' "$d/parse.json" 2>/dev/null)" "[0,0]" \
		"$name: no report line garbled or rejected on the way through LAVA"
	is "$parse_rc" "$run_rc" "$name: exit status of parse on the LAVA log as run's ($run_rc)"
	for k in completed deepest outcome failure failed_level exit_status; do
		want=$(jq -c ".result.$k" "$d/run/report.json" 2>/dev/null)
		is "$(jq -c ".result.$k" "$d/parse.json" 2>/dev/null)" "$want" \
			"$name: report.json result.$k through LAVA as run ($want)"
	done
	is "$cases" "$(jq -r '.result.deepest' "$d/run/report.json" 2>/dev/null)" \
		"$name: LAVA's own results: a passed test case per level up ($cases)"
	for f in run/report.json parse.json; do	# the numbers: each boot's own
		echo "#   $f: $(jq -c '[.levels[] | {level, up_at_s, boot_s}]' "$d/$f" 2>/dev/null)"
	done
	verdict=$(grep -m1 '^deepest level up' "$d/run.out")
	[ -n "$verdict" ]; ok $? "$name: supernested run printed its verdict line ($verdict)"
	is "$(grep -m1 '^deepest level up' "$d/parse.out")" "$verdict" "$name: the same verdict line from the LAVA log"

	# 5. JUnit and KCIDB: each level's result as run
	for f in run.xml parse.xml; do
		xmllint --noout --schema "$top/tests/schemas/junit.xsd" "$d/$f" 2>"$d/xsd.err"
		ok $? "$name: $f valid against junit.xsd" || show "$d/xsd.err"
	done
	want=$(junit_cases "$d/run.xml" | tr '\n' ',')
	[ -n "$want" ]; ok $? "$name: run's JUnit has its testcases ($want)"
	is "$(junit_cases "$d/parse.xml" | tr '\n' ',')" "$want" "$name: JUnit: every level's result as run"
	for f in run.json parse.kcidb.json; do
		"$top/tests/validate-kcidb.py" "$top/tests/schemas/kcidb-io-v5.3.json" "$d/$f" >"$d/kcidb.out" 2>&1
		ok $? "$name: $f valid against kcidb-io's complete v5.3 schema" || show "$d/kcidb.out"
	done
	want=$(kcidb_verdict "$d/run.json")
	is "$(kcidb_verdict "$d/parse.kcidb.json")" "$want" \
		"$name: KCIDB: every level's path, status and outcome as run ($(jq -r 'map(.status) | join(",")' <<<"$want"))"
	if [ -n "${LAVA_KEEP:-}" ]; then	# the recorded log, for the golden tests
		cp "$d/lava.log" "$LAVA_KEEP.$name.log"
	fi
}

lava_case max-depth ""
is "$(jq -c '[.result.deepest, .result.outcome]' "$out/max-depth/run/report.json" 2>/dev/null)" \
	"[$depth,\"max-depth\"]" "max-depth: the chain reached depth $depth"
lava_case panic "supernested.inject=panic@$depth"
is "$(jq -c '[.result.outcome, .result.failed_level, .result.exit_status]' "$out/panic/parse.json" 2>/dev/null)" \
	"[\"panic\",$depth,1]" "panic: through LAVA, level $depth panicked and the exit status is 1"
tap_done
