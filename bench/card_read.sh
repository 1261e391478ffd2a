#!/usr/bin/env bash
# Card-read benchmark (issue #5): DG1 + DG13 + EF.SOD from the virtual CCCD chip, BAC, secure
# messaging and passive authentication, on a short-APDU and an extended-length reader.
# Prints APDUs per read against JMRTD's default count for the same files, and CPU per read.
# Usage: bench/card_read.sh [reads]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product card-read-bench >/dev/null
.build/release/card-read-bench "${1:-200}"
