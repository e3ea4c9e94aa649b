#!/usr/bin/env bash
# A container engine for the real-services suite: podman from Debian, serving the Docker API on a
# unix socket (the docker CLI, docker-py and so Airflow's DockerOperator talk to it). Installs
# podman, runc and debootstrap when missing, writes the settings this kernel needs, starts the API
# service. Prints the socket's URL (unix:///…). Idempotent: a running service is reused.
#
# The settings (/etc/containers/containers.conf.d/movalytics.conf): runc, because crun fails on
# this kernel's hybrid cgroups; cgroupfs, as no systemd runs here; default ulimits at the hard
# limits of this machine, since podman's own defaults exceed them and every container would fail.
set -euo pipefail
SOCKET_DIR="${MOVALYTICS_PODMAN_DIR:-/run/movalytics}"
SOCKET="$SOCKET_DIR/podman.sock"
CONF=/etc/containers/containers.conf.d/movalytics.conf

missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  log=/tmp/movalytics-apt-podman.log
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap; } \
    >"$log" 2>&1 || { echo "container engine: installing ${missing[*]} failed:" >&2; tail -20 "$log" >&2; exit 1; }
fi

if [ ! -f "$CONF" ]; then
  mkdir -p "$(dirname "$CONF")"
  cat >"$CONF" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
fi

if ! curl -sf --unix-socket "$SOCKET" -o /dev/null http://d/_ping 2>/dev/null; then
  mkdir -p "$SOCKET_DIR"
  rm -f "$SOCKET"
  nohup podman system service --time=0 "unix://$SOCKET" >"$SOCKET_DIR/service.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    curl -sf --unix-socket "$SOCKET" -o /dev/null http://d/_ping 2>/dev/null && break
    sleep 0.5
  done
  if ! curl -sf --unix-socket "$SOCKET" -o /dev/null http://d/_ping; then
    echo "container engine: podman's API service did not answer on $SOCKET:" >&2
    tail -20 "$SOCKET_DIR/service.log" >&2
    exit 1
  fi
fi
echo "unix://$SOCKET"
