#!/usr/bin/env bash
# Builds every task image of docker/Dockerfile: one per pipeline step (movalytics-<step>) and the
# all-in-one `movalytics`. The list is the Dockerfile's own targets (`FROM … AS movalytics…`), so
# adding an image is adding a target. Shared stages are built once and reused from the cache.
#
#   scripts/build-images.sh                      # docker, tag latest
#   ENGINE=podman TAG=0.1.0 scripts/build-images.sh
#   NODE_IMAGE=my-registry/node:24-bookworm-slim scripts/build-images.sh
#
# ENGINE is any docker-compatible CLI (docker, podman). BUILD_NETWORK (e.g. host) is passed to
# `build --network` for machines whose build containers reach the package registry only that way.
# Prints one line per image: its name and size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ENGINE="${ENGINE:-docker}"
TAG="${TAG:-latest}"
DOCKERFILE=docker/Dockerfile

mapfile -t targets < <(sed -n -E 's/^FROM[[:space:]].*[[:space:]]AS[[:space:]]+(movalytics[a-z-]*)[[:space:]]*$/\1/Ip' "$DOCKERFILE")
[ "${#targets[@]}" -gt 0 ] || { echo "build-images: no movalytics targets in $DOCKERFILE" >&2; exit 1; }

args=(--file "$DOCKERFILE"
  --build-arg "VERSION=$(node -p 'require("./package.json").version')"
  --build-arg "REVISION=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
[ -n "${NODE_IMAGE:-}" ] && args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
[ -n "${BUILD_NETWORK:-}" ] && args+=(--network "$BUILD_NETWORK")

for target in "${targets[@]}"; do
  "$ENGINE" build --quiet "${args[@]}" --target "$target" --tag "$target:$TAG" . >/dev/null \
    || { echo "build-images: $target failed (re-run without --quiet: $ENGINE build --target $target .)" >&2; exit 1; }
  size="$("$ENGINE" image inspect --format '{{.Size}}' "$target:$TAG")"
  printf '%-36s %4d MB\n' "$target:$TAG" $((size / 1000000))
done
