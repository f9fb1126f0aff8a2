#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (from PyPI, pinned, in a venv of
# its own) fuzzes a real `haat serve` (a temporary SQLite file, the sample content, test
# payments) as a customer, a creator who owns a sample profile, and an admin, and fails
# on any 5xx, a status or content type the document does not declare, a body or header
# that does not match it, or anything but 405 with Allow for a method a path does not
# accept. About two minutes. Ends with "schemathesis: N passed, N failed", one result per
# operation and role (Tests/API/schemathesis_run.py).
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="${HAAT:-.build/debug/haat}"
SCHEMATHESIS_VERSION=4.32.5
# Outside the work tree, kept between runs; a venv of another version is replaced.
venv="${HAAT_SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/haat/schemathesis-$SCHEMATHESIS_VERSION}"
if ! "$venv/bin/st" --version 2> /dev/null | grep -qx "st, version $SCHEMATHESIS_VERSION"; then
  echo "schemathesis: installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

work=$(mktemp -d)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

. scripts/sample-site.sh
# The creator's and admin's runs edit and approve profiles of this copy.
sample_site "$work"
slug=$(ls content/creators | head -1)
creator_email=$(sed -n 's/^account: *//p' "content/creators/$slug/index.md" | head -1)
accounts=("customer@example.com" "a customer password" customer
          "$creator_email" "a creator password" creator
          "admin@example.com" "an admin password" admin)
for ((i = 0; i < ${#accounts[@]}; i += 3)); do
  "$HAAT" admin create-user --db "$work/haat.sqlite" --email "${accounts[i]}" --password "${accounts[i + 1]}" \
    --name "Schemathesis ${accounts[i + 2]}" --role "${accounts[i + 2]}" > /dev/null
done

# bcrypt at its lowest cost: the runs sign in and register hundreds of times, and the
# cost changes nothing the document describes. Phone verification off, so the customer's
# reveals are fuzzed past the number check (PhoneCodeTests hold the check itself); the
# code routes are fuzzed all the same, their texts going to the console.
HAAT_BCRYPT_COST=4 HAAT_PHONE_VERIFICATION=off "$HAAT" serve --demo --content "$work/content" --db "$work/haat.sqlite" --site "$work/site" --port 0 \
  > "$work/serve.log" 2>&1 &
server=$!
port=
for _ in $(seq 300); do
  port=$(serving_port "$work/serve.log")
  [ -n "$port" ] && break
  kill -0 "$server" 2> /dev/null || break
  sleep 0.2
done
if [ -z "$port" ]; then
  echo "✘ schemathesis: haat serve did not start (or not within 60 s); its output:"
  tail -n 20 "$work/serve.log"
  exit 1
fi

status=0
python3 Tests/API/schemathesis_run.py "http://127.0.0.1:$port" "$venv/bin/st" "$work/reports" "$slug" \
  "${accounts[@]}" "$(ls "$PWD/content/creators/$slug/"*.jpg | head -1)" || status=$?
# A 5xx is logged with its cause: show it beside the failure.
if grep -q 'unexpected error' "$work/serve.log"; then
  echo "haat serve logged unexpected errors:"
  grep 'unexpected error' "$work/serve.log" | head -20
fi
exit "$status"
