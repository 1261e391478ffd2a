#!/usr/bin/env bash
# Receipt printing, side by side in one run, COUNT (default 200) times each, to the capture
# queue of a private cupsd (scripts/setup-cups.sh):
#   1. kioskctl print sample-receipt: Pango/Cairo layout → 576-dot raster with its QR code →
#      ESC/POS → libcups, each copy followed until CUPS says it completed
#   2. python-escpos (PyPI, in bench/.venv) printing the same receipt as an image through its
#      CupsPrinter (pycups); it does not wait for completion
# and, as the floor under both, the same ESC/POS bytes submitted through pycups with nothing
# rendered: fire-and-forget, and followed to completed (bench/cups_floor.py).
# Yardsticks: <= 30 ms per receipt to completed; against the bare-CUPS floor followed to
# completed (what CUPS itself costs for the same bytes), and CPU per receipt against
# python-escpos's. (The old ">= 5x python-escpos" compared a receipt followed to completion
# with a fire-and-forget submission, and is retired.)
# Needs a release build (swift build -c release --product kioskctl).
set -euo pipefail
# Every failure says where and why (a silent exit 141 from SIGPIPE once hid one).
trap 'echo "print_receipt.sh: failed (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
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
jobs=("$work"/cups/printed/receipt/*)
printed=${#jobs[@]}
[ -f "${jobs[0]}" ] || { echo "print_receipt.sh: kioskctl printed nothing; see $work/cups/log" >&2; exit 1; }
[ "$printed" -eq "$count" ] || { echo "print_receipt.sh: $printed receipts captured, $count expected" >&2; exit 1; }
cp "${jobs[0]}" "$work/job.bin"
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
awk -v o="$ours" -v p="$peer" -v f="$floor_submit" -v c="$floor_completed" -v oc="$(cpu "$work/ours.cpu")" -v pc="$(cpu "$work/peer.cpu")" 'BEGIN {
  printf "ours: %.1f ms per receipt to completed (target <= 30); %.2fx the bare-CUPS floor to completed (%.1f ms)\n", o, o / c, c
  printf "CPU per receipt: ours %.1f ms, python-escpos %.1f ms -> %.1fx less; python-escpos wall %.1f ms (not waiting for completion)\n", oc, pc, pc / oc, p }'
