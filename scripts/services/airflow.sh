#!/usr/bin/env bash
# Prepares Apache Airflow 3 for the real-services suite: a virtualenv under /var/cache/movalytics
# with airflow/requirements.txt installed (re-installed when that lock file changes). Prints the
# venv path. Airflow's own state (AIRFLOW_HOME, its database) belongs to each test, not to this.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${MOVALYTICS_AIRFLOW_VENV:-/var/cache/movalytics/airflow-venv}"
# shellcheck source=scripts/services/locked-venv.sh
source "$REPO/scripts/services/locked-venv.sh"
locked_venv "$VENV" "$REPO/airflow/requirements.txt" bin/airflow
echo "$VENV"
