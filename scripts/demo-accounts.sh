#!/usr/bin/env bash
# Creates the demo's accounts (once) and prints how to sign in. Demo only.
# Usage: scripts/demo-accounts.sh HAAT DB
set -euo pipefail
haat=$1 db=$2
creator=$(grep -h "^account:" content/creators/*/index.md | head -1 | awk '{print $2}')
create() {  # email password name role
  "$haat" admin create-user --db "$db" --email "$1" --password "$2" --name "$3" --role "$4" > /dev/null 2>&1 || true
}
create customer@example.com "demo customer pass" "Demo Customer" customer
create "$creator" "demo creator pass" "Demo Creator" creator
create admin@example.com "demo admin pass" "Demo Admin" admin
cat <<TEXT

Demo accounts (sign in at http://127.0.0.1:8080/account/; payments are test payments, and
texts are test texts: each one-time code is printed below, in this console):
  customer  customer@example.com   demo customer pass
  creator   $creator   demo creator pass   (owns that sample profile; leads arrive live on /dashboard/)
  admin     admin@example.com      demo admin pass      (the console is /admin/: approvals, rebuilds, reports)
TEXT
