#!/usr/bin/env bash
# Starts a private cupsd for the kiosk (nothing under /etc is touched, no system service):
# its configuration, spool and logs in DIR, a Unix socket DIR/cups.sock, and the kiosk's own
# backends (scripts/cups/capture, scripts/cups/fault) beside the system ones. Then creates
# the queues the default kiosk.conf prints to, both capturing into DIR/printed:
#   kiosk_receipt  raw (ESC/POS for an 80 mm thermal printer)
#   kiosk_a4       PDF
# Usage: scripts/setup-cups.sh [DIR]   (default: var/cups). Prints the CUPS_SERVER to use.
# Idempotent: a cupsd already running for DIR is reused. Stop it: kill $(cat DIR/cupsd.pid)
set -euo pipefail
trap 'echo "setup-cups: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
dir="$(realpath -m "${1:-var/cups}")"
command -v cupsd >/dev/null || { echo "setup-cups: cupsd is missing: install cups (scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$dir"/{spool,state,cache,tmp,log,printed,serverbin/backend}
chmod 0755 "$dir" "$dir/spool"
export CUPS_SERVER="$dir/cups.sock"

if [ -f "$dir/cupsd.pid" ] && kill -0 "$(cat "$dir/cupsd.pid")" 2>/dev/null && lpstat -r >/dev/null 2>&1; then
  echo "CUPS_SERVER=$CUPS_SERVER"
  exit 0
fi

for link in filter daemon cgi-bin driver; do
  [ -e /usr/lib/cups/$link ] && ln -sfn /usr/lib/cups/$link "$dir/serverbin/$link"
done
for backend in /usr/lib/cups/backend/*; do ln -sfn "$backend" "$dir/serverbin/backend/$(basename "$backend")"; done
# Backends with no group or other permission run as root (cupsd runs them so when it is root).
install -m 0700 scripts/cups/capture scripts/cups/fault "$dir/serverbin/backend/"

cat > "$dir/cupsd.conf" <<CONF
LogLevel warn
Listen $dir/cups.sock
Browsing No
WebInterface No
IdleExitTimeout 0
MaxJobs 1000
PreserveJobHistory Yes
# Queues and jobs are written to disk at once: a crashed cupsd forgets nothing.
DirtyCleanInterval 0
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
    Allow all
  </Limit>
</Policy>
CONF
cat > "$dir/cups-files.conf" <<CONF
FileDevice Yes
ServerRoot $dir
RequestRoot $dir/spool
StateDir $dir/state
CacheDir $dir/cache
TempDir $dir/tmp
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
ServerBin $dir/serverbin
SystemGroup root
CONF
cupsd -t -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" >"$dir/log/check.out" 2>&1 || { cat "$dir/log/check.out" >&2; exit 1; }
# cupsd keeps no descriptor of ours beyond 0-2: a caller waiting for this script's output
# (a test runner's pipes) must see it end when the script does.
(
  for fd in /proc/self/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done
  exec cupsd -f -c "$dir/cupsd.conf" -s "$dir/cups-files.conf"
) </dev/null >"$dir/log/cupsd.out" 2>&1 &
echo $! > "$dir/cupsd.pid"
for _ in $(seq 100); do lpstat -r >/dev/null 2>&1 && break; sleep 0.05; done
lpstat -r >/dev/null 2>&1 || { echo "setup-cups: cupsd did not start; see $dir/log" >&2; exit 1; }

# A just-started cupsd may refuse a first request while it settles: try a few times, and
# keep lpadmin's own error (less its notice that raw queues are deprecated).
admin() {
  for attempt in 1 2 3 4 5; do
    if lpadmin "$@" 2>"$dir/log/lpadmin.err"; then return 0; fi
    sleep 0.2
  done
  grep -v "deprecated" "$dir/log/lpadmin.err" >&2
  return 1
}
admin -p kiosk_receipt -E -v "capture:$dir/printed/receipt" -m raw -D "Kiosk receipt printer (80 mm, captured)"
admin -p kiosk_a4 -E -v "capture:$dir/printed/a4" -m raw -D "Kiosk A4 printer (PDF, captured)"
admin -d kiosk_receipt
echo "CUPS_SERVER=$CUPS_SERVER"
