# runs.sh - the runs of an end-to-end script (sourced after tap.sh; needs
# $tool and $image): a results directory $out, one run per NAME in it,
# and checks on a run's report.json.  E2E_OUT=DIR keeps every run there;
# KEEP=1 keeps the temporary one and says where.
e2e_out() {	# e2e_out NAME: make $out
	if [ -n "${E2E_OUT:-}" ]; then
		out=$E2E_OUT && mkdir -p "$out"
	else
		out=$(mktemp -d "${TMPDIR:-/tmp}/supernested-$1.XXXXXX")
		if [ -n "${KEEP:-}" ]; then
			trap 'echo "# kept: $out"' EXIT
		else
			trap 'rm -rf "$out"' EXIT
		fi
	fi
}

field() { jq -r "$2" "$out/$1/report.json" 2>/dev/null; }	# field NAME JQ

has() {		# has NAME JQ-STRINGS PATTERN DESCRIPTION: a line of them matches
	field "$1" "$2" | grep -qE -- "$3"; local rc=$?
	ok $rc "$4"
	[ $rc = 0 ] || field "$1" "$2" | head -5 | sed 's/^/#   got: /'
}

run_args=()	# words every run starts with (e.g. --accel bochs)
run() {		# run NAME ARGS...: one run, its output kept and summarised
	local name=$1 t0=$SECONDS; shift
	"$tool" run "${run_args[@]}" --image "$image" --out "$out/$name" "$@" >"$out/$name.out" 2>&1
	echo $? >"$out/$name.rc"
	echo "# $name: $((SECONDS - t0)) s"
	grep -E 'L[0-9]+ (up|child-up|child-fail|stop|summary|warning)|^deepest' "$out/$name.out" |
		cut -c1-200 | sed 's/^/#   /'
}
