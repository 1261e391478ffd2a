#!/usr/bin/env bash
# Reproduces the cupsd crash of Debian 12's CUPS 2.4.2-3+deb12u10 with ipptool alone, on a
# private cupsd (scripts/setup-cups.sh; nothing under /etc is touched). Prints one line per
# case: whether the request passed and whether cupsd is still alive after it.
# Usage: notes/cups-deb12u10-crash/reproduce.sh [DIR]   (default: a fresh temporary folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${1:-$(mktemp -d /tmp/cups-crash.XXXXXX)}"
doc="$dir/doc.txt"
mkdir -p "$dir"
echo "hello" > "$doc"
export CUPS_SERVER="$dir/cups/cups.sock"
uri="ipp://$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$CUPS_SERVER")/printers/kiosk_receipt"
echo "cups-daemon $(dpkg-query -W -f='${Version}' cups-daemon 2>/dev/null || echo '?')"

alive() {
  local pid
  pid="$(cat "$dir/cups/cupsd.pid")"
  # A killed cupsd whose parent is gone may linger as a zombie: kill -0 is not enough.
  [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat")" != "Z" ]
}

case_() {  # case_ NAME TESTFILE VAR=VALUE...
  local name="$1" test="$2"; shift 2
  # A fresh cupsd each time: the job that crashed one is kept and crashes the next at start.
  [ -f "$dir/cups/cupsd.pid" ] && kill -9 "$(cat "$dir/cups/cupsd.pid")" 2>/dev/null || true
[ -n "${1:-}" ] || rm -rf "$dir"
  rm -rf "$dir/cups"
  bash "$root/scripts/setup-cups.sh" "$dir/cups" >/dev/null
  local result
  result="$(env "$@" ipptool -t -f "$doc" "$uri" "$here/$test" 2>&1 | grep -cE '\[FAIL\]' || true)"
  sleep 0.5
  if alive; then state="cupsd alive"; else state="cupsd DEAD"; fi
  printf '%-58s %s, %s\n' "$name" "$([ "$result" = 0 ] && echo passed || echo FAILED)" "$state"
}

case_ 'Create-Job + Send-Document, document-name "a-b"' create-send.test DOCNAME=a-b
case_ 'Create-Job + Send-Document, document-name "a b"' create-send.test "DOCNAME=a b"
case_ 'Print-Job, job-name "a b", document-name "a-b"'  print-job.test ATTRNAME=document-name VALUE=a-b
case_ 'Print-Job, job-name "a b", document-name "a b"'  print-job.test ATTRNAME=document-name "VALUE=a b"
case_ 'Print-Job, job-billing (name) "a b"'             print-job.test ATTRNAME=job-billing "VALUE=a b"
kill -9 "$(cat "$dir/cups/cupsd.pid")" 2>/dev/null || true
[ -n "${1:-}" ] || rm -rf "$dir"
