#!/usr/bin/env bash
# The task images for the real-services suite, built by the container engine (container-engine.sh)
# from the repository's docker/Dockerfile on the local Node base (node-base-image.sh), exactly as
# a user builds them (scripts/build-images.sh). Unchanged layers come from the engine's cache.
# Logs each image's size to stderr; prints the tag.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TAG="${MOVALYTICS_IMAGE_TAG:-latest}"
node_image="$(bash "$here/node-base-image.sh")"
# The build's `npm ci` reaches the registry from the host's network namespace.
ENGINE=podman TAG="$TAG" NODE_IMAGE="$node_image" BUILD_NETWORK=host bash "$here/../build-images.sh" \
  | sed 's/^/services:   /' >&2
echo "$TAG"
