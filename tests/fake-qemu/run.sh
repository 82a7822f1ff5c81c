#!/bin/bash
# run.sh - the host tool's run path with no VM: a fake level 1 qemu
# (fake-qemu.c, first in PATH) speaks a recorded console.log with the
# launcher's output rule (a line not taken in 2 s is dropped), on a small
# disk image made here.  Shows: the drain never waits on the tool's own
# output (a reader stalled with a full pipe: no line dropped, progress
# counted as not shown), `| head -1` leaves report.json and the run's exit
# status, console.log reads back (parse) to the live verdict even with
# lines of 4x-escaped noise or after qemu ended early or was stopped, and
# qemu's end is the run's.  Runs in about 30 s.  Prints TAP.
# Usage: run.sh SUPERNESTED_BINARY FAKE_QEMU_BINARY
set -u
tool=$(realpath "$1")
fake=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
# a depth-2 run in 2.2 s, sealed and timed as a launcher would send it
log=$here/depth2.log
export FAKE_QEMU_SEAL=1 FAKE_QEMU_REALTIME=1
stall=${FAKE_STALL_S:-5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-fake.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export PATH="$tmp/bin:$PATH:/usr/sbin:/sbin"
. "$here/../e2e/tap.sh"
jq_is() {	# jq_is FILE FILTER WANT: the value FILTER gives is WANT
	[ "$(jq -r "$2" "$1" 2>/dev/null)" = "$3" ]
}
stat_of() {	# stat_of STATSFILE KEY: a number fake-qemu wrote
	sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$1" 2>/dev/null
}

# a disk the tool accepts as an image: MBR, partition 1 ext2 "supernested"
# with the kernel and initrd a direct boot copies out (never booted here)
mkdir -p "$tmp/bin" "$tmp/root/boot" "$tmp/root/etc"
ln -s "$fake" "$tmp/bin/qemu-system-x86_64"
echo "not a kernel" >"$tmp/root/boot/vmlinux"
echo "not an initrd" >"$tmp/root/boot/initrd.img"
truncate -s 8M "$tmp/fake.img"
echo 'start=2048, type=83' | sfdisk -q "$tmp/fake.img" >/dev/null 2>&1
mke2fs -q -F -t ext2 -L supernested -d "$tmp/root" -E offset=1048576 "$tmp/fake.img" 6M \
	>"$tmp/mke2fs.out" 2>&1
ok $? "a small disk image for the fake level 1" "$tmp/mke2fs.out"

run() {		# run OUTDIR [TOOL OPTIONS...]: the tool under the fake qemu
	local out=$1; shift
	"$tool" run --image "$tmp/fake.img" --accel tcg --max-depth 2 --expect-depth 2 \
		--out "$out" "$@"
}

# 1. a plain run, report lines glued behind 1000 bytes of non-ASCII noise
#    (each 4 bytes in console.log: lines past the 2048 a line reader keeps)
FAKE_QEMU_LOG=$log FAKE_QEMU_GLUE=1000 FAKE_QEMU_STATS=$tmp/s1 \
	run "$tmp/r1" >"$tmp/r1.out" 2>&1
st=$?
ok $((st != 0)) "plain run: exit 0 (got $st)" "$tmp/r1.out"
jq_is "$tmp/r1/report.json" '.result.deepest' 2 && jq_is "$tmp/r1/report.json" '.result.completed' true
ok $? "plain run: report.json depth 2, completed" "$tmp/r1.out"
ok "$(stat_of "$tmp/s1" dropped)" "plain run: fake level 1 dropped $(stat_of "$tmp/s1" dropped) of $(stat_of "$tmp/s1" lines) lines" "$tmp/s1"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/r1/console.log")
[ "$longest" -gt 2048 ]
ok $? "console.log holds lines longer than 2048 bytes (longest $longest)"
guest_lines() { grep -vc '^\[host\] ' "$1"; }	# console.log's lines from level 1
[ "$(guest_lines "$tmp/r1/console.log")" = "$(stat_of "$tmp/s1" lines)" ]
ok $? "console.log has every line the fake sent ($(stat_of "$tmp/s1" lines))"

# 2. parse of that console.log: the live verdict
same_as_parse() {	# same_as_parse RUN_DIR LIVE_EXIT NAME: parse's report against the live one
	local d=$1 st=$2 name=$3 f live parsed pst
	"$tool" parse --max-depth 2 --expect-depth 2 --json "$d.parse.json" "$d/console.log" \
		>"$d.parse.out" 2>&1
	pst=$?
	ok $((pst != st)) "$name: parse of console.log exits $pst, the live run's $st" "$d.parse.out"
	for f in .result.deepest .result.outcome .result.completed .result.failed_level \
		 .result.garbled_lines .result.rejected_reports \
		 '[.levels[] | [.level, .up, .outcome, .detail, .boot_s, .up_at_s, .evidence]]' '.notes'; do
		live=$(jq -c "$f" "$d/report.json") parsed=$(jq -c "$f" "$d.parse.json")
		[ "$live" = "$parsed" ]
		ok $? "$name: parse gives the live $f: $(printf %.160s "$live") (parsed: $(printf %.160s "$parsed"))"
	done
}
same_as_parse "$tmp/r1" "$st" "plain run"
"$tool" parse --expect-depth 2 --json "$tmp/p1.json" "$tmp/r1/console.log" >"$tmp/p1.out" 2>&1
jq_is "$tmp/p1.json" '.result.duration_s' null
ok $? "parse: duration_s is null (a log does not say), not 0"
jq -e '.result.duration_s > 0' "$tmp/r1/report.json" >/dev/null
ok $? "run: duration_s is measured"
diff <(grep -v '^report: ' "$tmp/p1.out") <(sed -n '/^level /,$p' "$tmp/r1.out" | grep -v '^\(report\|timeline\): ') \
	>"$tmp/p1.diff" 2>&1
ok $? "parse prints the live run's table and verdict line" "$tmp/p1.diff"

# 3. a reader that stops reading once level 2 is starting: stdout a full
#    one-page pipe for $stall s, while the fake sends 14 000 lines of chatter
#    echoed by -v (1.1 MB: the queue is 256 KiB) and drops any line not
#    taken in 2 s
FAKE_QEMU_LOG=$log FAKE_QEMU_NOISE=2000 FAKE_QEMU_STATS=$tmp/s3 \
	"$here/stalled-reader.py" "$stall" "$tmp/r3.out" child-start \
	"$tool" run --image "$tmp/fake.img" --accel tcg --max-depth 2 --expect-depth 2 \
	--out "$tmp/r3" -v 2>"$tmp/r3.err"
st=$?
ok $((st != 0)) "stalled reader: exit 0 (got $st)" "$tmp/r3.err"
dropped=$(stat_of "$tmp/s3" dropped) lines=$(stat_of "$tmp/s3" lines)
ok "${dropped:-1}" "stalled reader ($stall s): fake level 1 dropped ${dropped:-?} of ${lines:-?} lines ($(sed -n 's/^stalled-reader: //p' "$tmp/r3.err"))" "$tmp/r3.err"
[ "$(guest_lines "$tmp/r3/console.log")" = "$lines" ]
ok $? "stalled reader: console.log has all $lines lines"
jq_is "$tmp/r3/report.json" '.result.deepest' 2 && jq_is "$tmp/r3/report.json" '.result.garbled_lines' 0
ok $? "stalled reader: report.json depth 2, nothing garbled" "$tmp/r3.err"
grep -q '^supernested: [0-9]* lines of progress not shown' "$tmp/r3.out"
ok $? "stalled reader: the progress not shown is counted ($(grep -o '^supernested: [0-9]* lines of progress not shown' "$tmp/r3.out" | head -1))"
grep -q '^deepest level up: 2' "$tmp/r3.out"
ok $? "stalled reader: the final table and verdict reach the reader" "$tmp/r3.out"

# 4. | head -1: the reader goes away after one line
set -o pipefail
FAKE_QEMU_LOG=$log FAKE_QEMU_NOISE=200 FAKE_QEMU_STATS=$tmp/s4 \
	run "$tmp/r4" -v 2>"$tmp/r4.err" | head -1 >"$tmp/r4.out"
st=${PIPESTATUS[0]}
set +o pipefail
ok $((st != 0)) "| head -1: the tool exits 0, the run's status (got $st)" "$tmp/r4.err"
jq_is "$tmp/r4/report.json" '.result.deepest' 2 && jq_is "$tmp/r4/report.json" '.result.completed' true &&
	jq_is "$tmp/r4/report.json" '.result.exit_status' 0
ok $? "| head -1: report.json complete (depth 2, completed, exit_status 0)" "$tmp/r4.err"
ok "$(stat_of "$tmp/s4" dropped)" "| head -1: fake level 1 dropped $(stat_of "$tmp/s4" dropped) of $(stat_of "$tmp/s4" lines) lines"
[ "$(wc -l <"$tmp/r4.out")" = 1 ]
ok $? "| head -1: head got its line"
! ls "$tmp/r4" | grep -q '\.json\.'
ok $? "| head -1: no temporary file left beside report.json"

# 5. level 1's qemu ends (status 1, a KVM error behind 1500 non-ASCII
#    bytes on its stderr: a 6000-byte line in console.log) after level 2
#    came up, before the summary: the run is not complete, its exit status
#    is the verdict's (not 0), and report.json is written all the same
head -n 6 "$log" >"$tmp/cut.log"
FAKE_QEMU_LOG=$tmp/cut.log FAKE_QEMU_EXIT=1 FAKE_QEMU_STDERR=1500 run "$tmp/r5" >"$tmp/r5.out" 2>&1
st=$?
jq_is "$tmp/r5/report.json" '.result.exit_status' "$st" && [ "$st" != 0 ]
ok $? "qemu ends early: exit $st, report.json's exit_status" "$tmp/r5.out"
jq_is "$tmp/r5/report.json" '.result.completed' false &&
	jq_is "$tmp/r5/report.json" '.levels[0].outcome' kvm-error
ok $? "qemu ends early: report.json says not completed, level 1 kvm-error (from its stderr)" "$tmp/r5.out"
same_as_parse "$tmp/r5" "$st" "qemu ends early"

# 5b. level 1 goes silent after level 2 came up: the run's time limit
#     (--timeout 10) stops it; the verdict from console.log is the same
FAKE_QEMU_LOG=$tmp/cut.log FAKE_QEMU_HANG=1 run "$tmp/r6" --timeout 10 >"$tmp/r6.out" 2>&1
st=$?
jq_is "$tmp/r6/report.json" '.levels[1].outcome' timeout &&
	jq -r '.levels[1].detail' "$tmp/r6/report.json" | grep -q 'run time limit of 10 s'
ok $? "run time limit: level 2 timed out, the limit in its detail (exit $st)" "$tmp/r6.out"
same_as_parse "$tmp/r6" "$st" "run time limit"

# 5c. level 1's qemu ends before a single line: no level to draw, so no
#     timeline picture and one line saying why (not gnuplot's error)
: >"$tmp/empty.log"
FAKE_QEMU_LOG=$tmp/empty.log FAKE_QEMU_EXIT=1 run "$tmp/r7" >"$tmp/r7.out" 2>&1
st=$?
grep -q 'no timeline picture: no level came far enough to draw' "$tmp/r7.out" &&
	! grep -q 'timeline picture .* failed' "$tmp/r7.out" && [ ! -e "$tmp/r7/timeline.svg" ] &&
	jq_is "$tmp/r7/report.json" '.result.deepest' 0
ok $? "nothing came up: no picture, one line why, report.json written (exit $st)" "$tmp/r7.out"

# 5d. a tree: --width 2, level 1's two children up at max depth 2, each
#     branch with its summary (tree.log); supernested.width=2 on level 1's
#     settings, a row per node, report.json's tree and branches, and parse
#     of console.log reading the same tree from the up lines' width=
FAKE_QEMU_LOG=$here/tree.log FAKE_QEMU_ARGV=$tmp/tree.argv run "$tmp/r8" --width 2 >"$tmp/r8.out" 2>&1
st=$?
ok $((st != 0)) "--width 2: exit 0 (got $st)" "$tmp/r8.out"
grep -q 'supernested.width=2' "$tmp/tree.argv"
ok $? "--width 2: supernested.width=2 in level 1's settings" "$tmp/tree.argv"
grep -q '^console=ttyS0 .* lapic=notscdeadline nohz=off highres=off ' "$tmp/tree.argv"
ok $? "level 1 under TCG, profile deep: no TSC-deadline, a periodic tick" "$tmp/tree.argv"
[ "$(sed -n '/^level /,/^branch /p' "$tmp/r8.out" | awk '/^L/ { printf "%s ", $1 }')" = "L1 L1.1 L1.2 " ]
ok $? "--width 2: the table has a row per node, L1 L1.1 L1.2" "$tmp/r8.out"
jq -e '.width == 2 and ([.tree[].node] == ["1", "1.1", "1.2"]) and ([.branches[].result] == ["max-depth", "max-depth"])
	and .result.deepest == 2 and .result.completed and .result.exit_status == 0' "$tmp/r8/report.json" >/dev/null
ok $? "--width 2: report.json's width, tree, branches" "$tmp/r8.out"
"$tool" parse --expect-depth 2 --json "$tmp/r8.parse.json" "$tmp/r8/console.log" >/dev/null 2>&1
[ "$(jq -c '[.width, [.tree[] | [.node, .up, .outcome, .boot_s]], .branches]' "$tmp/r8.parse.json")" = \
  "$(jq -c '[.width, [.tree[] | [.node, .up, .outcome, .boot_s]], .branches]' "$tmp/r8/report.json")" ]
ok $? "--width 2: parse of console.log gives the live tree (its width from the up lines)"
FAKE_QEMU_LOG=$here/tree.log run "$tmp/r8p" --width 2 --passes 2 >"$tmp/r8p.out" 2>&1
[ "$(sed -n '/^level .*mean/,$p' "$tmp/r8p.out" | awk '/^L/ { printf "%s:%s ", $1, $2 }')" = "L1:2/2 L1.1:2/2 L1.2:2/2 " ] &&
	jq -e '[.stats[] | [.level, .node, .passes_up]] == [[1, "1", 2], [2, "1.1", 2], [2, "1.2", 2]]' \
		"$tmp/r8p/report.json" >/dev/null
ok $? "--width 2 --passes 2: statistics over the passes per node, table and report.json" "$tmp/r8p.out"
for bad in "--width 5" "--width 0" "--width 2 --max-depth 8" "--width 3 --max-depth 5"; do
	# shellcheck disable=SC2086
	"$tool" run --image "$tmp/fake.img" --accel tcg $bad >"$tmp/bad.out" 2>&1
	st=$?
	[ "$st" = 2 ] && [ "$(wc -l <"$tmp/bad.out")" = 1 ]
	ok $? "run $bad: refused in one line, exit 2 (got $st: $(head -c 120 "$tmp/bad.out"))"
done

# 6. JUnit and KCIDB files are replaced whole: an old file is never half-written
echo "old" >"$tmp/junit.xml"
"$tool" parse --junit "$tmp/junit.xml" --kcidb "$tmp/kcidb.json" "$tmp/r1/console.log" >/dev/null 2>&1
xmllint --noout "$tmp/junit.xml" 2>"$tmp/x.err" && jq -e . "$tmp/kcidb.json" >/dev/null &&
	[ "$(ls "$tmp" | grep -c '\(junit.xml\|kcidb.json\)\.')" = 0 ]
ok $? "JUnit and KCIDB written whole, no temporary left" "$tmp/x.err"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
