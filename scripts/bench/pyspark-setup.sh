#!/usr/bin/env bash
# Installs what the PySpark peer of `npm run bench` needs, once, cached under the bench cache
# folder: a Python venv with the pinned pyspark (PyPI) and the PostgreSQL JDBC driver (Maven
# Central, through `mvn dependency:get`). Needs python3 (3.9+), Java 17+ and Maven.
# Usage: pyspark-setup.sh CACHE_DIR   Prints two lines: the venv's python, the driver jar.
set -euo pipefail
CACHE="${1:?usage: pyspark-setup.sh CACHE_DIR}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JDBC_VERSION=42.7.8
VENV="$CACHE/pyspark-venv"
M2="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
JAR="$M2/org/postgresql/postgresql/$JDBC_VERSION/postgresql-$JDBC_VERSION.jar"

for tool in python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "pyspark-setup: $tool is not installed" >&2; exit 1; }
done
if ! "$VENV/bin/python" -c 'import pyspark' >/dev/null 2>&1 \
  || ! cmp -s "$HERE/requirements.txt" "$VENV/requirements.txt"; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q -r "$HERE/requirements.txt" >&2
  cp "$HERE/requirements.txt" "$VENV/requirements.txt"
fi
if [ ! -f "$JAR" ]; then
  mvn -q dependency:get -Dartifact="org.postgresql:postgresql:$JDBC_VERSION" -Dtransitive=false \
    -Dmaven.repo.local="$M2" >&2
fi
echo "$VENV/bin/python"
echo "$JAR"
