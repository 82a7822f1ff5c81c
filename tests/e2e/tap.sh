# tap.sh - TAP for the end-to-end scripts (sourced): ok, is, and the
# closing "1..N" and "N passed, N failed" lines with the exit status.
n=0 failed=0

ok() {		# ok CONDITION-EXIT-CODE DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

is() {		# is GOT WANT DESCRIPTION
	[ "$1" = "$2" ]; local rc=$?
	ok $rc "$3"
	[ $rc = 0 ] || echo "#   got '$1', want '$2'"
}

tap_done() {	# the plan and the count; fails when anything failed
	echo "1..$n"
	echo "$((n - failed)) passed, $failed failed"
	[ "$failed" = 0 ]
}
