#!/usr/bin/env bash
# Installs (Debian package) and starts a throwaway PostgreSQL server on 127.0.0.1 for the
# real-services suite. Prints the connection URL. Idempotent: a running server is reused.
set -euo pipefail
PORT="${MOVALYTICS_PG_PORT:-54329}"
DIR="${MOVALYTICS_PG_DIR:-/tmp/movalytics-pg}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$DIR" && mkdir -p "$DIR" && chown postgres:postgres "$DIR"
  su postgres -s /bin/sh -c "'$BIN/initdb' -D '$DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$DIR/initdb.log'"
  su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -o \"-h 127.0.0.1 -p $PORT -k '$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB -c shared_buffers=512MB\" start >/dev/null"
fi
echo "postgres://postgres@127.0.0.1:${PORT}/postgres"
