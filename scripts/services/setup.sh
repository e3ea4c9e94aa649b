#!/usr/bin/env bash
# shellcheck shell=bash
# The real services of `npm run test:services`: PostgreSQL (Debian), MinIO (built from source),
# Apache Airflow 3 (a venv from airflow/requirements.txt), headless Chromium and docker-compose
# (Debian), Node 24, and podman (Debian) serving the Docker API with the task images built from
# docker/Dockerfile. Source it (`source scripts/services/setup.sh`): it installs what is missing (cached
# under /var/cache/movalytics, so later runs take seconds), starts the servers on 127.0.0.1,
# and exports where they are:
#   MOVALYTICS_TEST_POSTGRES_URL      postgres://postgres@127.0.0.1:54329/postgres (trust auth)
#   MOVALYTICS_TEST_MINIO_ENDPOINT    http://127.0.0.1:59000
#   MOVALYTICS_TEST_MINIO_BUCKET      movalytics-test
#   MOVALYTICS_TEST_MINIO_ACCESS_KEY / MOVALYTICS_TEST_MINIO_SECRET_KEY   MinIO root credentials
#   MOVALYTICS_TEST_AIRFLOW_VENV      /var/cache/movalytics/airflow-venv
#   MOVALYTICS_TEST_SQL_PARSER        the Python of the Redshift dialect check (sqlglot), /var/cache/movalytics/sql-parser-venv
#   MOVALYTICS_TEST_CHROMIUM          /usr/bin/chromium
#   MOVALYTICS_TEST_DOCKER_HOST       unix:///run/movalytics/podman.sock (podman serving the Docker API)
#   MOVALYTICS_TEST_IMAGE_TAG         latest: the task images movalytics-<step>:latest, built from docker/Dockerfile
#   MOVALYTICS_TEST_NODE24            /var/cache/movalytics/node-24.22.3 (bin/node, bin/npm)
#   MOVALYTICS_TEST_POD_SECURITY      the Pod Security Standard checker (scripts/pod-security)
# MinIO's root credentials are MINIO_ROOT_USER / MINIO_ROOT_PASSWORD when set, else throwaway
# test values. Each service logs one line. Safe to source again: running servers are reused.
# Runs in the caller's shell, so it changes no shell option and returns non-zero on failure.

_movalytics_service() {  # name, command...: run one service script, log one line, print its output
  local name="$1" started output
  shift
  started=$(date +%s%N)
  if ! output="$("$@")"; then
    echo "services: $name FAILED" >&2
    return 1
  fi
  local ms=$((($(date +%s%N) - started) / 1000000))
  printf 'services: %-9s %s (%d.%01d s)\n' "$name" "$output" $((ms / 1000)) $((ms % 1000 / 100)) >&2
  printf '%s' "$output"
}

_movalytics_setup_services() {
  local here url
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

  url="$(_movalytics_service postgres bash "$here/postgres.sh")" || return 1
  export MOVALYTICS_TEST_POSTGRES_URL="$url"

  export MOVALYTICS_TEST_MINIO_ACCESS_KEY="${MINIO_ROOT_USER:-movalytics}"
  export MOVALYTICS_TEST_MINIO_SECRET_KEY="${MINIO_ROOT_PASSWORD:-movalytics-test-secret}"
  export MOVALYTICS_TEST_MINIO_BUCKET="movalytics-test"
  url="$(MINIO_ROOT_USER="$MOVALYTICS_TEST_MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MOVALYTICS_TEST_MINIO_SECRET_KEY" \
    _movalytics_service minio bash "$here/minio.sh" "$MOVALYTICS_TEST_MINIO_BUCKET")" || return 1
  export MOVALYTICS_TEST_MINIO_ENDPOINT="$url"

  url="$(_movalytics_service airflow bash "$here/airflow.sh")" || return 1
  export MOVALYTICS_TEST_AIRFLOW_VENV="$url"

  url="$(_movalytics_service sqlparser bash "$here/sql-parser.sh")" || return 1
  export MOVALYTICS_TEST_SQL_PARSER="$url"

  # The Pod Security Standard checker (Kubernetes' admission code) the kubernetes runtime's pods pass.
  url="$(_movalytics_service podsec bash "$here/pod-security.sh")" || return 1
  export MOVALYTICS_TEST_POD_SECURITY="$url"

  url="$(_movalytics_service tools bash "$here/debian-tools.sh")" || return 1
  export MOVALYTICS_TEST_CHROMIUM="$url"

  url="$(_movalytics_service node24 bash "$here/node24.sh")" || return 1
  export MOVALYTICS_TEST_NODE24="$url"

  url="$(_movalytics_service engine bash "$here/container-engine.sh")" || return 1
  export MOVALYTICS_TEST_DOCKER_HOST="$url"

  url="$(_movalytics_service images bash "$here/images.sh")" || return 1
  export MOVALYTICS_TEST_IMAGE_TAG="$url"
}

_movalytics_setup_services
