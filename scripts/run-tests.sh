#!/usr/bin/env bash
# make test: every Swift test, then the browser tests, then Web Push checked by other
# implementations, then schemathesis against the API's OpenAPI document; ends with one line "N passed, N failed" over all of them, and
# fails if any failed or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
swift_log=$(mktemp) browser_log=$(mktemp) push_log=$(mktemp) schemathesis_log=$(mktemp)
trap 'rm -f "$swift_log" "$browser_log" "$push_log" "$schemathesis_log"' EXIT

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

. scripts/browser-tally.sh
# run_suite LABEL SCRIPT LOG: runs SCRIPT into LOG and sets LABEL_passed and LABEL_failed
# from its last "LABEL: N passed, N failed" line. A runner that stopped before its own
# total (a setup step failed) counts as one failure.
run_suite() {
  local label=$1 script=$2 log=$3 status
  "$script" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  browser_tally "$log" "$label"
  if [ "$status" -ne 0 ] && [ "$tally_failed" -eq 0 ]; then
    echo "✘ $label: $script stopped early (exit $status)"
    tally_failed=1
  fi
  printf -v "${label}_passed" '%s' "$tally_passed"
  printf -v "${label}_failed" '%s' "$tally_failed"
}
run_suite browser scripts/browser-tests.sh "$browser_log"
run_suite push scripts/push-tests.sh "$push_log"
run_suite schemathesis scripts/schemathesis.sh "$schemathesis_log"

passed=$((swift_passed + browser_passed + push_passed + schemathesis_passed))
failed=$((swift_failed + browser_failed + push_failed + schemathesis_failed))
echo
echo "swift: $swift_passed passed, $swift_failed failed · browser: $browser_passed passed, $browser_failed failed" \
  "· push: $push_passed passed, $push_failed failed · schemathesis: $schemathesis_passed passed, $schemathesis_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
