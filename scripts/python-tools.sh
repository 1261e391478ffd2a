#!/usr/bin/env bash
# Makes a virtual environment with the Python tools the tests use (scripts/test-requirements.txt)
# in .build/pytools, and prints its bin directory. Safe to run again: it installs only what
# changed.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/pytools
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p .build
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian's python3 needs python3-venv for this.
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends python3-venv >/dev/null
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
fi
stamp="$venv/.requirements"
if ! cmp -s scripts/test-requirements.txt "$stamp"; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/test-requirements.txt >&2
  cp scripts/test-requirements.txt "$stamp"
fi
echo "$PWD/$venv/bin"
