#!/usr/bin/env bash
# Receipt printing, side by side in one run, COUNT (default 200) times each, to the capture
# queue of a private cupsd (scripts/setup-cups.sh):
#   1. kioskctl print sample-receipt: Pango/Cairo layout → 576-dot raster with its QR code →
#      ESC/POS → libcups, each copy followed until CUPS says it completed
#   2. python-escpos (PyPI, in bench/.venv) printing the same receipt as an image through its
#      CupsPrinter (pycups); it does not wait for completion
# and, as the floor under both, the same ESC/POS bytes submitted through pycups with nothing
# rendered: fire-and-forget, and followed to completed (bench/cups_floor.py).
# Targets: <= 30 ms per receipt, >= 5x faster than python-escpos.
# Needs a release build (swift build -c release --product kioskctl).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${COUNT:-200}"
kioskctl=.build/release/kioskctl
[ -x "$kioskctl" ] || { echo "build first: swift build -c release --product kioskctl" >&2; exit 1; }
bash scripts/install-deps.sh >/dev/null
python3 -m venv bench/.venv >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >/dev/null; python3 -m venv bench/.venv; }
bench/.venv/bin/pip install -q "python-escpos[cups]"

work=$(mktemp -d)
bash scripts/setup-cups.sh "$work/cups" >/dev/null
trap 'kill -9 $(cat "$work/cups/cupsd.pid") 2>/dev/null; rm -rf "$work"' EXIT
export CUPS_SERVER="$work/cups/cups.sock"

/usr/bin/time -f "%U %S" -o "$work/ours.cpu" "$kioskctl" print sample-receipt --queue kiosk_receipt --copies "$count" --json > "$work/ours.json"
ours=$(python3 -c "import json,sys; print(round(json.load(open('$work/ours.json'))['millisecondsPerCopy'], 1))")
bytes=$(python3 -c "import json,sys; print(json.load(open('$work/ours.json'))['bytesPerCopy'])")
first=$(ls "$work/cups/printed/receipt" | head -1)
printed=$(ls "$work/cups/printed/receipt" | wc -l)
cp "$work/cups/printed/receipt/$first" "$work/job.bin"
/usr/bin/time -f "%U %S" -o "$work/peer.cpu" bench/.venv/bin/python bench/print_receipt.py "$work/job.bin" kiosk_receipt "$count" 2>"$work/peer.err" | tail -1 > "$work/peer.ms"
peer=$(cat "$work/peer.ms")
read -r floor_submit floor_completed < <(bench/.venv/bin/python bench/cups_floor.py "$work/job.bin" kiosk_receipt "$count")
cpu() { awk -v n="$count" '{ printf "%.1f", ($1 + $2) * 1000 / n }' "$1"; }
printf "%-44s %12s %14s\n" "receipt, 576-dot raster with QR, x$count" "ms/receipt" "CPU ms/receipt"
printf "%-44s %12s %14s\n" "kioskctl print sample-receipt (to completed)" "$ours" "$(cpu "$work/ours.cpu")"
printf "%-44s %12s %14s\n" "python-escpos image via CupsPrinter" "$peer" "$(cpu "$work/peer.cpu")"
printf "%-44s %12s\n" "floor: same bytes via pycups, not waiting" "$floor_submit"
printf "%-44s %12s\n" "floor: same bytes via pycups, to completed" "$floor_completed"
echo "ESC/POS job: $bytes bytes; captured jobs from kioskctl: $printed"
awk -v o="$ours" -v p="$peer" -v f="$floor_submit" -v c="$floor_completed" 'BEGIN {
  printf "ours: %.1f ms per receipt (target <= 30); python-escpos / ours: %.1fx (target >= 5)\n", o, p / o
  printf "5x python-escpos would be %.1f ms per receipt; one bare CUPS job costs %.1f ms submitted, %.1f ms to completed\n", p / 5, f, c }'
