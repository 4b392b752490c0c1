#!/usr/bin/env bash
# Starts the project's own PostgreSQL cluster (Debian's pg_createcluster) and its role and database.
# Not used when DATABASE_URL is set by the caller.
set -euo pipefail
PGVER=15
CLUSTER=${GEOPORTAL_PG_CLUSTER:-geoportal}
PORT=${GEOPORTAL_PG_PORT:-5439}
ROLE=geoportal
DB=${GEOPORTAL_DB_NAME:-geoportal}

as_postgres() { runuser -u postgres -- "$@"; }

if [ "$(id -u)" -ne 0 ]; then
  if pg_lsclusters -h 2>/dev/null | awk '{print $2, $4}' | grep -q "^$CLUSTER online"; then exit 0; fi
  echo "The local PostGIS cluster is not running and starting it needs root. Run:" >&2
  echo "  sudo $0" >&2
  echo "or point DATABASE_URL at a PostGIS database you own." >&2
  exit 1
fi

if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$PGVER $CLUSTER$"; then
  echo "Creating PostgreSQL cluster $PGVER/$CLUSTER on port $PORT"
  pg_createcluster "$PGVER" "$CLUSTER" -p "$PORT" -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  # A development cluster: trade crash durability for speed of imports and tests.
  pg_conftool "$PGVER" "$CLUSTER" set synchronous_commit off
  pg_conftool "$PGVER" "$CLUSTER" set fsync off
  pg_conftool "$PGVER" "$CLUSTER" set full_page_writes off
  pg_conftool "$PGVER" "$CLUSTER" set max_connections 200
fi
if ! pg_lsclusters -h | awk '{print $2, $4}' | grep -q "^$CLUSTER online"; then
  pg_ctlcluster "$PGVER" "$CLUSTER" start
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$PORT" && break
  sleep 0.5
done
if ! as_postgres psql -p "$PORT" -tAc "SELECT 1 FROM pg_roles WHERE rolname='$ROLE'" | grep -q 1; then
  # Superuser so that migrations and the test runner can create the postgis and pg_trgm extensions.
  as_postgres psql -q -p "$PORT" -c "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$ROLE'"
fi
if ! as_postgres psql -p "$PORT" -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
  as_postgres createdb -p "$PORT" -O "$ROLE" "$DB"
fi
