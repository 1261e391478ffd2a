#!/usr/bin/env bash
# Fuzzes a live kioskd's local API from its OpenAPI document (docs/kiosk-api.yaml) with
# schemathesis, on the applicant's TCP port — what a page in the kiosk's browser or any
# process on the machine can reach: every operation, with generated valid and invalid
# requests (the technician's must all be refused there, 403). Fails on any 5xx, a response the
# document does not describe (every error must be {code, message:{vi,en}}), or a kioskd that
# stops answering or logs an unexpected error. Usage: scripts/fuzz-kiosk.sh [MAX_EXAMPLES]
# (default 40 per operation). Needs kioskd built (swift build --traits EmulatedCardReader).
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-40}"
bin="$(bash scripts/python-tools.sh)"
kioskd="$(swift build --show-bin-path)/kioskd"
[ -x "$kioskd" ] || { echo "fuzz-kiosk.sh: build first (swift build): no $kioskd" >&2; exit 1; }
source scripts/fuzz-common.sh
port="$(free_port)"
cat > "$work/kiosk.conf" <<CONF
[api]
listen = "127.0.0.1:$port"
[catalog]
directory = "$PWD/catalog"
[screen]
directory = "$PWD/screen"
[devices.scanner]
driver = "simulated"
page_delay_ms = 5
[devices.printer]
driver = "simulated"
[devices.card_reader]
driver = "simulated"
CONF
"$kioskd" --config "$work/kiosk.conf" >"$work/kioskd.log" 2>&1 &
pid=$!
wait_ready "fuzz-kiosk.sh: kioskd" "http://127.0.0.1:$port/api/v1/health" "$work/kioskd.log"
status=0
# /api/v1/events is a stream that stays open (the screen's): not fuzzed here; its refusals are
# tested in the Swift suite. One worker, as in fuzz-central.sh.
"$bin/st" run docs/kiosk-api.yaml --url "http://127.0.0.1:$port" \
  --exclude-path /api/v1/events \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed 8080 --workers 1 --request-timeout 20 \
  --report junit --report-dir "$work/report" --no-color || status=$?
if ! kill -0 "$pid" 2>/dev/null; then
  echo "fuzz-kiosk.sh: kioskd died during the run:" >&2
  tail -30 "$work/kioskd.log" >&2
  exit 1
fi
# kioskd is still whole: it answers, and it logged nothing critical.
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/health" || { echo "fuzz-kiosk.sh: kioskd stopped answering" >&2; status=1; }
if grep -q ' critical \| error kioskd: .*Unrecognised' "$work/kioskd.log"; then
  echo "fuzz-kiosk.sh: kioskd logged a critical error:" >&2
  grep ' critical ' "$work/kioskd.log" | head -5 >&2
  status=1
fi
sessions="$(grep -c 'session started' "$work/kioskd.log" || true)"
echo "fuzz-kiosk.sh: $sessions sessions started by the fuzzer; kioskd still answers"
exit "$status"
