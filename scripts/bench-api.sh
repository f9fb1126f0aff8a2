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
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port/api/v1"
creators=1000 customers=200 duration="${BENCH_API_SECONDS:-20}"
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$HAAT" bench generate --creators "$creators" --content "$work/content" > /dev/null
"$HAAT" approve --all --content "$work/content" --db "$work/haat.sqlite" > /dev/null
"$HAAT" admin create-user --db "$work/haat.sqlite" --email login@example.com --password "a bench password" --name Login --role customer > /dev/null
HAAT_BCRYPT_COST=4 HAAT_RATE_LIMIT_SCALE=1000000 HAAT_FREE_CONTACTS=1000000 \
  "$HAAT" serve --demo --content "$work/content" --db "$work/haat.sqlite" --site "$work/site" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "$base/health" > /dev/null && break; sleep 0.1; done

# 200 customers, each having revealed 5 creators: the steady state to load.
python3 - "$base" "$creators" "$customers" > "$work/seed.tsv" <<'PY'
import json, random, sys, urllib.request
base, creators, customers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
def post(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token: headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())
for n in range(customers):
    token = post("/auth/register", {"email": f"load{n}@example.com", "password": "a load test password", "name": f"Load {n}"})["access_token"]
    slugs = random.sample(range(creators), 5)
    for slug in slugs:
        post(f"/creators/creator-{slug}/contact", {}, token)
    print(token + "\t" + ",".join(f"creator-{s}" for s in slugs))
PY

run() {  # name, wrk arguments…
  local name=$1; shift
  wrk -t2 -c32 -d5s "$@" > /dev/null  # warm-up
  printf '  %-52s %s\n' "$name" "$(wrk -t2 -c32 -d"${duration}s" "$@" | sed -n 's/^BENCH //p')"
}
echo
echo "== lead API on SQLite: wrk, 32 connections, ${duration} s each, $(nproc) cores shared with the server =="
run "GET /health" -s bench/api/health.lua "$base/health"
export BENCH_SEED="$work/seed.tsv" BENCH_CREATORS="$creators"
run "POST /creators/{slug}/contact (95% repeat, 5% new)" -s bench/api/contact.lua "http://127.0.0.1:$port"
# Logins at bcrypt cost 12 beside the reveals: the event loop must keep serving.
( end=$((SECONDS + 5 + duration)); while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d '{"email":"login@example.com","password":"a bench password"}' "$base/auth/login"
  done ) &
logins=$!
run "  the same while bcrypt logins run" -s bench/api/contact.lua "http://127.0.0.1:$port"
kill "$logins" 2>/dev/null || true
echo "  (targets: contact reveal ≥ 10,000 req/s with p99 < 10 ms; logins must not raise the reveals' p99)"
