#!/usr/bin/env bash
# Installs what is needed, builds kioskd (release) and runs the kiosk on the embedded
# defaults of kiosk.conf: SQLite store in var/, the catalog in catalog/, the scanner through
# libsane on SANE's virtual `test` device, the printer through a private cupsd (printouts
# captured in var/cups/printed/), simulated card reader,
# API on http://127.0.0.1:8080. Extra arguments go to kioskd (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/setup-sane-test-device.sh var/sane
bash scripts/setup-cups.sh var/cups
# The demo reads a synthetic card in an emulated reader: a build with that reader in it
# (a kiosk's build, without the trait, has none).
swift build -c release --product kioskd --traits EmulatedCardReader
swift build -c release --product kioskctl --traits EmulatedCardReader
swift build -c release --product kiosk-sane --traits EmulatedCardReader
exec .build/release/kioskd --config kiosk.conf "$@"
