#!/usr/bin/env bash
# Prepares Apache Airflow 3 for the real-services suite: a virtualenv under /var/cache/movalytics
# with airflow/requirements.txt installed (re-installed when that lock file changes). Prints the
# venv path. Airflow's own state (AIRFLOW_HOME, its database) belongs to each test, not to this.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${MOVALYTICS_AIRFLOW_VENV:-/var/cache/movalytics/airflow-venv}"
LOCK="$REPO/airflow/requirements.txt"
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$LOCK" | cut -d' ' -f1)"

find_python() {
  local candidate
  for candidate in /root/.pyenv/versions/3.12*/bin/python3.12 "$(command -v python3.12 || true)" \
                   /root/.pyenv/versions/3.1[13]*/bin/python3 "$(command -v python3 || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys, venv; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
      && { echo "$candidate"; return 0; }
  done
  return 1
}

if [ ! -x "$VENV/bin/airflow" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    PYTHON="$(find_python || true)"
    if [ -z "$PYTHON" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
      PYTHON="$(find_python)"
    fi
    "$PYTHON" -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$LOCK" >&2
  echo "$WANT" >"$STAMP"
fi
echo "$VENV"
