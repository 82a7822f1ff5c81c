#!/bin/bash
# nightly.sh - what a nightly CI job runs, the same for GitLab, GitHub
# Actions and by hand: build the tool and the image, run the chain with
# --expect-depth, write JUnit and KCIDB, compare with the newest earlier run
# kept in a history directory, plot the history, and collect the artifacts.
#
# Usage: ci/nightly.sh [--out DIR] [--history DIR] [--max-depth N]
#                      [--expect-depth N] [--passes N] [--image FILE]
#                      [--kernel-args WORDS] [--kernel BUILD_TREE [--modules DIR]]
#   --kernel, --modules  test this kernel (a build tree or a bzImage, and
#                   modules_install's INSTALL_MOD_PATH): the image is built
#                   around it (make image KERNEL=... MODULES=...), its config
#                   checked first
#   --out DIR       artifacts (default ci-artifacts): report.json,
#                   console.log, timeline.svg, junit.xml, kcidb.json, tap.txt,
#                   history.csv, history.svg
#   --history DIR   earlier runs, one directory each (what CI keeps between
#                   nights); the newest is the baseline; this run is added
# Exit status: the run's (0 ok, 1 depth below --expect-depth or a regression
# against the baseline, 3 infrastructure).
set -u
out=ci-artifacts history= max_depth=3 expect_depth=3 passes=1 image=supernested.img kargs= kernel= modules=
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 ;;
	--history) history=$2 ;;
	--max-depth) max_depth=$2 ;;
	--expect-depth) expect_depth=$2 ;;
	--passes) passes=$2 ;;
	--image) image=$2 ;;
	--kernel-args) kargs=$2 ;;
	--kernel) kernel=$2 ;;
	--modules) modules=$2 ;;
	*) echo "nightly.sh: unknown option '$1' (see the comment at the top)" >&2; exit 2 ;;
	esac
	[ $# -ge 2 ] || { echo "nightly.sh: $1 needs a value" >&2; exit 2; }
	shift 2
done
# paths as given, before moving to the source tree
out=$(realpath -m "$out")
[ -n "$history" ] && history=$(realpath -m "$history")
[ -e "$image" ] && image=$(realpath "$image")
[ -n "$kernel" ] && kernel=$(realpath "$kernel")
[ -n "$modules" ] && modules=$(realpath "$modules")
cd "$(dirname "$0")/.." || exit 3

# the tool, and the image unless one was given that exists
make -s all || exit 3
if [ -n "$kernel" ]; then	# the kernel under test, at every level
	image=$(realpath -m "$out/supernested-kernel.img")
	mkdir -p "$out"
	make -s image KERNEL="$kernel" ${modules:+MODULES="$modules"} IMAGE="$image" || exit 3
elif [ ! -e "$image" ]; then
	make -s image IMAGE="$image" || exit 3
fi

rm -rf "$out/run"
mkdir -p "$out" || exit 3
args=(run --image "$image" --out "$out/run" --max-depth "$max_depth" --expect-depth "$expect_depth"
      --passes "$passes" --junit "$out/junit.xml" --kcidb "$out/kcidb.json" --tap)
[ -n "$kargs" ] && args+=(--kernel-args "$kargs")
baseline=
if [ -n "$history" ] && [ -d "$history" ]; then
	# the newest earlier run with a report (directory names sort by time)
	for d in $(ls -1 "$history" | sort -r); do
		if [ -f "$history/$d/report.json" ]; then baseline=$history/$d; break; fi
	done
fi
if [ -n "$baseline" ]; then
	args+=(--baseline "$baseline/report.json")
else
	echo "nightly.sh: no earlier run to compare with: this run becomes the baseline"
fi

# stdout: progress and the TAP stream (kept as tap.txt); stderr: the tables
build/supernested "${args[@]}" | tee "$out/tap.txt"
rc=${PIPESTATUS[0]}
for f in report.json console.log timeline.svg; do
	[ -e "$out/run/$f" ] && cp "$out/run/$f" "$out/$f"
	[ -e "$out/run/pass-1/$f" ] && [ ! -e "$out/$f" ] && cp "$out/run/pass-1/$f" "$out/$f"
done

if [ -n "$history" ] && [ -f "$out/run/report.json" ]; then
	mkdir -p "$history" &&
	cp -r "$out/run" "$history/$(date -u +%Y%m%d-%H%M%S)"
	build/supernested history --csv "$out/history.csv" --svg "$out/history.svg" "$history"/*/
fi
echo "artifacts: $(ls "$out" | tr '\n' ' ')"
exit $rc
