#!/usr/bin/env bash
# Does compression overlap acquisition? A 10-page feeder batch, A4, 200 dpi, colour, on
# SANE's `test` device slowed (read-delay) to about 25 pages a minute, as a real feeder:
#   1. scanimage --batch alone (raw pages to files: acquisition and nothing else)
#   2. kioskctl scan (acquisition + deskew/crop/whitening/blank detection/JPEG + PDF)
# Wall time of each; target: kioskctl <= 1.05x scanimage. RUNS (default 1) runs of each.
# Needs a release build (swift build -c release --product kioskctl; swift build -c release --product kiosk-sane).
set -euo pipefail
cd "$(dirname "$0")/.."
kioskctl=.build/release/kioskctl
[ -x "$kioskctl" ] || { echo "build first: swift build -c release --product kioskctl && swift build -c release --product kiosk-sane" >&2; exit 1; }
bash scripts/install-deps.sh >/dev/null
runs="${RUNS:-1}"
# The backend waits this long (µs) after each buffer it passes: measured here, 30 ms gives
# about 2.4 s per A4 200 dpi colour page, 25 pages a minute.
delay=30000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash scripts/setup-sane-test-device.sh "$work/sane" >/dev/null
export SANE_CONFIG_DIR="$work/sane"
options=(--test-picture "Color pattern" --read-delay=yes --read-delay-duration=$delay)

now() { date +%s.%N; }
best() { sort -n | head -1; }
for _ in $(seq "$runs"); do
  start=$(now)
  timeout 300 scanimage -d test:0 --source "Automatic Document Feeder" --mode Color --resolution 200 -x 210 -y 297 "${options[@]}" \
    --format=pnm --batch="$work/p%02d.pnm" 2>/dev/null
  awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }' >> "$work/scanimage"
  start=$(now)
  timeout 300 "$kioskctl" scan --device test:0 --source feeder --mode color --dpi 200 --option "test-picture=Color pattern" \
    --option read-delay=yes --option read-delay-duration=$delay -o "$work/ours.pdf" >/dev/null
  awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }' >> "$work/ours"
done
pages=$(ls "$work"/p*.pnm | wc -l)
t0=$(best < "$work/scanimage"); t1=$(best < "$work/ours")
printf "%-36s %8s\n" "10-page feeder batch, wall seconds" "best of $runs"
printf "%-36s %8.2f   (%.1f pages a minute)\n" "scanimage --batch alone" "$t0" "$(awk -v p="$pages" -v t="$t0" 'BEGIN { print p * 60 / t }')"
printf "%-36s %8.2f\n" "kioskctl scan (to PDF)" "$t1"
awk -v a="$t1" -v b="$t0" 'BEGIN { printf "ratio: %.3f (target <= 1.05)\n", a / b }'
