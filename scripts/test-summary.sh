#!/usr/bin/env bash
# Reads `swift test` output on stdin (echoing it) and ends with one summary line,
# "N passed, N failed", counted from Swift Testing's per-test result lines.
# Exits non-zero when any test failed or none ran.
set -uo pipefail
log=$(mktemp)
tee "$log"
passed=$(grep -E '^[^ ]+ Test .* passed after' "$log" | grep -cv ' Test run with ' || true)
failed=$(grep -E '^[^ ]+ Test .* failed after' "$log" | grep -cv ' Test run with ' || true)
echo
echo "tests: ${passed} passed, ${failed} failed"
rm -f "$log"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
