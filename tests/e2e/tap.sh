# tap.sh - TAP for the test scripts (sourced: end-to-end, golden, fake
# qemu): ok, is, skip, and the closing "1..N" and "N passed, N failed" lines with
# the exit status.
n=0 failed=0

ok() {		# ok CONDITION-EXIT-CODE DESCRIPTION [DIAGNOSIS-FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		# what went wrong, its last 40 lines
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 40 "$3" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
	return 0
}

is() {		# is GOT WANT DESCRIPTION
	[ "$1" = "$2" ]; local rc=$?
	ok $rc "$3"
	[ $rc = 0 ] || echo "#   got '$1', want '$2'"
}

skip() {	# skip REASON: a check that does not apply here (not a failure)
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

tap_done() {	# the plan and the count; fails when anything failed
	echo "1..$n"
	echo "$((n - failed)) passed, $failed failed"
	[ "$failed" = 0 ]
}
