#!/usr/bin/env bash
# Installs the Debian tools of the real-services suite when missing: headless Chromium (the HTML
# report test) and docker-compose 1.29 (validates docker/compose.yaml without a Docker engine).
# Prints the Chromium path.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
  log=/tmp/movalytics-apt.log
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
command -v chromium
