#!/usr/bin/env bash
# Prepares SANE's virtual `test` scanner for the demo kiosk and the tests, without touching
# /etc: a private SANE configuration directory whose dll.conf loads only the `test` backend
# (probing every system backend takes seconds), with geometry_max raised to 300 mm so that an
# A4 page fits. kiosk.conf points devices.scanner.sane_config_dir at it.
# Usage: scripts/setup-sane-test-device.sh [DIR]   (default: var/sane)
set -euo pipefail
dir="${1:-var/sane}"
if [ ! -f /etc/sane.d/test.conf ]; then
  echo "setup-sane-test-device: /etc/sane.d/test.conf is missing: install libsane1 (scripts/install-deps.sh)" >&2
  exit 1
fi
mkdir -p "$dir"
echo test > "$dir/dll.conf"
sed 's/^geometry_max.*/geometry_max 300.0/' /etc/sane.d/test.conf > "$dir/test.conf"
echo "SANE test device configured in $dir"
