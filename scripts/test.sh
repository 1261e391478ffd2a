#!/usr/bin/env bash
# Installs what is needed, builds everything and runs every test: the flow engine, the
# catalog, the store on a real SQLite file, the API in-process and live, and real kioskd
# processes killed with SIGKILL; the screen in a real browser; both OpenAPI documents (the
# central's, kioskd's local API), and a live central and a live kioskd fuzzed from them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The code's format is checked, not argued about: .swift-format, the toolchain's swift-format.
if ! swift format lint --strict -r Sources Tests bench/CardRead bench/OutboxSeed Package.swift; then
  echo "test.sh: the code is not formatted; run: swift format -i -r Sources Tests bench/CardRead bench/OutboxSeed Package.swift" >&2
  exit 1
fi
# The central's protocol and kioskd's local API are written down (OpenAPI 3.1) and checked.
pytools="$(bash scripts/python-tools.sh)"
"$pytools/openapi-spec-validator" docs/central-api.yaml docs/kiosk-api.yaml
# The tests drive kioskd with the emulated card reader too, so they build with it.
swift build --build-tests --traits EmulatedCardReader
# The suite takes seconds; a hang (see README: libsane's thread cancellation) fails fast
# instead of holding CI for its whole time limit.
timeout -k 10 900 swift test --skip-build
# The applicant's screen in a real browser (Debian's chromium through Playwright) against real
# kioskd processes: every procedure by taps, the idle wipe, device faults, axe-core on every
# screen. Screenshots of every step go to .build/screen-artifacts/.
timeout -k 10 1200 "$pytools/python" -m pytest -q -p no:cacheprovider browser-tests
# A real kiosk-central fuzzed from that document (schemathesis, bounded): no 5xx, nothing
# undocumented.
timeout -k 10 600 bash scripts/fuzz-central.sh 60
# A live kioskd fuzzed from its document on the applicant's port (bounded): no 5xx, every error
# {code, message:{vi,en}}, the technician's operations refused, kioskd still answering.
timeout -k 10 600 bash scripts/fuzz-kiosk.sh 40
