#!/usr/bin/env bash
# make bench (scale part): the lead API's contact reveals (the `api` workload: 200
# customers, 95% repeats, 32 connections in all) on SQLite, then on PostgreSQL with one
# and with two `haat serve` instances sharing the database, the JWT secret and the media
# folder; then leads revealed on instance A to creator sockets held by instance B.
# PostgreSQL is a throwaway cluster (scripts/with-postgres.sh). Figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${HAAT_TEST_POSTGRES:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
HAAT="$PWD/.build/release/haat"
HAAT_BENCH="$PWD/.build/release/haat-bench"
WORK=$(mktemp -d)
. scripts/bench-load.sh
trap 'stop_servers; rm -rf "$WORK"' EXIT
sockets="${BENCH_SCALE_SOCKETS:-1000}" rate="${BENCH_SCALE_RATE:-100}" lead_seconds="${BENCH_SCALE_LEAD_SECONDS:-10}"
ulimit -n "$(( sockets * 2 + 1024 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

make_content
echo
echo "== scale-out: contact reveals (95% repeat, 5% new), wrk, 32 connections in all, ${BENCH_SECONDS} s each, $(nproc) cores shared by everything =="

# SQLite, the single-machine figure the PostgreSQL ones are held against.
"$HAAT" approve --all --content "$WORK/content" --db "$WORK/haat.sqlite" > /dev/null
port=$(free_port)
start_serve sqlite "$port" --db "$WORK/haat.sqlite"
seed_customers "http://127.0.0.1:$port/api/v1" "$WORK/seed-sqlite.tsv"
sqlite=$(reveal_figures "$WORK/seed-sqlite.tsv" "http://127.0.0.1:$port")
printf '  %-34s %s\n' "SQLite, one instance" "$sqlite"
stop_servers

# PostgreSQL: a database of its own on the throwaway cluster.
database="${HAAT_TEST_POSTGRES%%/postgres\?*}/haat_bench?${HAAT_TEST_POSTGRES#*\?}"
psql -q "$HAAT_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS haat_bench" -c "CREATE DATABASE haat_bench"
export HAAT_MEDIA="$WORK/media" HAAT_JWT_SECRET="$(openssl rand -hex 32)"
"$HAAT" approve --all --content "$WORK/content" --db "$database" > /dev/null
"$HAAT" admin create-user --db "$database" --email bench-admin@example.com --password "a bench admin password" --name Bench --role admin > /dev/null
port_a=$(free_port)
start_serve postgres-a "$port_a" --db "$database"
seed_customers "http://127.0.0.1:$port_a/api/v1" "$WORK/seed-postgres.tsv"
one=$(reveal_figures "$WORK/seed-postgres.tsv" "http://127.0.0.1:$port_a")
printf '  %-34s %s\n' "PostgreSQL, one instance" "$one"
port_b=$(free_port)
start_serve postgres-b "$port_b" --db "$database"
two=$(reveal_figures "$WORK/seed-postgres.tsv" "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b")
printf '  %-34s %s\n' "PostgreSQL, two instances" "$two"
rate_of() { sed -E 's/.* ([0-9]+) req\/s.*/\1/' <<< "$1"; }
awk -v sqlite="$(rate_of "$sqlite")" -v one="$(rate_of "$one")" \
  'BEGIN { printf "  PostgreSQL with one instance does %.2fx the reveals of SQLite\n", one / sqlite }'

echo
echo "== scale-out: leads revealed on instance A to $sockets creator sockets open on instance B, $rate leads/s for $lead_seconds s =="
"$HAAT_BENCH" notify --url "http://127.0.0.1:$port_b" --reveal-url "http://127.0.0.1:$port_a" \
  --sockets "$sockets" --rate "$rate" --seconds "$lead_seconds" \
  --admin-email bench-admin@example.com --admin-password "a bench admin password" | sed -n 's/^BENCH /  /p'
echo "  (targets: PostgreSQL with one instance within 2x of SQLite's req/s; cross-instance delivery p99 < 100 ms)"
