#!/usr/bin/env bash
# Prepares the SQL parser of the Redshift dialect check (test/support/redshift_dialect.py): a
# virtualenv under /var/cache/movalytics with test/support/requirements-sql-parser.txt installed
# (re-installed when that lock file changes). Prints the venv's Python.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${MOVALYTICS_SQL_PARSER_VENV:-/var/cache/movalytics/sql-parser-venv}"
LOCK="$REPO/test/support/requirements-sql-parser.txt"
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$LOCK" | cut -d' ' -f1)"

if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    command -v python3 >/dev/null && python3 -c 'import venv' 2>/dev/null || {
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
    }
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check --require-hashes -r "$LOCK" >&2
  echo "$WANT" >"$STAMP"
fi
echo "$VENV/bin/python"
