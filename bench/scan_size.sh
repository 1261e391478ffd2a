#!/usr/bin/env bash
# Bytes per page on a realistic text page at 200 dpi, at comparable legibility.
# bench/render_page.py draws an A4 form in Vietnamese with a red stamp and a blue signature,
# then makes it look scanned (off-white paper, fibres, sensor noise, optical blur). The page
# goes through SANE's real `pnm` backend (it scans a file) into:
#   1. kioskctl scan (this project: the whole page pipeline, as kioskd runs it)
#   2. scanimage --format=jpeg + img2pdf (PyPI), the same page as scanimage's JPEG
# Legibility: SSIM of each PDF's page against the page as printed (before the scan noise),
# in grey (bench/ssim.py). Targets: <= 0.5x img2pdf's bytes and <= 400 KB per page.
# Needs a release build (swift build -c release --product kioskctl; swift build -c release --product kiosk-sane).
set -euo pipefail
cd "$(dirname "$0")/.."
kioskctl=.build/release/kioskctl
[ -x "$kioskctl" ] || { echo "build first: swift build -c release --product kioskctl && swift build -c release --product kiosk-sane" >&2; exit 1; }
bash scripts/install-deps.sh >/dev/null
python3 -m venv bench/.venv >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >/dev/null; python3 -m venv bench/.venv; }
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-dejavu-core >/dev/null
bench/.venv/bin/pip install -q img2pdf numpy

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sane" && echo pnm > "$work/sane/dll.conf"
export SANE_CONFIG_DIR="$work/sane"
bench/.venv/bin/python bench/render_page.py "$work/page"

"$kioskctl" scan --device pnm:0 --source flatbed --mode color --dpi 200 --option "filename=$work/page.ppm" -o "$work/ours.pdf" >"$work/ours.txt"
scanimage -d pnm:0 --filename "$work/page.ppm" --resolution 200 --format=jpeg > "$work/peer.jpg"
bench/.venv/bin/img2pdf "$work/peer.jpg" -o "$work/img2pdf.pdf"

ours=$(stat -c %s "$work/ours.pdf"); peer=$(stat -c %s "$work/img2pdf.pdf")
ssim_ours=$(bench/.venv/bin/python bench/ssim.py "$work/page-clean.pgm" "$work/ours.pdf")
ssim_peer=$(bench/.venv/bin/python bench/ssim.py "$work/page-clean.pgm" "$work/img2pdf.pdf")
ssim_raw=$(bench/.venv/bin/python bench/ssim.py "$work/page-clean.pgm" "$work/page.ppm")
printf "%-34s %10s %8s\n" "one A4 text page, 200 dpi colour" "bytes" "SSIM"
printf "%-34s %10s %8s\n" "the scan itself (raw PNM)" "$(stat -c %s "$work/page.ppm")" "$ssim_raw"
printf "%-34s %10s %8s\n" "kioskctl scan" "$ours" "$ssim_ours"
printf "%-34s %10s %8s\n" "scanimage jpeg + img2pdf" "$peer" "$ssim_peer"
sed -n 2p "$work/ours.txt"
awk -v o="$ours" -v p="$peer" 'BEGIN { printf "ratio: %.2f (target <= 0.5); ours %.0f KB per page (target <= 400 KB)\n", o / p, o / 1000 }'
