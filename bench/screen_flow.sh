#!/usr/bin/env bash
# Issue #17's benchmark (bench/screen_flow.py says what it measures): the certified copy with
# the ID card, home to printed receipt, in Debian's chromium against a release kioskd.
# BENCH_FLOWS (5) sets how many flows.
set -euo pipefail
cd "$(dirname "$0")/.."
for product in kioskd kiosk-sane; do
  swift build -c release --product "$product" --traits EmulatedCardReader >/dev/null
done
bin="$(bash scripts/python-tools.sh)"
exec "$bin/python" bench/screen_flow.py
