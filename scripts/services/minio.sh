#!/usr/bin/env bash
# Builds (once, from the Go module proxy, cached under /var/cache/movalytics) and starts a
# throwaway MinIO server on 127.0.0.1 for the real-services suite, then creates the test bucket.
# Root credentials come from MINIO_ROOT_USER / MINIO_ROOT_PASSWORD. Prints the endpoint URL.
# Idempotent: a running server is reused.
set -euo pipefail
# The release `go install github.com/minio/minio@latest` resolved to when we pinned it.
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
CACHE=/var/cache/movalytics
BIN="$CACHE/bin/minio"
PORT="${MOVALYTICS_MINIO_PORT:-59000}"
DIR="${MOVALYTICS_MINIO_DIR:-/tmp/movalytics-minio}"
BUCKET="${1:?usage: minio.sh BUCKET}"
: "${MINIO_ROOT_USER:?set MINIO_ROOT_USER}" "${MINIO_ROOT_PASSWORD:?set MINIO_ROOT_PASSWORD}"
ENDPOINT="http://127.0.0.1:${PORT}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if [ ! -x "$BIN" ]; then
  mkdir -p "$CACHE/bin"
  GOBIN="$CACHE/bin" GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" \
    go install "github.com/minio/minio@${MINIO_VERSION}" >"$CACHE/minio-build.log" 2>&1
fi

if ! curl -sf -o /dev/null "$ENDPOINT/minio/health/live"; then
  mkdir -p "$DIR/data"
  MINIO_BROWSER=off nohup "$BIN" server "$DIR/data" --quiet --address "127.0.0.1:${PORT}" \
    >"$DIR/server.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "$ENDPOINT/minio/health/live" && break
    sleep 0.5
  done
  curl -sf -o /dev/null "$ENDPOINT/minio/health/live" || { cat "$DIR/server.log" >&2; exit 1; }
fi

AWS_ACCESS_KEY_ID="$MINIO_ROOT_USER" AWS_SECRET_ACCESS_KEY="$MINIO_ROOT_PASSWORD" AWS_REGION=us-east-1 NODE_NO_WARNINGS=1 \
  node "$REPO/scripts/services/create-bucket.js" "$ENDPOINT" "$BUCKET" >/dev/null
echo "$ENDPOINT"
