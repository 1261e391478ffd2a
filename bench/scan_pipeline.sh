#!/usr/bin/env bash
# CPU cost per page, scanner to PDF, side by side on SANE's `test` device: 10-page feeder
# batches, A4, 200 dpi, colour ("Color pattern" test picture):
#   1. kioskctl scan (this project: libsane → deskew, crop, paper whitening, blank detection →
#      JPEG via libjpeg-turbo → PDF, each page compressed while the next one scans)
#   2. scanimage --format=jpeg --batch + img2pdf (PyPI, in bench/.venv)
#   3. scanimage --format=pnm --batch + ImageMagick convert (Debian's policy.xml denies PDF
#      output; this script removes that one line, as users do)
# and, as a floor, scanimage --format=jpeg --batch alone: acquisition and JPEG, no PDF, no
# page processing — what any pipeline on this device costs at the least.
# Needs a release build (swift build -c release --product kioskctl). Installs imagemagick and
# python3-venv with apt, img2pdf with pip. Prints CPU seconds (user+sys) and bytes per page.
set -euo pipefail
cd "$(dirname "$0")/.."
kioskctl=.build/release/kioskctl
scan=(scanimage -d test:0 --source "Automatic Document Feeder" --mode Color --resolution 200 -x 210 -y 297 --test-picture "Color pattern")

# One pipeline, run as its own process so that /usr/bin/time counts all of it.
if [ "${1:-}" = "--run" ]; then
  work="$3"
  case "$2" in
    ours) "$kioskctl" scan --device test:0 --source feeder --mode color --dpi 200 --option "test-picture=Color pattern" -o "$work/ours.pdf" ;;
    img2pdf)
      rm -f "$work"/p*.jpg
      "${scan[@]}" --format=jpeg --batch="$work/p%02d.jpg" && bench/.venv/bin/img2pdf "$work"/p*.jpg -o "$work/img2pdf.pdf" ;;
    floor)
      rm -f "$work"/p*.jpg
      "${scan[@]}" --format=jpeg --batch="$work/p%02d.jpg" ;;
    magick)
      rm -f "$work"/p*.pnm
      "${scan[@]}" --format=pnm --batch="$work/p%02d.pnm" && /usr/bin/convert "$work"/p*.pnm "$work/magick.pdf" ;;
  esac
  exit
fi

runs="${RUNS:-3}"
bash scripts/install-deps.sh >/dev/null
# Check the package, not the command: some images ship a `convert` stand-in.
dpkg-query -W -f='${Status}' imagemagick 2>/dev/null | grep -q "install ok installed" || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends imagemagick >/dev/null
python3 -m venv bench/.venv >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >/dev/null; python3 -m venv bench/.venv; }
bench/.venv/bin/pip install -q img2pdf
policy=$(ls /etc/ImageMagick-6/policy.xml 2>/dev/null || true)
[ -n "$policy" ] && sed -i '/pattern="PDF"/d' "$policy"
[ -x "$kioskctl" ] || { echo "build first: swift build -c release --product kioskctl" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash scripts/setup-sane-test-device.sh "$work/sane" >/dev/null
export SANE_CONFIG_DIR="$work/sane"

# Debian's libsane can hang a process at exit on the dynamic loader's lock (a backend thread
# cancelled inside the loader; seen in scanimage as in our helper): a run that hangs is killed
# after 120 s, counted, and run again.
hangs=""
for name in ours img2pdf magick floor; do
  total=0
  done_runs=0
  while [ "$done_runs" -lt "$runs" ]; do
    status=0
    timeout -k 5 120 /usr/bin/time -f "%U %S" -o "$work/t" bash "$0" --run "$name" "$work" >/dev/null 2>"$work/err" || status=$?
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then hangs="$hangs $name"; echo "$name: a run hung and was killed; running it again" >&2; continue; fi
    [ "$status" -eq 0 ] || { cat "$work/err" >&2; exit 1; }
    total=$(awk -v a="$total" '{ print a + $1 + $2 }' "$work/t")
    done_runs=$((done_runs + 1))
  done
  declare "cpu_$name=$(awk -v t="$total" -v r="$runs" 'BEGIN { printf "%.4f", t / r / 10 }')"
done
size() { stat -c %s "$1"; }
printf "%-28s %12s %14s\n" "pipeline (10 pages)" "CPU s/page" "bytes/page"
printf "%-28s %12s %14s\n" "kioskctl scan" "$cpu_ours" "$(( $(size "$work/ours.pdf") / 10 ))"
printf "%-28s %12s %14s\n" "scanimage jpeg + img2pdf" "$cpu_img2pdf" "$(( $(size "$work/img2pdf.pdf") / 10 ))"
printf "%-28s %12s %14s\n" "scanimage pnm + convert" "$cpu_magick" "$(( $(size "$work/magick.pdf") / 10 ))"
printf "%-28s %12s %14s\n" "floor: scanimage jpeg alone" "$cpu_floor" "-"
awk -v o="$cpu_ours" -v i="$cpu_img2pdf" -v m="$cpu_magick" -v f="$cpu_floor" \
  'BEGIN { printf "ratio vs img2pdf: %.2f (target <= 1.0); vs ImageMagick: %.2f (target <= 0.15)\n", o / i, o / m
           printf "floor vs ImageMagick: %.2f; img2pdf vs ImageMagick: %.2f\n", f / m, i / m }'
echo "runs that hung and were run again:${hangs:- none}"
for f in ours img2pdf magick; do printf "%-10s " "$f"; pdfimages -list "$work/$f.pdf" | awk 'NR==3 { print "first image:", $4 "x" $5, $9, "x-ppi", $13 }'; done
