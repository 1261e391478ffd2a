#!/usr/bin/env bash
# Installs what is needed, builds kioskd (release) and runs the kiosk on the embedded
# defaults of kiosk.conf: SQLite store in var/, the catalog in catalog/, the scanner through
# libsane on SANE's virtual `test` device, the printer through a private cupsd (printouts
# captured in var/cups/printed/), the emulated card reader, API on http://127.0.0.1:8080.
# Beside it, a local reference central (kiosk-central, state in var/central, on
# http://127.0.0.1:9080) that the kiosk enrols with on its first run, so that sealed dossiers
# arrive there; KIOSK_CENTRAL=none runs the kiosk alone. Extra arguments go to kioskd
# (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/setup-sane-test-device.sh var/sane
bash scripts/setup-cups.sh var/cups
# The demo reads a synthetic card in an emulated reader: a build with that reader in it
# (a kiosk's build, without the trait, has none).
for product in kioskd kioskctl kiosk-sane kiosk-central; do
  swift build -c release --product "$product" --traits EmulatedCardReader
done

# kioskd's address: its --listen if given, else kiosk.conf's.
listen="127.0.0.1:8080"
args=("$@")
for i in "${!args[@]}"; do
  if [ "${args[$i]}" = "--listen" ] && [ $((i + 1)) -lt ${#args[@]} ]; then listen="${args[$((i + 1))]}"; fi
done

if [ "${KIOSK_CENTRAL:-local}" = "local" ]; then
  central_listen="${KIOSK_CENTRAL_LISTEN:-127.0.0.1:9080}"
  mkdir -p var/central
  .build/release/kiosk-central serve --state var/central --listen "$central_listen" --heartbeat-seconds 30 >>var/central/central.log 2>&1 &
  central_pid=$!
  trap 'kill "$central_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://$central_listen/v1/health" 2>/dev/null && break
    if ! kill -0 "$central_pid" 2>/dev/null; then
      echo "run-kiosk.sh: the local central did not start (is $central_listen in use? KIOSK_CENTRAL_LISTEN=HOST:PORT picks another):" >&2
      tail -3 var/central/central.log >&2
      exit 1
    fi
    sleep 0.1
  done
  # Once kioskd answers: enrol it, unless it is already enrolled (a later run).
  (
    for _ in $(seq 1 600); do
      curl -fsS -o /dev/null "http://$listen/api/v1/health" 2>/dev/null && break
      sleep 0.2
    done
    if ! .build/release/kioskctl link --json 2>/dev/null | grep -q '"enrolled" *: *true'; then
      kiosk_id="$(sed -n 's/^id *= *"\(.*\)"/\1/p' kiosk.conf | head -1)"
      token="$(.build/release/kiosk-central token --state var/central --unit 000.00.31.H29 --kiosk "$kiosk_id" | tail -1)"
      .build/release/kioskctl enroll --central "http://$central_listen" --token "$token" >/dev/null &&
        echo "run-kiosk.sh: kiosk $kiosk_id enrolled with the local central on http://$central_listen (its log: var/central/central.log)" >&2
    fi
  ) &
fi
# The applicant's screen, served by kioskd itself; on a machine with a display, in Chromium's
# kiosk mode (full screen, no address bar, no storage kept: incognito). KIOSK_BROWSER=none
# leaves it to you.
echo "run-kiosk.sh: the applicant's screen: http://$listen/  (chromium --kiosk --app=http://$listen/)" >&2
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${KIOSK_BROWSER:-chromium}" != "none" ] && command -v chromium >/dev/null; then
  (
    for _ in $(seq 1 600); do
      curl -fsS -o /dev/null "http://$listen/api/v1/health" 2>/dev/null && break
      sleep 0.2
    done
    chromium --kiosk --app="http://$listen/" --incognito --no-first-run --autoplay-policy=no-user-gesture-required >/dev/null 2>&1
  ) &
fi
.build/release/kioskd --config kiosk.conf "$@"
