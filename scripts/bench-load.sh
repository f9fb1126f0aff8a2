# Sourced by bench-api.sh and bench-scale.sh: the lead API's workload, the same whatever
# the store and however many instances. Needs HAAT and HAAT_BENCH (the release binaries)
# and WORK (a temporary folder) set by the caller.
BENCH_CREATORS=1000 BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-200}"
BENCH_SECONDS="${BENCH_API_SECONDS:-20}"
SERVERS=()

# Every server started here stops with the script.
stop_servers() { for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done; SERVERS=(); }

# A free TCP port on loopback.
. scripts/free-port.sh

# make_content: the synthetic creators every run loads, in $WORK/content.
make_content() { "$HAAT_BENCH" generate --creators "$BENCH_CREATORS" --content "$WORK/content" > /dev/null; }

# start_serve NAME PORT STORE-ARGS…: a release `haat serve` in the background with fast
# bcrypt and the limits and free quota out of the way (the load is the point, not the
# limits); returns once it answers. Its output goes to $WORK/NAME.log.
# Phone verification is off (customers registered by email, quota per account) unless
# BENCH_PROVIDER_PORT is set: then it is required, codes go by SMS through the MSG91
# stand-in `haat-bench codes` runs there, and loopback is the trusted proxy (each number
# signs in from an address of its own).
start_serve() {
  local name=$1 port=$2; shift 2
  local phone=(HAAT_PHONE_VERIFICATION=off)
  if [ -n "${BENCH_PROVIDER_PORT:-}" ]; then
    phone=(HAAT_PHONE_VERIFICATION=required HAAT_SMS_PROVIDER=msg91 MSG91_AUTH_KEY=bench-msg91-auth-key
           MSG91_TEMPLATE_ID=bench-otp-template MSG91_API_BASE="http://127.0.0.1:$BENCH_PROVIDER_PORT" HAAT_TRUSTED_PROXIES=127.0.0.1)
  fi
  env HAAT_BCRYPT_COST=4 HAAT_RATE_LIMIT_SCALE=1000000 HAAT_FREE_CONTACTS=1000000 "${phone[@]}" \
    "$HAAT" serve --demo --content "$WORK/content" --site "$WORK/site" --port "$port" "$@" > "$WORK/$name.log" 2>&1 &
  SERVERS+=($!)
  LAST_PID=$!
  for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && return 0
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "haat serve ($name) did not start:" >&2
  cat "$WORK/$name.log" >&2
  return 1
}

# seed_customers BASE FILE [TOKENS]: 200 customers, each having revealed 5 creators (the
# steady state to load), written as lines "token<TAB>slug,slug,…" for bench/api/contact.lua.
# The customers register by email, or are the accounts of TOKENS (one access token a line,
# as `haat-bench codes --tokens` writes them).
seed_customers() {
  python3 - "$1" "$BENCH_CREATORS" "$BENCH_CUSTOMERS" "${3:-}" > "$2" <<'PY'
import json, random, sys, urllib.request
base, creators, customers, tokens = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
given = open(tokens).read().split() if tokens else None
random.seed(7)
def post(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token: headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())
for n in range(customers):
    token = given[n] if given else post("/auth/register", {"email": f"load{n}@example.com", "password": "a load test password",
                                                           "name": f"Load {n}"})["access_token"]
    slugs = random.sample(range(creators), 5)
    for slug in slugs:
        post(f"/creators/creator-{slug}/contact", {}, token)
    print(token + "\t" + ",".join(f"creator-{s}" for s in slugs))
PY
}

# wrk_figures CONNECTIONS SCRIPT URL: a 5 s warm-up, then the measured run; prints the
# figures line of bench/api/report.lua.
wrk_figures() {
  local connections=$1 script=$2 url=$3
  wrk -t2 -c"$connections" -d5s -s "$script" "$url" > /dev/null
  wrk -t2 -c"$connections" -d"${BENCH_SECONDS}s" -s "$script" "$url" | sed -n 's/^BENCH //p'
}

# reveal_figures SEED URL…: contact reveals (95% repeats, 5% new creators) spread over
# the servers at URL…, 32 connections in all, one wrk each at once; prints one line, and
# with several servers their total: requests and req/s summed, the worst p99.
reveal_figures() {
  local seed=$1; shift
  local connections=$((32 / $#)) lines=()
  local outputs=() runs=() url
  for url in "$@"; do
    outputs+=("$(mktemp)")
    BENCH_SEED="$seed" BENCH_CREATORS="$BENCH_CREATORS" wrk_figures "$connections" bench/api/contact.lua "$url" > "${outputs[-1]}" &
    runs+=($!)
  done
  wait "${runs[@]}"
  for output in "${outputs[@]}"; do lines+=("$(cat "$output")"); rm -f "$output"; done
  if [ ${#lines[@]} -eq 1 ]; then echo "${lines[0]}"; return; fi
  printf '%s\n' "${lines[@]}" | awk '
    { requests += $1; rate += $3; if ($9 + 0 > p99) p99 = $9 + 0; status += $12; errors += $15 }
    END { printf "%d requests, %.0f req/s, worst p99 %.2f ms, non-2xx %d, socket errors %d\n", requests, rate, p99, status, errors }'
}
