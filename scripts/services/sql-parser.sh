#!/usr/bin/env bash
# Prepares the SQL parser of the Redshift dialect check (test/support/redshift_dialect.py): a
# virtualenv under /var/cache/movalytics with test/support/requirements-sql-parser.txt installed
# (re-installed when that lock file changes). Prints the venv's Python.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${MOVALYTICS_SQL_PARSER_VENV:-/var/cache/movalytics/sql-parser-venv}"
# shellcheck source=scripts/services/locked-venv.sh
source "$REPO/scripts/services/locked-venv.sh"
locked_venv "$VENV" "$REPO/test/support/requirements-sql-parser.txt" bin/python --require-hashes
echo "$VENV/bin/python"
