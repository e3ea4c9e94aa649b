# Sourced by the scripts that prepare a Python virtualenv from a lock file (airflow.sh,
# sql-parser.sh): `locked_venv VENV LOCK READY [pip install flags…]` creates VENV when it has no
# Python (with a Python 3.10–3.13 of the machine, installing Debian's python3 when none is found)
# and (re)installs LOCK into it when READY (a file in the venv) is missing or LOCK changed since.

find_python() {
  local candidate
  for candidate in /root/.pyenv/versions/3.12*/bin/python3.12 "$(command -v python3.12 || true)" \
                   /root/.pyenv/versions/3.1[13]*/bin/python3 "$(command -v python3 || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys, venv; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
      && { echo "$candidate"; return 0; }
  done
  return 1
}

locked_venv() {
  local venv="$1" lock="$2" ready="$3"
  shift 3
  local stamp="$venv/.requirements.sha256" want python
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ -e "$venv/$ready" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  if [ ! -x "$venv/bin/python" ]; then
    python="$(find_python || true)"
    if [ -z "$python" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
      python="$(find_python)"
    fi
    "$python" -m venv "$venv"
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check "$@" -r "$lock" >&2
  echo "$want" >"$stamp"
}
