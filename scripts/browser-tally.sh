# Sourced by the test scripts: `browser_tally LOG` sets tally_passed and tally_failed
# from the last "browser: N passed, N failed" line of LOG; no such line counts as a
# failure (a flow that crashed before its summary).
browser_tally() {
  local line
  line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)
  if [ -n "$line" ]; then
    tally_passed=$(echo "$line" | awk '{print $2}')
    tally_failed=$(echo "$line" | awk '{print $4}')
  else
    tally_passed=0 tally_failed=1
  fi
}
