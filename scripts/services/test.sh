#!/usr/bin/env bash
# `npm run test:services`: the real-services suite, after `source scripts/services/setup.sh`.
# jest (test/services/, jest.services.config.js) then pytest (airflow/tests, in the Airflow venv);
# both always run, and the suite fails when either fails.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
: "${MOVALYTICS_TEST_AIRFLOW_VENV:?source scripts/services/setup.sh first}"
npm run --silent build || exit 1
# PGlite (the Redshift Data API stand-in runs on it) loads its WebAssembly through dynamic import.
NODE_OPTIONS=--experimental-vm-modules npx jest --config jest.services.config.js "$@"
jest_status=$?
"$MOVALYTICS_TEST_AIRFLOW_VENV/bin/python" -m pytest airflow/tests -p no:cacheprovider
pytest_status=$?
exit $((jest_status != 0 || pytest_status != 0))
