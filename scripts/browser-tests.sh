#!/usr/bin/env bash
# Browser tests: a real `haat serve` on a temporary SQLite file with the sample content,
# driven through headless chromium by chromedriver. Ends with "browser: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="${HAAT:-.build/debug/haat}"
# axe-core, for the accessibility flow: the copy packaged in axe-playwright-python (from
# PyPI, pinned; installed without its dependencies, as only its axe.min.js is used) in a
# venv of its own, outside the work tree, kept between runs; a venv of another version is
# replaced. Its axe-core is 4.12.1.
AXE_PACKAGE_VERSION=0.1.8
axe_venv="${HAAT_AXE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/haat/axe-playwright-python-$AXE_PACKAGE_VERSION}"
axe_js() {
  "$axe_venv/bin/python" -c 'import importlib.util, os
spec = importlib.util.find_spec("axe_playwright_python")  # finds it without importing playwright
print(os.path.join(os.path.dirname(spec.origin), "axe.min.js"))' 2> /dev/null
}
if ! [ -s "$(axe_js)" ]; then
  echo "browser: installing axe-playwright-python $AXE_PACKAGE_VERSION (for its axe-core) into $axe_venv"
  # A failed install fails the accessibility flow only (it cannot read axe.min.js), not the others.
  { python3 -m venv --clear "$axe_venv" &&
    "$axe_venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "axe-playwright-python==$AXE_PACKAGE_VERSION"; } ||
    echo "✘ browser: could not install axe-playwright-python $AXE_PACKAGE_VERSION into $axe_venv"
fi
axe_js=$(axe_js || true)
# Screenshots of every page the accessibility flow checks, at both sizes: kept after the
# run (the cleanup below leaves them) for a reviewer to look at.
screenshots="${HAAT_SCREENSHOTS:-$(mktemp -d /tmp/haat-screenshots.XXXXXX)}"
mkdir -p "$screenshots"
work=$(mktemp -d)
# chromedriver's port (haat serve takes its own with --port 0).
. scripts/free-port.sh
driver_port=$(free_port)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  [ -n "${phone_server:-}" ] && kill "$phone_server" 2>/dev/null || true
  [ -n "${driver:-}" ] && kill "$driver" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

. scripts/sample-site.sh
# The admin flow edits one profile of this copy after it went live.
sample_site "$work"
admin_email=admin@example.com admin_password="an admin password"
"$HAAT" admin create-user --db "$work/haat.sqlite" --email "$admin_email" --password "$admin_password" --name "Browser Admin" --role admin > /dev/null
admin_slug=$(ls content/creators | sed -n 5p)
admin_sentence="Now taking orders for Diwali hampers."
printf '\n%s\n' "$admin_sentence" >> "$work/content/creators/$admin_slug/index.md"
# Phone verification off on this server, so each flow's customers reveal without a
# number; the phone flow runs against a second one, with it required (the default).
HAAT_FREE_CONTACTS=2 HAAT_PHONE_VERIFICATION=off "$HAAT" serve --demo --content "$work/content" --db "$work/haat.sqlite" --site "$work/site" \
  --port 0 > "$work/serve.log" 2>&1 &
server=$!
mkdir "$work/phone"
sample_site "$work/phone"
HAAT_FREE_CONTACTS=3 "$HAAT" serve --demo --content "$work/phone/content" --db "$work/phone/haat.sqlite" --site "$work/phone/site" \
  --port 0 > "$work/phone/serve.log" 2>&1 &
phone_server=$!
chromedriver --port="$driver_port" > "$work/driver.log" 2>&1 &
driver=$!
# Both ready (the server says its port), or the run stops here saying why.
site_port=
for _ in $(seq 300); do
  site_port=$(serving_port "$work/serve.log") phone_port=$(serving_port "$work/phone/serve.log")
  [ -n "$site_port" ] && [ -n "$phone_port" ] && curl -sf "http://127.0.0.1:$driver_port/status" > /dev/null && break
  site_port=
  kill -0 "$server" 2> /dev/null && kill -0 "$phone_server" 2> /dev/null && kill -0 "$driver" 2> /dev/null || break
  sleep 0.2
done
if [ -z "$site_port" ]; then
  echo "✘ browser: haat serve or chromedriver did not start (or not within 60 s); their output:"
  tail -n 20 "$work/serve.log" "$work/phone/serve.log" "$work/driver.log"
  exit 1
fi
site="http://127.0.0.1:$site_port" driver_url="http://127.0.0.1:$driver_port"
slugs=($(ls content/creators | head -3))
# The dashboard's creator signs up with the account that owns the fourth profile.
dashboard_slug=$(ls content/creators | sed -n 4p)
dashboard_account=$(sed -n 's/^account: *//p' "content/creators/$dashboard_slug/index.md" | head -1)
# The accessibility flow's creator signs up with the account that owns the sixth.
axe_slug=$(ls content/creators | sed -n 6p)
axe_account=$(sed -n 's/^account: *//p' "content/creators/$axe_slug/index.md" | head -1)
. scripts/browser-tally.sh
total_passed=0 total_failed=0
run_flow() {
  local script=$1; shift
  python3 "Tests/Browser/$script" "$site" "$driver_url" "$@" | tee "$work/flow.log" || true
  browser_tally "$work/flow.log"
  total_passed=$((total_passed + tally_passed)) total_failed=$((total_failed + tally_failed))
}
run_flow contact_flow.py "${slugs[@]}"
# Search reads the creators' front matter from this copy, before any flow edits it.
run_flow search_flow.py "$work/content" "$screenshots"
run_flow listing_flow.py "$work/content" "$screenshots"
run_flow session_flow.py "${slugs[0]}"
run_flow dashboard_flow.py "$dashboard_slug" "$dashboard_account" "$admin_email" "$admin_password"
# The alerts flow's second creator owns the tenth profile.
alerts_slug=$(ls content/creators | sed -n 10p)
alerts_account=$(sed -n 's/^account: *//p' "content/creators/$alerts_slug/index.md" | head -1)
run_flow alerts_flow.py "$screenshots" "$alerts_slug" "$alerts_account" "$admin_email" "$admin_password"
run_flow admin_flow.py "$admin_slug" "$admin_email" "$admin_password" "$admin_sentence"
# The account flow's customer contacts the seventh and eighth creators; it edits the ninth's
# price in this copy and rejects the edit.
account_slugs=($(ls content/creators | sed -n '7,9p'))
run_flow account_flow.py "${account_slugs[0]}" "${account_slugs[1]}" "$admin_email" "$admin_password" "$work/content" "${account_slugs[2]}"
pictures=("$PWD"/content/creators/*/*.jpg)
run_flow profile_flow.py "$admin_email" "$admin_password" "${pictures[0]}" "${pictures[1]}"
# The phone flow reads each test text's code where --demo writes it: the server's output.
run_flow phone_flow.py "http://127.0.0.1:$phone_port" "$work/phone/serve.log" "${slugs[@]}"
run_flow axe_flow.py "$axe_js" "$screenshots" "${slugs[0]}" "$axe_slug" "$axe_account" "$admin_email" "$admin_password"

# The labelled queries over haat-bench's synthetic 10,000 creators
# (Tests/Search/synthetic-queries.json), through the same search.js, on a site built here
# by the binaries under test (about three minutes in a debug build) and served as a CDN
# would: static files only. The demo servers are done with.
kill "$server" "$phone_server" 2> /dev/null || true
synthetic="$work/synthetic"
echo "browser: building the synthetic 10,000-creator site for its labelled queries …"
mkdir -p "$synthetic"
if HAAT_BENCH="$(dirname "$HAAT")/haat-bench" synthetic_site "$synthetic" 10000; then
  synthetic_port=$(free_port)
  python3 bench/search/serve.py "$synthetic_port" "$synthetic/site" > "$synthetic/http.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$synthetic_port/search/" > /dev/null && break; sleep 0.1; done
  site="http://127.0.0.1:$synthetic_port" run_flow search_flow.py "$synthetic/content" "$screenshots" Tests/Search/synthetic-queries.json
else
  echo "✘ browser: the synthetic site did not build:"; tail -n 5 "$synthetic/build.log" 2> /dev/null || true
  total_failed=$((total_failed + 1))
fi
echo "screenshots: $screenshots"
echo "browser: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
