#!/usr/bin/env bash
# Reads `swift test` output on stdin (echoing it) and ends with one summary line,
# "N passed, N failed", counted from Swift Testing's per-test result lines.
# Exits non-zero when any test failed or none ran.
set -uo pipefail
log=$(mktemp)
tee "$log"
passed=$(grep -cE '^[^ ]+ Test .* passed after' "$log" || true)
failed=$(grep -cE '^[^ ]+ Test .* failed after' "$log" || true)
echo
echo "tests: ${passed} passed, ${failed} failed"
rm -f "$log"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
