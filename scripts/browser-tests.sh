#!/usr/bin/env bash
# Browser tests: a real `haat serve` on a temporary SQLite file with the sample content,
# driven through headless chromium by chromedriver. Ends with "browser: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="${HAAT:-.build/debug/haat}"
work=$(mktemp -d)
site_port=$((20000 + RANDOM % 20000)) driver_port=$((40000 + RANDOM % 20000))
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  [ -n "${driver:-}" ] && kill "$driver" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A copy of the sample content: the admin flow edits one profile after it went live.
cp -r content "$work/content"
"$HAAT" approve --all --content "$work/content" --db "$work/haat.sqlite" > /dev/null
"$HAAT" build --content "$work/content" --db "$work/haat.sqlite" --out "$work/site" > /dev/null
admin_email=admin@example.com admin_password="an admin password"
"$HAAT" admin create-user --db "$work/haat.sqlite" --email "$admin_email" --password "$admin_password" --name "Browser Admin" --role admin > /dev/null
admin_slug=$(ls content/creators | sed -n 5p)
admin_sentence="Now taking orders for Diwali hampers."
printf '\n%s\n' "$admin_sentence" >> "$work/content/creators/$admin_slug/index.md"
HAAT_FREE_CONTACTS=2 "$HAAT" serve --demo --content "$work/content" --db "$work/haat.sqlite" --site "$work/site" --port "$site_port" > "$work/serve.log" 2>&1 &
server=$!
chromedriver --port="$driver_port" > "$work/driver.log" 2>&1 &
driver=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$site_port/api/v1/health" > /dev/null && curl -sf "http://127.0.0.1:$driver_port/status" > /dev/null && break
  sleep 0.2
done
site="http://127.0.0.1:$site_port" driver_url="http://127.0.0.1:$driver_port"
slugs=($(ls content/creators | head -3))
# The dashboard's creator signs up with the account that owns the fourth profile.
dashboard_slug=$(ls content/creators | sed -n 4p)
dashboard_account=$(sed -n 's/^account: *//p' "content/creators/$dashboard_slug/index.md" | head -1)
. scripts/browser-tally.sh
total_passed=0 total_failed=0
run_flow() {
  local script=$1; shift
  python3 "Tests/Browser/$script" "$site" "$driver_url" "$@" | tee "$work/flow.log" || true
  browser_tally "$work/flow.log"
  total_passed=$((total_passed + tally_passed)) total_failed=$((total_failed + tally_failed))
}
run_flow contact_flow.py "${slugs[@]}"
run_flow dashboard_flow.py "$dashboard_slug" "$dashboard_account"
run_flow admin_flow.py "$admin_slug" "$admin_email" "$admin_password" "$admin_sentence"
pictures=("$PWD"/content/creators/*/*.jpg)
run_flow profile_flow.py "$admin_email" "$admin_password" "${pictures[0]}" "${pictures[1]}"
echo "browser: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
