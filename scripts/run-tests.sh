#!/usr/bin/env bash
# make test: every Swift test, then the browser tests; ends with one line
# "N passed, N failed" over all of them, and fails if any failed or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
swift_log=$(mktemp) browser_log=$(mktemp)
trap 'rm -f "$swift_log" "$browser_log"' EXIT

# Beside a throwaway PostgreSQL cluster, which the PostgreSQL store's tests use.
scripts/with-postgres.sh swift test --skip-build 2>&1 | tee "$swift_log"
swift_passed=$(grep -E '^[^ ]+ Test .* passed after' "$swift_log" | grep -cv ' Test run with ' || true)
swift_failed=$(grep -E '^[^ ]+ Test .* failed after' "$swift_log" | grep -cv ' Test run with ' || true)
# A crash before any result line still counts as a failure.
grep -qE 'Test run with .* (passed|failed)' "$swift_log" || swift_failed=$((swift_failed + 1))

scripts/browser-tests.sh 2>&1 | tee "$browser_log"
browser_status=${PIPESTATUS[0]}
. scripts/browser-tally.sh
browser_tally "$browser_log"
browser_passed=$tally_passed browser_failed=$tally_failed
# The runner stopped before its own total (a setup step failed): that is a failure too.
if [ "$browser_status" -ne 0 ] && [ "$browser_failed" -eq 0 ]; then
  echo "✘ browser: the browser tests stopped early (exit $browser_status)"
  browser_failed=1
fi

passed=$((swift_passed + browser_passed)) failed=$((swift_failed + browser_failed))
echo
echo "swift: $swift_passed passed, $swift_failed failed · browser: $browser_passed passed, $browser_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
