# e2e-summary: from a `go test -v ./e2e` log, one line per script skipped
# (with the skip line that gave its reason) and per script failed (with the
# failing line). Used by make test-podman.
/^=== (NAME|CONT|RUN|PAUSE) / { name = $3; next }
/^ *--- (PASS|FAIL|SKIP): / { name = $3; sub(/:$/, "", name); verdict[name] = $2; next }
/^ +> \[!?[a-z]+\] skip / { line = $0; sub(/^ +> /, "", line); why[name] = line }
/^ +FAIL: testdata/ { failed[name] = $2 }
END {
	for (n in verdict) {
		if (verdict[n] == "SKIP:") print n " skipped: " why[n]
		if (verdict[n] == "FAIL:" && n in failed) print n " FAILED: " failed[n]
	}
}
