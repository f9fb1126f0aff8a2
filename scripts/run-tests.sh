#!/usr/bin/env bash
# make test: every Swift test, then the browser tests, then schemathesis against the
# API's OpenAPI document; ends with one line "N passed, N failed" over all of them, and
# fails if any failed or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
swift_log=$(mktemp) browser_log=$(mktemp) schemathesis_log=$(mktemp)
trap 'rm -f "$swift_log" "$browser_log" "$schemathesis_log"' EXIT

# Beside a throwaway PostgreSQL cluster, which the PostgreSQL store's tests use. The tests
# that time a server's answers on raw sockets (slow clients, cut bodies, two processes'
# delivery within a second) or compare timings (codes for known and unknown numbers)
# run in a second pass, once the parallel suite no longer
# loads both cores: under it a correct server can miss their deadlines.
timed='SlowClientTests|TruncatedBodyTests|MalformedRequestTests|TwoServeProcessesTests|CodeTimingTests'
scripts/with-postgres.sh bash -c 'swift test --skip-build --skip "$1"; swift test --skip-build --filter "$1"' run-tests "$timed" 2>&1 \
  | tee "$swift_log"
swift_passed=$(grep -E '^[^ ]+ Test .* passed after' "$swift_log" | grep -cv ' Test run with ' || true)
swift_failed=$(grep -E '^[^ ]+ Test .* failed after' "$swift_log" | grep -cv ' Test run with ' || true)
# A crash before either pass's result line still counts as a failure.
[ "$(grep -cE 'Test run with .* (passed|failed)' "$swift_log")" -eq 2 ] || swift_failed=$((swift_failed + 1))

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

scripts/schemathesis.sh 2>&1 | tee "$schemathesis_log"
schemathesis_status=${PIPESTATUS[0]}
browser_tally "$schemathesis_log" schemathesis
schemathesis_passed=$tally_passed schemathesis_failed=$tally_failed
if [ "$schemathesis_status" -ne 0 ] && [ "$schemathesis_failed" -eq 0 ]; then
  echo "✘ schemathesis: the run stopped early (exit $schemathesis_status)"
  schemathesis_failed=1
fi

passed=$((swift_passed + browser_passed + schemathesis_passed)) failed=$((swift_failed + browser_failed + schemathesis_failed))
echo
echo "swift: $swift_passed passed, $swift_failed failed · browser: $browser_passed passed, $browser_failed failed" \
  "· schemathesis: $schemathesis_passed passed, $schemathesis_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
