#!/usr/bin/env bash
# Files one sample dossier through a running kioskd's API, as a screen would: the certified-copy
# procedure (SAMPLE-CT-001) for the synthetic citizen, identity typed, the original scanned on
# the SANE `test` device, counter delivery, submitted. Prints the session and the dossier's
# client UUID; with a central linked, the dossier then appears in its outbox and at the central.
# Usage: scripts/file-sample-dossier.sh [http://127.0.0.1:8080]
set -euo pipefail
api="${1:-http://127.0.0.1:8080}/api/v1"

post() { curl -fsS -H 'Content-Type: application/json' -d "$2" "$api/$1"; }
event() {
  if ! post "sessions/$session/events" "$1" >/dev/null; then
    echo "file-sample-dossier.sh: kioskd refused $1 (GET $api/sessions/$session shows why)" >&2
    exit 1
  fi
}

session="$(post sessions '{"language":"vi"}' | sed -n 's/.*"id":"\([0-9A-F-]*\)".*/\1/p')"
[ -n "$session" ] || { echo "file-sample-dossier.sh: no session from $api (is kioskd running?)" >&2; exit 1; }
event '{"type":"choose_procedure","code":"SAMPLE-CT-001"}'
event '{"type":"identify_typed","idNumber":"001185012345","fullName":"Nguyễn Thị Thử Nghiệm","dateOfBirth":"05/09/1985","sex":"female"}'
event '{"type":"next"}'
event '{"type":"answer","answers":{"phone":"0912345678","document_title":"Bằng","copy_count":1,"page_count":1}}'
event '{"type":"next"}'
event '{"type":"scan","documentId":"original"}'
# The scan runs in the background; the screen shows "pending" until it ends.
for _ in $(seq 1 300); do
  curl -fsS "$api/sessions/$session" | grep -q '"pending"' || break
  sleep 0.2
done
for body in '{"type":"next"}' '{"type":"skip_document","documentId":"copy"}' '{"type":"next"}' '{"type":"next"}' \
  '{"type":"choose_delivery","option":"counter"}' '{"type":"next"}' '{"type":"submit"}'; do
  event "$body"
done
dossier="$(curl -fsS "$api/sessions/$session" | sed -n 's/.*"clientUUID":"\([0-9A-F-]*\)".*/\1/p')"
[ -n "$dossier" ] || { echo "file-sample-dossier.sh: the session did not seal a dossier" >&2; exit 1; }
echo "session $session sealed dossier $dossier"
