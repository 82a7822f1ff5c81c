#!/bin/bash
# lava.sh - the scale-out path run for real: LAVA's own dispatcher (lava-run,
# no server) runs ci/lava/supernested-qemu.yaml on a QEMU device with the
# image by file:// URL, level 1 under TCG with -cpu max; ci/lava/lava-log.py
# turns LAVA's log into console lines and `supernested parse` must give the
# verdict `supernested run --boot bootloader` gives on the same image: depth,
# outcome, exit status, each level's JUnit and KCIDB result, both KCIDB
# files valid against the complete kcidb-io schema.
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

# 1. the reference: supernested run, level 1 through the image's bootloader
t0=$(date +%s)
"$tool" run --image "$image" --boot bootloader --accel tcg --max-depth "$depth" \
	--out "$out/run" --junit "$out/run.xml" --kcidb "$out/run.json" >"$out/run.out" 2>&1
run_rc=$?
[ -f "$out/run/report.json" ]; ok $? "supernested run --max-depth $depth: report.json (exit $run_rc, $(( $(date +%s) - t0 )) s)" ||
	show "$out/run.out"
mem=$(jq -r '.settings.mem_mb // empty' "$out/run/report.json" 2>/dev/null)
mem=${mem:-1024}

# 2. the job as a lab submits it, the device as a TCG worker's server renders it
sed -e "s|IMAGE_URL|file://$image|" -e "s|MAX_DEPTH|$depth|g" -e "s|MEM_MB|$mem|g" \
	"$lava/supernested-qemu.yaml" >"$out/job.yaml"
! grep -q 'IMAGE_URL\|MAX_DEPTH\|MEM_MB' "$out/job.yaml"; ok $? "job template filled in (depth $depth, $mem MiB)"
"$lava/lava-device.py" "$out/job.yaml" >"$out/device.yaml"; ok $? "device dictionary for a QEMU worker without KVM"
lava-run --validate --job-id "$job_id" --output-dir "$out/validate" --device "$out/device.yaml" \
	"$out/job.yaml" >"$out/validate.log" 2>&1
grep -q '^result: pass' "$out/validate/result.yaml" 2>/dev/null; ok $? "lava-run --validate accepts the job" ||
	show "$out/validate.log"

# 3. the job, for real
t0=$(date +%s)
lava-run --job-id "$job_id" --output-dir "$out/lava" --device "$out/device.yaml" \
	"$out/job.yaml" >"$out/lava.log" 2>&1
lava_rc=$? lava_s=$(( $(date +%s) - t0 ))
grep -q '^result: pass' "$out/lava/result.yaml" 2>/dev/null
ok $? "LAVA job Complete (lava-run exit $lava_rc, $lava_s s)" || { show "$out/lava/result.yaml"; show "$out/lava.log"; }
cmd=$(grep -o '"Boot command: [^"]*' "$out/lava.log" | head -n 1)
echo "#   ${cmd#\"}"
case $cmd in *-enable-kvm*|*/dev/kvm*) false ;; *"-accel tcg"*"-cpu max"*"-smp 1"*) true ;; *) false ;; esac
ok $? "LAVA started level 1 under TCG, -cpu max, one CPU, without /dev/kvm"
grep -q '"ok: end string found' "$out/lava.log"; ok $? "LAVA's monitor saw level 1's whole summary line"
cases=$(grep '"lvl": "results"' "$out/lava.log" | grep -c '"case": "l[0-9]*", "definition": "supernested",.*"result": "pass"')

# 4. LAVA's log as console lines, and the same verdict from them
"$lava/lava-log.py" "$out/lava.log" >"$out/console.log" 2>"$out/lava-log.err"
ok $? "lava-log.py: $(wc -l <"$out/console.log") console lines" || show "$out/lava-log.err"
"$tool" parse --max-depth "$depth" --json "$out/parse.json" --junit "$out/parse.xml" \
	--kcidb "$out/parse.kcidb.json" "$out/console.log" >"$out/parse.out" 2>&1
parse_rc=$?
is "$(jq -c '[.result.garbled_lines, .result.rejected_reports]' "$out/parse.json" 2>/dev/null)" "[0,0]" \
	"no report line garbled or rejected on the way through LAVA"
is "$parse_rc" "$run_rc" "exit status: parse of the LAVA log as run"
for k in completed deepest outcome failure failed_level exit_status; do
	want=$(jq -c ".result.$k" "$out/run/report.json" 2>/dev/null)
	is "$(jq -c ".result.$k" "$out/parse.json" 2>/dev/null)" "$want" "report.json result.$k through LAVA as run ($want)"
done
is "$(jq -r '.result.deepest' "$out/parse.json" 2>/dev/null)" "$depth" "depth $depth reached through LAVA"
is "$cases" "$depth" "LAVA's own results: a passed test case per level up"
for f in run/report.json parse.json; do	# the numbers: each boot's own
	echo "#   $f: $(jq -c '[.levels[] | {level, up_at_s, boot_s}]' "$out/$f" 2>/dev/null)"
done
# the verdict line of the table (the numbers in the table are each run's own)
verdict=$(grep -m1 '^deepest level up' "$out/run.out")
[ -n "$verdict" ]; ok $? "supernested run printed its verdict line ($verdict)"
is "$(grep -m1 '^deepest level up' "$out/parse.out")" "$verdict" "the same verdict line from the LAVA log"

# 5. JUnit and KCIDB: each level's result as run
junit_cases() {	# name and result of each testcase
	xmllint --xpath '//testcase' "$1" 2>/dev/null | tr -d '\n' |
		sed 's|<testcase|\n&|g' | sed -n 's|.*name="\([^"]*\)".*|\1|p' >"$1.names"
	xmllint --xpath '//testcase' "$1" 2>/dev/null | tr -d '\n' | sed 's|<testcase|\n&|g' |
		sed -n '/<testcase/{s|.*<\(failure\).*|\1|;s|.*<\(error\).*|\1|;s|.*<\(skipped\).*|\1|;s|^<testcase.*|pass|;p}' |
		paste -d' ' "$1.names" -
}
for f in run.xml parse.xml; do
	xmllint --noout --schema "$top/tests/schemas/junit.xsd" "$out/$f" 2>"$out/xsd.err"
	ok $? "$f valid against junit.xsd" || show "$out/xsd.err"
done
is "$(junit_cases "$out/parse.xml")" "$(junit_cases "$out/run.xml")" "JUnit: every level's result as run"
kcidb_verdict() { jq -c '[.tests[] | {path, status, outcome: .misc.outcome, level: .misc.level}]' "$1"; }
for f in run.json parse.kcidb.json; do
	"$top/tests/validate-kcidb.py" "$top/tests/schemas/kcidb-io-v5.3.json" "$out/$f" >"$out/kcidb.out" 2>&1
	ok $? "$f valid against kcidb-io's complete v5.3 schema" || show "$out/kcidb.out"
done
is "$(kcidb_verdict "$out/parse.kcidb.json")" "$(kcidb_verdict "$out/run.json")" \
	"KCIDB: every level's path, status and outcome as run ($(kcidb_verdict "$out/run.json" | jq -r 'map(.status) | join(",")'))"
if [ -n "${LAVA_KEEP:-}" ]; then	# the recorded log, for the golden tests
	cp "$out/lava.log" "$LAVA_KEEP"
fi
tap_done
