#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 cluster: Debian's pg_virtualenv makes a
# temporary cluster on a free port (as the postgres user when run as root) and drops it
# when the command ends. The command finds it in HAAT_TEST_POSTGRES (a postgres:// URL of
# its maintenance database; tests create and drop databases of their own). It allows 300
# connections: the API suite runs its tests on PostgreSQL in parallel, each with a pool.
# Usage: scripts/with-postgres.sh COMMAND [ARG...]
set -euo pipefail
# Run as root, pg_virtualenv makes the system cluster 15/regress and refuses to start if
# one is left from a run that was killed. Drop such a leftover (its marker says
# pg_virtualenv made it) when no other pg_virtualenv is running.
if [ "$(id -u)" -eq 0 ] && [ -f /etc/postgresql/15/regress/.by_pg_virtualenv ] && ! pgrep -x pg_virtualenv > /dev/null \
   && ! pgrep -f '^/bin/bash /usr/bin/pg_virtualenv' > /dev/null; then
  echo "with-postgres: dropping the cluster 15/regress left by an earlier run that was stopped"
  pg_ctlcluster --mode immediate 15 regress stop 2> /dev/null || true
  pg_dropcluster 15 regress 2> /dev/null || true
  rm -rf /etc/postgresql/15/regress
fi
exec pg_virtualenv -v 15 -o max_connections=300 bash -c '
  export HAAT_TEST_POSTGRES="postgres://${PGUSER}:${PGPASSWORD}@${PGHOST:-localhost}:${PGPORT:-5432}/postgres?sslmode=disable"
  exec "$@"' with-postgres "$@"
