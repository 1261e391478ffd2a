#!/usr/bin/env bash
# The reference central's intake of signed heartbeats on this machine: a release kiosk-central
# (SQLite state in a temporary directory) and 1, 2 and 4 kiosks sending back to back
# (bench/central_heartbeats.py). Target (#16): the rate at p99 <= 50 ms.
# Needs: swift build -c release --product kiosk-central
set -euo pipefail
cd "$(dirname "$0")/.."
central=.build/release/kiosk-central
[ -x "$central" ] || { echo "build first: swift build -c release --product kiosk-central" >&2; exit 1; }
bin="$(bash scripts/python-tools.sh)"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$central" serve --state "$work/state" --listen "127.0.0.1:$port" --log-level warning >"$work/central.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/health" 2>/dev/null && break; sleep 0.1; done
specs=()
for c in 1 2 4; do
  tokens=()
  for i in $(seq 0 $((c - 1))); do tokens+=("$("$central" token --state "$work/state" --unit 000.00.31.H29 --kiosk "BENCH-$c-$i" | tail -1)"); done
  specs+=("$c:$(IFS=,; echo "${tokens[*]}")")
done
"$bin/python" bench/central_heartbeats.py "http://127.0.0.1:$port" "${BENCH_SECONDS:-10}" "${specs[@]}"
echo "server CPU: $(ps -o times= -p "$pid") s over the run"
