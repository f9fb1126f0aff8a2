# Sourced by the benchmark scripts.
seconds() { awk "BEGIN { printf \"%.2f\", $1 }"; }
# Runs a command under GNU time; sets WALL (s) and PEAK (MiB).
measure() {
  local report
  report=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$report" "$@" > /dev/null
  read -r WALL PEAK_KB < "$report"
  PEAK=$(( PEAK_KB / 1024 ))
  rm -f "$report"
}
