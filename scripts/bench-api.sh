#!/usr/bin/env bash
# make bench (api part): load a running `haat serve` (release build, SQLite) on loopback
# with wrk at 32 connections for 20 s after a 5 s warm-up:
#   - GET /api/v1/health;
#   - POST /creators/{slug}/contact over 200 customers and the creators they already
#     contacted (repeat reveals, the steady state), 5% new creators;
#   - the same while bcrypt logins run beside it (they must not hold up the reveals).
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
printf '  %-52s %s\n' "POST /creators/{slug}/contact (95% repeat, 5% new)" "$(reveal_figures "$WORK/seed.tsv" "http://127.0.0.1:$port")"
# Logins at bcrypt cost 12 beside the reveals: the event loop must keep serving.
( end=$((SECONDS + 5 + BENCH_SECONDS)); while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d '{"email":"login@example.com","password":"a bench password"}' "$base/auth/login"
  done ) &
logins=$!
printf '  %-52s %s\n' "  the same while bcrypt logins run" "$(reveal_figures "$WORK/seed.tsv" "http://127.0.0.1:$port")"
kill "$logins" 2>/dev/null || true
echo "  (targets: contact reveal ≥ 10,000 req/s with p99 < 10 ms; logins must not raise the reveals' p99)"
