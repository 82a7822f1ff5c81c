#!/bin/bash
# nightly.sh - what a nightly CI job runs, the same for GitLab, GitHub
# Actions and by hand: build the tool and the image, run the chain with
# --expect-depth and several passes, write JUnit and KCIDB, compare with
# the earlier GOOD runs kept in a history directory (pooled) and with a
# pinned one (slow drift), record this run in the history whatever its
# outcome, plot the history, and collect the artifacts.  The rules are in
# docs/verdict.md.
#
# Usage: ci/nightly.sh [--out DIR] [--history DIR] [--pin DIR] [--window N]
#                      [--max-depth N] [--expect-depth N] [--passes N]
#                      [--image FILE] [--kernel-args WORDS] [--profile deep|full]
#                      [--kernel BUILD_TREE [--modules DIR]]
#                      [--tool FILE] [--from-run DIR]
#   --kernel, --modules  test this kernel (a build tree or a bzImage, and
#                   modules_install's INSTALL_MOD_PATH): the image is built
#                   around it (make image KERNEL=... MODULES=...), its config
#                   checked first
#   --out DIR       artifacts (default ci-artifacts): report.json,
#                   console.log, timeline.svg, junit.xml, kcidb.json, tap.txt,
#                   compare.txt, compare.xml, history.csv, history.svg
#   --history DIR   earlier runs, one directory each (what CI keeps between
#                   nights; names sort by time); this run is added, failed
#                   or not.  The reference is the newest --window good runs
#                   (completed, depth met, nothing failed: default 14),
#                   every pass of each pooled; a failed run never is one
#   --pin DIR       a fixed reference run (default: the oldest good run of
#                   the window), compared with too, so that drift too slow
#                   for night-to-night comparisons is flagged
#   --passes N      passes per night (default 3: the rule's sd needs some)
#   --profile P     the run's profile (supernested run --profile; default
#                   deep); compare takes only earlier runs of the same
#                   profile as the reference, so a history may hold both,
#                   though one per profile keeps the history plot readable
#   --tool FILE     use this supernested binary, build nothing
#   --from-run DIR  judge this finished run (its report.json) instead of
#                   running one (replaying recorded nights)
# Exit status: 0 ok; 1 the run failed (a level within the expected depth
# failed, or depth below --expect-depth) or regressed against the pooled
# reference or the pin; 3 infrastructure (the run could not run or finish).
set -u
out=ci-artifacts history= pin= window= max_depth=3 expect_depth=3 passes=3 image=supernested.img
kargs= kernel= modules= tool= from_run= profile=deep
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 ;;
	--history) history=$2 ;;
	--pin) pin=$2 ;;
	--window) window=$2 ;;
	--max-depth) max_depth=$2 ;;
	--expect-depth) expect_depth=$2 ;;
	--passes) passes=$2 ;;
	--image) image=$2 ;;
	--kernel-args) kargs=$2 ;;
	--profile) profile=$2 ;;
	--kernel) kernel=$2 ;;
	--modules) modules=$2 ;;
	--tool) tool=$2 ;;
	--from-run) from_run=$2 ;;
	*) echo "nightly.sh: unknown option '$1' (see the comment at the top)" >&2; exit 2 ;;
	esac
	[ $# -ge 2 ] || { echo "nightly.sh: $1 needs a value" >&2; exit 2; }
	shift 2
done
# paths as given, before moving to the source tree
out=$(realpath -m "$out")
[ -n "$history" ] && history=$(realpath -m "$history")
[ -n "$pin" ] && pin=$(realpath -m "$pin")
[ -e "$image" ] && image=$(realpath "$image")
[ -n "$kernel" ] && kernel=$(realpath "$kernel")
[ -n "$modules" ] && modules=$(realpath "$modules")
[ -n "$tool" ] && tool=$(realpath "$tool")
[ -n "$from_run" ] && from_run=$(realpath "$from_run")
cd "$(dirname "$0")/.." || exit 3

# the tool, and the image unless one was given that exists
if [ -z "$tool" ]; then
	make -s all || exit 3
	tool=build/supernested
fi
if [ -n "$from_run" ]; then
	:
elif [ -n "$kernel" ]; then	# the kernel under test, at every level
	image=$(realpath -m "$out/supernested-kernel.img")
	mkdir -p "$out"
	make -s image KERNEL="$kernel" ${modules:+MODULES="$modules"} IMAGE="$image" || exit 3
elif [ ! -e "$image" ]; then
	make -s image IMAGE="$image" || exit 3
fi

rm -rf "$out/run"
mkdir -p "$out" || exit 3
if [ -n "$from_run" ]; then
	cp -r "$from_run" "$out/run" || exit 3
	rc=$(jq -r '.result.exit_status // 3' "$out/run/report.json" 2>/dev/null || echo 3)
	echo "nightly.sh: judging the finished run $from_run (exit status $rc)"
else
	args=(run --image "$image" --out "$out/run" --max-depth "$max_depth" --expect-depth "$expect_depth"
	      --passes "$passes" --junit "$out/junit.xml" --kcidb "$out/kcidb.json" --tap
	      --profile "$profile")
	[ -n "$kargs" ] && args+=(--kernel-args "$kargs")
	# stdout: progress and the TAP stream (kept as tap.txt); stderr: the tables
	"$tool" "${args[@]}" | tee "$out/tap.txt"
	rc=${PIPESTATUS[0]}
fi
for f in report.json console.log timeline.svg; do
	[ -e "$out/run/$f" ] && cp "$out/run/$f" "$out/$f"
	[ -e "$out/run/pass-1/$f" ] && [ ! -e "$out/$f" ] && cp "$out/run/pass-1/$f" "$out/$f"
done

# against earlier good runs, pooled, and the pin: only a regression (1)
# changes the night's status; no good run yet is said, not failed on
if [ -n "$history" ] && [ -d "$history" ] && [ -f "$out/run/report.json" ] &&
   [ -n "$(ls -A "$history" 2>/dev/null)" ]; then
	cargs=(compare --junit "$out/compare.xml")
	[ -n "$pin" ] && cargs+=(--pin "$pin")
	[ -n "$window" ] && cargs+=(--window "$window")
	"$tool" "${cargs[@]}" "$history" "$out/run" >"$out/compare.txt" 2>&1
	crc=$?
	cat "$out/compare.txt"
	if [ "$crc" = 1 ]; then
		[ "$rc" = 0 ] || [ "$rc" = 3 ] && rc=1
	elif [ "$crc" != 0 ] && ! grep -q '^no good run to compare with' "$out/compare.txt"; then
		[ "$rc" = 0 ] && rc=3
	fi
else
	echo "nightly.sh: no earlier run to compare with"
fi

# this run joins the history whatever its outcome: compare leaves failed
# runs out of every reference, the plot shows them
if [ -n "$history" ] && [ -f "$out/run/report.json" ]; then
	name=$(jq -r '.started // empty' "$out/run/report.json" 2>/dev/null | tr -d ':-' | tr 'T' '-' | cut -c1-15)
	[ -n "$name" ] || name=$(date -u +%Y%m%d-%H%M%S)
	while [ -e "$history/$name" ]; do name=$name+; done
	mkdir -p "$history" && cp -r "$out/run" "$history/$name"
	# the night's status goes with it: a night flagged as a regression is
	# no reference for the next ones either
	jq --argjson rc "$rc" '. + {nightly: {exit_status: $rc}}' "$history/$name/report.json" \
		>"$history/$name/report.json.tmp" && mv "$history/$name/report.json.tmp" "$history/$name/report.json"
	"$tool" history --csv "$out/history.csv" --svg "$out/history.svg" "$history"/*/
fi
echo "artifacts: $(ls "$out" | tr '\n' ' ')"
echo "nightly.sh: exit status $rc"
exit "$rc"
