#!/bin/bash
# backpressure.sh - end-to-end: nothing is lost when the tool's own output
# is not read, on real boots (depth 2).  The tool drains level 1's console
# on one thread and prints on another, so:
#   1. `run | head -1`: head goes away after one line; the run goes on to
#      the end, report.json is whole and the tool exits with the run's
#      status (bash's PIPESTATUS), not with SIGPIPE's 141;
#   2. a reader that stops reading for $STALL_S s (90) with its pipe full,
#      once level 2 is starting, while level 2 boots with every kernel
#      message and every initcall: its console, relayed by level 1, comes
#      at about 1 KB/s (each byte an exit through two KVMs) and totals
#      about 100 KB, so only a stall this long outlasts the 64 KiB pipe
#      from qemu and the guest's buffers (the run takes as long anyway).
#      Depth 2, every report of the chain there, nothing garbled, and every
#      initcall level 2 began has its end (a line level 1's launcher gives
#      up on after 2 s is missing or cut);
#   3. `parse` of each run's console.log gives the live report.json's
#      depth, outcome, levels and exit status.
# Run it alone (one boot at a time on a small host).  Prints TAP.
# KEEP=1 keeps the runs' directories (said on the last line).
# Usage: backpressure.sh SUPERNESTED_BINARY IMAGE
set -u
tool=$(realpath "$1") image=$2
here=$(cd "$(dirname "$0")" && pwd)
stall=${STALL_S:-90}
out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-bp.XXXXXX")
[ -n "${KEEP:-}" ] && trap 'echo "# kept: $out"' EXIT || trap 'rm -rf "$out"' EXIT
. "$here/tap.sh"

field() { jq -r "$2" "$1/report.json" 2>/dev/null; }
show() { sed 's/^/#   /' "$1" | grep -E '^#   (L[0-9]|deepest|level|supernested:|stalled-reader)' | tail -15; }

# a run's report.json against parse of its console.log
same_as_parse() {	# same_as_parse NAME
	local d=$out/$1 f live parsed
	"$tool" parse --max-depth 2 --expect-depth 2 --json "$d.parse.json" "$d/console.log" \
		>"$d.parse.out" 2>&1
	is "$?" "$(field "$d" '.result.exit_status')" "$1: parse of console.log exits as the live run did"
	for f in .result.deepest .result.outcome .result.completed .result.failed_level \
		 .result.garbled_lines .result.rejected_reports \
		 '[.levels[] | [.level, .up, .outcome, .boot_s, .up_at_s, .mem_mb]]' .notes; do
		live=$(jq -c "$f" "$d/report.json") parsed=$(jq -c "$f" "$d.parse.json")
		is "$parsed" "$live" "$1: parse gives the live $f ($live)"
	done
	is "$(jq -r .result.duration_s "$d.parse.json")" null "$1: parse's duration is unknown (null), not 0"
}

# every report of a depth-2 chain, in console.log
chain_complete() {	# chain_complete NAME
	local d=$out/$1 e missing=
	echo "# $1: console.log $(grep -vc '^\[host\] ' "$d/console.log") lines read from level 1" \
		"($(grep -c 'supernested: L' "$d/console.log") with reports)," \
		"$(grep -c '^\[host\] ' "$d/console.log") of the host's; run $(field "$d" .result.duration_s) s"
	for e in 'L1 up ' 'L1 child-start level=2' 'L2 up ' 'L1 child-up level=2' \
		 'L2 stop reason=max-depth' 'L2 summary ' 'L1 summary deepest=2'; do
		grep -q "supernested: $e" "$d/console.log" || missing="$missing '$e'"
	done
	[ -z "$missing" ]
	ok $? "$1: console.log holds every report of the chain${missing:+ (missing:$missing)}"
}

echo "# image $image, tool $tool"

# 1. | head -1
"$tool" run --image "$image" --max-depth 2 --expect-depth 2 --timeout 600 -v \
	--out "$out/head" 2>"$out/head.err" | head -1 >"$out/head.out"
st=${PIPESTATUS[0]}
show "$out/head.err"
is "$st" 0 "| head -1: the tool exits 0, the run's status"
is "$(field "$out/head" .result.exit_status)" "$st" "| head -1: report.json's exit_status is the tool's"
is "$(field "$out/head" .result.completed)" true "| head -1: report.json whole, run completed"
is "$(field "$out/head" .result.deepest)" 2 "| head -1: depth 2"
grep -q '^supernested: level 1 on ' "$out/head.out"
ok $? "| head -1: head got the first line ($(head -c 60 "$out/head.out"))"
ok "$(ls "$out/head" | grep -c '\.json\.')" "| head -1: no temporary file left beside report.json"
chain_complete head
same_as_parse head

# 2. a reader stopped for $stall s with its pipe full
args='ignore_loglevel initcall_debug'
"$here/../fake-qemu/stalled-reader.py" "$stall" "$out/stall.out" 'child-start' \
	"$tool" run --image "$image" --max-depth 2 --expect-depth 2 --timeout 600 -v \
	--kernel-args "supernested.args=\"$args\"" --out "$out/stall" 2>"$out/stall.err"
st=$?
show "$out/stall.err"
is "$st" 0 "stalled reader ($stall s): exit 0"
is "$(field "$out/stall" .result.deepest)" 2 "stalled reader: depth 2"
is "$(field "$out/stall" .result.garbled_lines)" 0 "stalled reader: no garbled (cut) line"
is "$(field "$out/stall" .result.rejected_reports)" 0 "stalled reader: no report refused"
chain_complete stall
relayed=$(grep -c 'supernested: L2 console ' "$out/stall/console.log")
bytes=$(wc -c <"$out/stall/console.log")
[ "$relayed" -gt 500 ]
ok $? "stalled reader: level 2's console relayed whole ($relayed lines, console.log $bytes bytes)"
called=$(grep -o 'L2 console text="\[ *[0-9.]*\] calling  *[^ ]*' "$out/stall/console.log" | sed 's/.* //' | sort)
returned=$(grep -o 'L2 console text="\[ *[0-9.]*\] initcall [^ ]* returned' "$out/stall/console.log" |
	sed 's/.* initcall //; s/ returned//' | sort)
[ "$(echo "$called" | grep -c .)" -gt 100 ] && [ "$called" = "$returned" ]
ok $? "stalled reader: each of level 2's $(echo "$called" | grep -c .) initcalls begun has its end ($(echo "$returned" | grep -c .) ends)"
grep -E '^supernested: [0-9]+ lines? of progress not shown' "$out/stall.out" | sed 's/^/# /'
grep -q '^deepest level up: 2' "$out/stall.out"
ok $? "stalled reader: the table reaches the reader once it reads again"
echo "# $(sed -n 's/^stalled-reader: //p' "$out/stall.err")"
same_as_parse stall

tap_done
