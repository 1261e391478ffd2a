#!/usr/bin/env bash
# Regenerates docs/screen-gallery.md: every step of the certified-copy filing with the ID card,
# at 1080×1920 (portrait) and 1920×1080 (landscape), and the screens for an idle applicant, a
# printer out of paper, a scanner jam, a card lifted mid-read and the English screen. Runs the
# browser tests that photograph them (browser-tests/), then scales the screenshots down into
# docs/gallery/ (JPEG) and writes the page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
pytools="$(bash scripts/python-tools.sh)"
swift build --build-tests --traits EmulatedCardReader
rm -rf .build/screen-artifacts
"$pytools/python" -m pytest -q -p no:cacheprovider browser-tests \
  -k "SAMPLE-CT-001 or landscape or idle or printer or jam or lifted or language"
"$pytools/python" - <<'PY'
import glob
import os

from PIL import Image

out = "docs/gallery"
for old in glob.glob(f"{out}/*/*.jpg"):
    os.remove(old)
sections = []
for orientation, width in (("portrait", 360), ("landscape", 640)):
    os.makedirs(f"{out}/{orientation}", exist_ok=True)
    shots = sorted(glob.glob(f".build/screen-artifacts/{orientation}/*.png"))
    rows = []
    for shot in shots:
        name = os.path.splitext(os.path.basename(shot))[0]
        image = Image.open(shot).convert("RGB")
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
        target = f"{out}/{orientation}/{name}.jpg"
        image.save(target, "JPEG", quality=80, optimize=True)
        rows.append(f"| `{name}` | ![{name}](gallery/{orientation}/{name}.jpg) |")
    sections.append(f"## {orientation.capitalize()}\n\n| screen | |\n|---|---|\n" + "\n".join(rows))
with open("docs/screen-gallery.md", "w") as f:
    f.write("# The applicant's screen, step by step\n\n"
            "Made by `scripts/screen-gallery.sh` from the browser tests' screenshots (Debian's chromium, "
            "a real kioskd with the SANE `test` scanner, a private cupsd and the emulated card reader). "
            "The names are those of the synthetic citizen on the emulated card.\n\n" + "\n\n".join(sections) + "\n")
print(f"docs/screen-gallery.md: {sum(len(glob.glob(f'{out}/{o}/*.jpg')) for o in ('portrait', 'landscape'))} screens")
PY
