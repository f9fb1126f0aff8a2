#!/usr/bin/env bash
# make test: every Swift test, then the browser tests; ends with one line
# "N passed, N failed" over all of them, and fails if any failed or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
swift_log=$(mktemp) browser_log=$(mktemp)
trap 'rm -f "$swift_log" "$browser_log"' EXIT

swift test --skip-build 2>&1 | tee "$swift_log"
swift_passed=$(grep -E '^[^ ]+ Test .* passed after' "$swift_log" | grep -cv ' Test run with ' || true)
swift_failed=$(grep -E '^[^ ]+ Test .* failed after' "$swift_log" | grep -cv ' Test run with ' || true)
# A crash before any result line still counts as a failure.
grep -qE 'Test run with .* (passed|failed)' "$swift_log" || swift_failed=$((swift_failed + 1))

scripts/browser-tests.sh 2>&1 | tee "$browser_log"
browser_passed=$(sed -n 's/^browser: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$browser_log" | tail -1)
browser_failed=$(sed -n 's/^browser: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$browser_log" | tail -1)
[ -n "$browser_passed" ] || { browser_passed=0; browser_failed=1; }

passed=$((swift_passed + browser_passed)) failed=$((swift_failed + browser_failed))
echo
echo "swift: $swift_passed passed, $swift_failed failed · browser: $browser_passed passed, $browser_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
