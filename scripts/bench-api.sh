#!/usr/bin/env bash
# make bench (api part): load a running `haat serve` (release build, SQLite) on loopback
# with wrk at 32 connections for 20 s after a 5 s warm-up:
#   - GET /api/v1/health;
#   - POST /creators/{slug}/contact over 200 customers and the creators they already
#     contacted (repeat reveals, the steady state), 5% new creators;
#   - the same while bcrypt logins run beside it (they must not hold up the reveals);
#   - with phone verification required, on a server of its own: 1,000 new customers
#     signing in by one-time code (texts through the MSG91 stand-in), then the reveals
#     again by 200 customers who signed in so (their free contacts are the number's).
# Figures only; nothing passes or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="$PWD/.build/release/haat"
HAAT_BENCH="$PWD/.build/release/haat-bench"
WORK=$(mktemp -d)
. scripts/bench-load.sh
trap 'stop_servers; rm -rf "$WORK"' EXIT

make_content
"$HAAT" approve --all --content "$WORK/content" --db "$WORK/haat.sqlite" > /dev/null
"$HAAT" admin create-user --db "$WORK/haat.sqlite" --email login@example.com --password "a bench password" --name Login --role customer > /dev/null
port=$(free_port)
base="http://127.0.0.1:$port/api/v1"
start_serve sqlite "$port" --db "$WORK/haat.sqlite"
seed_customers "$base" "$WORK/seed.tsv"

echo
echo "== lead API on SQLite: wrk, 32 connections, ${BENCH_SECONDS} s each, $(nproc) cores shared with the server =="
printf '  %-52s %s\n' "GET /health" "$(wrk_figures 32 bench/api/health.lua "$base/health")"
by_account=$(reveal_figures "$WORK/seed.tsv" "http://127.0.0.1:$port")
printf '  %-52s %s\n' "POST /creators/{slug}/contact (95% repeat, 5% new)" "$by_account"
# Logins at bcrypt cost 12 beside the reveals: the event loop must keep serving.
( end=$((SECONDS + 5 + BENCH_SECONDS)); while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d '{"email":"login@example.com","password":"a bench password"}' "$base/auth/login"
  done ) &
logins=$!
printf '  %-52s %s\n' "  the same while bcrypt logins run" "$(reveal_figures "$WORK/seed.tsv" "http://127.0.0.1:$port")"
kill "$logins" 2>/dev/null || true
echo "  (targets: contact reveal ≥ 10,000 req/s with p99 < 10 ms; logins must not raise the reveals' p99)"

# Phone verification required, alone on the cores: a fresh store, codes texted through
# the MSG91 stand-in that `haat-bench codes` runs.
stop_servers
"$HAAT" approve --all --content "$WORK/content" --db "$WORK/verified.sqlite" > /dev/null
provider_port=$(free_port) port=$(free_port)
BENCH_PROVIDER_PORT=$provider_port start_serve verified "$port" --db "$WORK/verified.sqlite"
codes() { "$HAAT_BENCH" codes --url "http://127.0.0.1:$port" --provider-port "$provider_port" "$@"; }
echo
echo "== phone verification required (SMS through the MSG91 stand-in on loopback), $(nproc) cores shared with the server =="
printf '  %-52s %s\n' "1,000 new numbers: POST /auth/otp, /auth/otp/verify" "$(codes --numbers 1000 | sed -n 's/^BENCH //p')"
codes --numbers "$BENCH_CUSTOMERS" --first 1000 --tokens "$WORK/tokens" > /dev/null
seed_customers "http://127.0.0.1:$port/api/v1" "$WORK/verified-seed.tsv" "$WORK/tokens"
by_number=$(reveal_figures "$WORK/verified-seed.tsv" "http://127.0.0.1:$port")
printf '  %-52s %s\n' "POST /creators/{slug}/contact, customers by code" "$by_number"
rate() { sed -n 's/^[0-9]* requests, \([0-9]*\) req\/s.*/\1/p' <<< "$1"; }
echo "  reveals with verification required: $(awk -v a="$(rate "$by_number")" -v b="$(rate "$by_account")" 'BEGIN { printf "%.0f%%", 100 * a / b }') of those without"
echo "  (target: within 10% of the reveals without verification)"
