#!/usr/bin/env bash
# Issue #16's link benchmarks (bench/outbox_drain.py says what each measures): the outbox
# drain against one curl invocation's floor, recovery after SIGKILL, and kioskd's CPU per
# heartbeat. BENCH_DOSSIERS (1000), BENCH_KILLS (10), BENCH_BEAT_SECONDS (90) scale it down.
set -euo pipefail
cd "$(dirname "$0")/.."
for product in kioskd kioskctl kiosk-central outbox-seed; do
  swift build -c release --product "$product" --traits EmulatedCardReader >/dev/null
done
bin="$(bash scripts/python-tools.sh)"
exec "$bin/python" bench/outbox_drain.py
