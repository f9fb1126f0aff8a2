#!/usr/bin/env bash
# Web Push checked by implementations that are not Haat's (Tests/Push/push_flow.py):
# PyPI's http-ece decrypts what a real `haat serve` pushes, py-vapid verifies its VAPID
# header. Installs both, pinned, into a cache venv; builds the sample site into a
# temporary folder; ends with "push: N passed, N failed". Needs HAAT (the binary).
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT=${HAAT:-.build/debug/haat}
HTTP_ECE_VERSION=1.2.1 PY_VAPID_VERSION=1.9.6
venv="${HAAT_PUSH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/haat/push-check-$HTTP_ECE_VERSION-$PY_VAPID_VERSION}"
if ! "$venv/bin/python" -c 'import http_ece, py_vapid' 2> /dev/null; then
  echo "push: installing http-ece $HTTP_ECE_VERSION and py-vapid $PY_VAPID_VERSION into $venv"
  python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "http-ece==$HTTP_ECE_VERSION" "py-vapid==$PY_VAPID_VERSION"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. scripts/sample-site.sh
sample_site "$work"
"$venv/bin/python" Tests/Push/push_flow.py "$HAAT" "$work"
