# Sourced by scripts/fuzz-central.sh and scripts/fuzz-kiosk.sh: a work directory removed on
# exit, the daemon under test (its pid in $pid) stopped on exit, pass or fail, a free loopback
# port, and a wait for the daemon's health URL.
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_ready NAME URL LOG: until URL answers (60 s at most), or the daemon ($pid) exits.
wait_ready() {
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$1 exited:" >&2; cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not answer $2 within 60 s:" >&2
  tail -30 "$3" >&2
  exit 1
}
