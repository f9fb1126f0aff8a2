# Sourced by the test scripts: `browser_tally LOG [LABEL]` sets tally_passed and
# tally_failed from the last "LABEL: N passed, N failed" line of LOG (LABEL is "browser"
# unless given, e.g. "schemathesis"); no such line counts as a failure (a runner that
# crashed before its summary).
browser_tally() {
  local line label=${2:-browser}
  line=$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed\$" "$1" | tail -1)
  if [ -n "$line" ]; then
    tally_passed=$(echo "$line" | awk '{print $2}')
    tally_failed=$(echo "$line" | awk '{print $4}')
  else
    tally_passed=0 tally_failed=1
  fi
}
