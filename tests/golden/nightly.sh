#!/bin/bash
# nightly.sh - the nightly's reference on recorded nights, through
# ci/nightly.sh itself (--from-run: judge a finished run, no boot):
#  - drift: five nights derived from a real depth-3 log, level 3's boot
#    (and every later stamp) 19 % slower each night (re-sealed); each
#    night against the one before stays under the +20 % rule, and the
#    nightly (pooled good runs + the pin) must flag the drift by night 3;
#  - the ratchet: a failed run in the history is recorded and plotted but
#    never the reference: the good run after it is compared with the good
#    run before it;
#  - false alarms: four real runs of one image compared with each other.
# Prints TAP and "N passed, N failed".
# Usage: nightly.sh SUPERNESTED_BINARY
set -u
tool=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
logs=$top/tests/data/logs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-nightly.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
. "$here/../e2e/tap.sh"

# night K: level 3's boot x 1.19^K, later stamps shifted by what it added
derive() {	# derive FACTOR <LOG >LOG
	python3 -c '
import re, sys, zlib
f = float(sys.argv[1])
lines = sys.stdin.read().split("\n")
stamp = re.compile(r"^\[\+([0-9.]+)s\] ")
def at(l):
    m = stamp.match(l)
    return float(m.group(1)) if m else None
t3 = next(at(l) for l in lines if "L2 child-start level=3 " in l)
up3 = next(at(l) for l in lines if "L2 child-up level=3 " in l)
def seal(l):
    i = l.find("supernested: ")
    j = l.rfind(" crc=")
    if i < 0 or j < 0:
        return l
    return l[:j] + " crc=%08x" % (zlib.crc32(l[i:j].encode()) & 0xffffffff)
out = []
for l in lines:
    t = at(l)
    if t is not None and t > t3:
        nt = t3 + (t - t3) * f if t <= up3 else t + (up3 - t3) * (f - 1)
        l = "[+%.3fs] " % nt + l[stamp.match(l).end():]
    if "L2 child-up level=3 " in l:
        l = re.sub(r"boot_s=([0-9.]+)", lambda m: "boot_s=%.3f" % (float(m.group(1)) * f), l)
        l = seal(l)
    out.append(l)
sys.stdout.write("\n".join(out))
' "$1"
}

# a finished run directory from a log, started on day DAY
run_dir() {	# run_dir LOG DIR DAY
	mkdir -p "$2"
	"$tool" parse --expect-depth 3 --json "$2/report.json.raw" "$1" >"$2/parse.out" 2>&1
	jq --arg d "2026-12-$3T02:00:00Z" '.started = $d | .passes[0].started = $d' \
		"$2/report.json.raw" >"$2/report.json" && rm "$2/report.json.raw"
}

base=$logs/run-depth3-max-depth.log
for k in 0 1 2 3 4; do
	f=$(awk -v k=$k 'BEGIN { printf "%.6f", 1.19 ^ k }')
	derive "$f" <"$base" >"$tmp/night-$k.log"
	run_dir "$tmp/night-$k.log" "$tmp/night-$k" "0$((k + 1))"
done
boots=$(for k in 0 1 2 3 4; do jq -r '.levels[2].boot_s' "$tmp/night-$k/report.json"; done | tr '\n' ' ')
awk -v b="$boots" 'BEGIN { split(b, v, " "); for (k = 2; k <= 5; k++) { r = v[k] / v[k - 1];
	if (r < 1.189 || r > 1.191) exit 1 } exit !(v[5] / v[1] > 2.0 && v[5] / v[1] < 2.01) }'
ok $? "five nights, L3 boot +19 % a night: $boots(night 4 / night 0 = 2.005)"
for k in 0 1 2 3 4; do "$tool" parse "$tmp/night-$k.log" >/dev/null 2>&1 || break; done
ok $? "every derived night parses as a good depth-3 run (re-sealed, no line lost)"

# night-to-night alone: never a regression
alarms=0
for k in 1 2 3 4; do
	"$tool" compare "$tmp/night-$((k - 1))" "$tmp/night-$k" >"$tmp/n2n-$k.out" 2>&1
	[ $? = 1 ] && alarms=$((alarms + 1))
done
[ "$alarms" = 0 ]
ok $? "night-to-night compare alone: $alarms of 4 nights flagged (the drift passes unseen)"

# the nightly: pooled good runs and the pin
drift_night=
for k in 0 1 2 3 4; do
	(cd "$top" && ci/nightly.sh --tool "$tool" --from-run "$tmp/night-$k" --history "$tmp/history" \
		--out "$tmp/ci-$k") >"$tmp/ci-$k.out" 2>&1
	rc=$?
	echo "# night $k: nightly exit status $rc"
	[ -z "$drift_night" ] && [ "$rc" = 1 ] && drift_night=$k
