#!/usr/bin/env bash
# make bench-push: Web Push delivery under load. 5,000 creators on a running `haat serve`
# (release, SQLite, --demo's generated VAPID key, HAAT_PUSH_ALLOW_PRIVATE=1 so that it may
# push to loopback), leads for random creators at 100 a second for 20 s, without push
# subscriptions and then with one per creator on a push service faked inside haat-bench,
# in 3 rounds that alternate the two. Prints the reveal's latency in each phase, reveal →
# push received, the pushes a second delivered, and the median of the rounds' p99 ratios.
# Figures only; nothing passes or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="$PWD/.build/release/haat"
HAAT_BENCH="$PWD/.build/release/haat-bench"
creators="${BENCH_PUSH_CREATORS:-5000}" rate="${BENCH_PUSH_RATE:-100}" duration="${BENCH_PUSH_SECONDS:-20}" rounds="${BENCH_PUSH_ROUNDS:-3}"
work=$(mktemp -d)
. scripts/free-port.sh
port=$(free_port)
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$HAAT_BENCH" generate --creators "$creators" --content "$work/content" > /dev/null
"$HAAT" approve --all --content "$work/content" --db "$work/haat.sqlite" > /dev/null
"$HAAT" admin create-user --db "$work/haat.sqlite" --email bench-admin@example.com --password "a bench admin password" --name Bench --role admin > /dev/null
HAAT_BCRYPT_COST=4 HAAT_RATE_LIMIT_SCALE=1000000 HAAT_FREE_CONTACTS=1000000 HAAT_PHONE_VERIFICATION=off HAAT_PUSH_ALLOW_PRIVATE=1 \
  "$HAAT" serve --demo --content "$work/content" --db "$work/haat.sqlite" --site "$work/site" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break; sleep 0.1; done

echo
echo "== Web Push: $creators creators with a subscription each, $rate leads/s for $duration s a phase, $rounds rounds, $(nproc) cores shared with the server =="
"$HAAT_BENCH" push --url "http://127.0.0.1:$port" --creators "$creators" --rate "$rate" --seconds "$duration" --rounds "$rounds" \
  --admin-email bench-admin@example.com --admin-password "a bench admin password" \
  | sed -n 's/^BENCH /  /p'
echo "  (target: the reveal's p99 with push within 10% of without)"
