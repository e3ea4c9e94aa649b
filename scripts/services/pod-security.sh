#!/usr/bin/env bash
# Builds (once, from the Go module proxy, cached under /var/cache/movalytics) the Pod Security
# Standard checker of scripts/pod-security/ (Kubernetes' own admission code), which the Airflow
# tests run on the pods of the kubernetes runtime. Prints the binary's path. The binary is named
# by a hash of its sources, so a change to them builds a new one and CI reuses an unchanged one.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC="$REPO/scripts/pod-security"
CACHE="${MOVALYTICS_CACHE_DIR:-/var/cache/movalytics}"
GO="$(command -v go || echo /usr/local/go/bin/go)"
KEY="$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-16)"
BIN="$CACHE/bin/pod-security-$KEY"

if [ ! -x "$BIN" ]; then
  mkdir -p "$CACHE/bin"
  log="$CACHE/pod-security-build.log"
  # Built under a temporary name and moved into place, so a concurrent run never sees half a binary.
  # -mod=readonly: go.sum is the lock; a build that would change it fails instead.
  (cd "$SRC" && GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOTOOLCHAIN=local \
    GOFLAGS="-mod=readonly -buildvcs=false" "$GO" build -trimpath -o "$BIN.tmp.$$" .) >"$log" 2>&1 \
    || { cat "$log" >&2; exit 1; }
  mv -f "$BIN.tmp.$$" "$BIN"
fi
echo "$BIN"
