#!/usr/bin/env bash
# make bench (notify part): 5,000 creator WebSockets open on a running `haat serve`
# (release, SQLite), leads made for random creators at 100 per second for 20 s; prints
# delivery latency p50/p99 (reveal response → socket receipt) and the server's memory
# per open socket. Figures only; nothing passes or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="$PWD/.build/release/haat"
HAAT_BENCH="$PWD/.build/release/haat-bench"
sockets="${BENCH_NOTIFY_SOCKETS:-5000}" rate="${BENCH_NOTIFY_RATE:-100}" duration="${BENCH_NOTIFY_SECONDS:-20}"
# Each socket is a file descriptor on both sides.
ulimit -n "$(( sockets * 2 + 1024 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$HAAT_BENCH" generate --creators "$sockets" --content "$work/content" > /dev/null
"$HAAT" approve --all --content "$work/content" --db "$work/haat.sqlite" > /dev/null
"$HAAT" admin create-user --db "$work/haat.sqlite" --email bench-admin@example.com --password "a bench admin password" --name Bench --role admin > /dev/null
HAAT_BCRYPT_COST=4 HAAT_RATE_LIMIT_SCALE=1000000 HAAT_FREE_CONTACTS=1000000 HAAT_PHONE_VERIFICATION=off \
  "$HAAT" serve --demo --content "$work/content" --db "$work/haat.sqlite" --site "$work/site" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break; sleep 0.1; done

echo
echo "== lead notifications: $sockets sockets, $rate leads/s for $duration s, $(nproc) cores shared with the server =="
"$HAAT_BENCH" notify --url "http://127.0.0.1:$port" --sockets "$sockets" --rate "$rate" --seconds "$duration" --server-pid "$server" \
  --admin-email bench-admin@example.com --admin-password "a bench admin password" \
  | sed -n 's/^BENCH /  /p'
echo "  (targets: delivery p99 < 50 ms at 100 leads/s with 5,000 sockets; < 20 KB of server memory per idle socket)"
