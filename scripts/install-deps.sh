#!/usr/bin/env bash
# Installs the Debian packages kioskd needs to build, run and test, on Debian 12.
# Safe to run again. Runs apt-get through sudo when not root.
set -euo pipefail

packages=(
  libsqlite3-dev   # SQLite, used through GRDB for the kiosk's store
  libsane-dev      # SANE, the scanner driver library
  libsane1         # SANE backends, including the `test` device used by the tests and the demo
  sane-utils       # scanimage, for technicians
  libturbojpeg0-dev  # libjpeg-turbo, compressing scanned pages
  zlib1g-dev       # zlib, lossless compression of black-and-white pages
  libcups2-dev     # libcups, the printer driver library
  cups             # cupsd: the kiosk runs a private one (scripts/setup-cups.sh)
  cups-client      # lpadmin, lpstat, cupsenable/cupsdisable: queue set-up, technicians
  cups-ipp-utils   # ippeveprinter, ipptool: an IPP printer for the tests
  libpango1.0-dev  # Pango: printouts laid out with real text shaping (Vietnamese diacritics)
  libcairo2-dev    # Cairo: printouts drawn to a thermal printer's bitmap or to PDF
  libqrencode-dev  # libqrencode: the receipt's tracking QR code
  fonts-noto-core  # Noto Sans, which covers Vietnamese
  fonts-dejavu-core  # DejaVu Sans, the fallback font
  libusb-1.0-0-dev # libusb, the CCID card reader driver's USB access
  libssl-dev       # OpenSSL's libcrypto: BAC (3DES, retail MAC), SHA, CMS for passive authentication
  openssl          # tests make a throw-away CA and sign the virtual card's SOD with it
  umockdev         # tests run the real libusb code against an emulated CCID reader
  libfaketime      # tests run a kioskd whose wall clock is 10 minutes off
  zbar-tools       # zbarimg: tests scan the printed QR code back
  dbus-daemon      # a private D-Bus bus, which ippeveprinter needs in the tests
  libgs-common     # the sRGB ICC profile that dossier PDFs (PDF/A-2b) name as their output intent
  poppler-utils    # pdfinfo, pdfimages: tests check the PDFs with a real parser
  qpdf             # qpdf --check, likewise
  libxml2-utils    # xmllint: tests check that the PDFs' XMP metadata is well-formed XML
  sqlite3          # the sqlite3 shell, for technicians inspecting the store
  curl             # the README's examples
  python3          # the tests' Python tools: the OpenAPI validator and the central's fuzzer
  python3-venv     #   (in a virtual environment, scripts/python-tools.sh)
  espeak-ng        # the screen's spoken guidance: Vietnamese (and English) speech, offline
  systemd          # systemd-analyze: the tests verify the units in systemd/ (no systemd needs to run)
  chromium         # the kiosk's browser (kiosk mode); the screen's tests drive it with Playwright
  ca-certificates
)

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  cat >&2 <<'MSG'
The Swift toolchain (6.1 or newer) is not on PATH. It is not a Debian package: install the
Debian 12 toolchain from swift.org (for example under /opt/swift) and add its usr/bin to PATH.
MSG
  exit 1
fi