done
[ -n "$drift_night" ] && [ "$drift_night" -le 3 ]
ok $? "the nightly flags the drift by night 3: first flagged night ${drift_night:-none}" "$tmp/ci-${drift_night:-4}.out"
grep -q '^against the pinned reference (slow drift): .*night-0\|^against the pinned reference' "$tmp/ci-$drift_night.out" 2>/dev/null &&
	grep -A12 '^against the pinned reference' "$tmp/ci-$drift_night.out" | grep -qE '^L3 .*SLOWER'
ok $? "night $drift_night: level 3 SLOWER against the pinned reference (the oldest good night)" "$tmp/ci-${drift_night:-4}.out"
for k in $(seq $((drift_night + 1)) 4); do
	grep -q "^not a baseline: .*: the nightly flagged it" "$tmp/ci-$k.out" || break
done
ok $? "flagged nights are no reference for later ones (no ratchet through the pool)"
is_red=1
for k in $(seq "$drift_night" 4); do
	tail -1 "$tmp/ci-$k.out" | grep -q 'exit status 1' || is_red=0
done
[ "$is_red" = 1 ]
ok $? "the drift stays red every night after (nights $drift_night-4)"
is_rows=$(tail -n +2 "$tmp/ci-4/history.csv" | wc -l)
[ "$is_rows" = 5 ]
ok $? "the history holds all five nights ($is_rows rows), flagged ones included"

# the ratchet: [good, failed] -> a good run compares with the good one
hist=$tmp/ratchet
run_dir "$base" "$tmp/r-good" 10
awk '/L2 child-start level=3 /{ print; exit } { print }' "$base" >"$tmp/cut.log"
python3 -c '
import sys, zlib
def seal(body):
    return body + " crc=%08x" % (zlib.crc32(body.encode()) & 0xffffffff)
for t, body in ((250.0, "supernested: L2 child-fail level=3 reason=panic detail=\"Kernel panic - not syncing: injected\""),
                (250.2, "supernested: L2 summary deepest=2 result=panic failed_level=3 text=x"),
                (251.0, "supernested: L1 summary deepest=2 result=panic failed_level=3 text=x")):
    print("[+%.3fs] %s" % (t, seal(body)))
' >>"$tmp/cut.log"
run_dir "$tmp/cut.log" "$tmp/r-failed" 11
run_dir "$base" "$tmp/r-next" 12
is_st=$(jq -r '.result.exit_status' "$tmp/r-failed/report.json")
[ "$is_st" = 1 ]
ok $? "the failed run (L3 panic, --expect-depth 3): exit status $is_st recorded"
for d in r-good r-failed r-next; do
	(cd "$top" && ci/nightly.sh --tool "$tool" --from-run "$tmp/$d" --history "$hist" --out "$tmp/ci-$d") \
		>"$tmp/ci-$d.out" 2>&1
	echo "# $d: nightly exit status $?"
done
tail -1 "$tmp/ci-r-failed.out" | grep -q 'exit status 1'
ok $? "nightly of the failed run: exit status 1" "$tmp/ci-r-failed.out"
grep -q '^not a baseline: .*level 3 failed: panic' "$tmp/ci-r-next.out" &&
	grep -q '^against the reference: 1 good run(s)' "$tmp/ci-r-next.out" &&
	grep -A1 '^against the reference' "$tmp/ci-r-next.out" | grep -q "^baseline: $hist/20261210-020000/report.json"
ok $? "the next good run: the failed one named and left out, compared with the good run before it" "$tmp/ci-r-next.out"
tail -1 "$tmp/ci-r-next.out" | grep -q 'exit status 0'
ok $? "the next good run: exit status 0" "$tmp/ci-r-next.out"
is_csv=$(tail -n +2 "$tmp/ci-r-next/history.csv" | awk -F, '{ print $NF }' | tr '\n' ' ')
[ "$is_csv" = "1 0 1 " ]
ok $? "history.csv: good, failed, good ($is_csv)" "$tmp/ci-r-next/history.csv"

# false alarms on unchanged code: four real 3-pass depth-3 runs of one image
# (tests/data/runs/same-image-*), each against each other and against the
# pool of the others with its pin, as tests/false-alarms.sh counts them
"$top/tests/false-alarms.sh" "$tool" --runs "$top"/tests/data/runs/same-image-{1,2,3,4} >"$tmp/fa.out" 2>&1
tail -1 "$tmp/fa.out" | sed 's/^/# /'
! grep -q '^ALARM pool' "$tmp/fa.out" && grep -q '^16 comparisons' "$tmp/fa.out"
ok $? "false alarms: none against the nightly's reference (the pool of the other runs and the pin)" "$tmp/fa.out"
fa=$(tail -1 "$tmp/fa.out" | awk '{ print $3 }')
[ "$fa" -le 1 ] 2>/dev/null
ok $? "false alarms: at most the one recorded (a quiet run as the single reference): $fa of 16" "$tmp/fa.out"

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
