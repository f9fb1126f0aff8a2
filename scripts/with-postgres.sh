#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 cluster: Debian's pg_virtualenv makes a
# temporary cluster on a free port (as the postgres user when run as root) and drops it
# when the command ends. The command finds it in HAAT_TEST_POSTGRES (a postgres:// URL of
# its maintenance database; tests create and drop databases of their own). It allows 300
# connections: the API suite runs its tests on PostgreSQL in parallel, each with a pool.
# Usage: scripts/with-postgres.sh COMMAND [ARG...]
set -euo pipefail
exec pg_virtualenv -v 15 -o max_connections=300 bash -c '
  export HAAT_TEST_POSTGRES="postgres://${PGUSER}:${PGPASSWORD}@${PGHOST:-localhost}:${PGPORT:-5432}/postgres?sslmode=disable"
  exec "$@"' with-postgres "$@"
