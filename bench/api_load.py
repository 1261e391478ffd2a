#!/usr/bin/env python3
"""kioskd's local API under load (#18), release build, with wrk (Debian) on the same machine.

Targets: at 200 requests/s, p99 latency <= 5 ms for GET of a session's screen and for POST of
an answer event; and the cost of a /metrics scrape. Each is run side by side with its floor:
GET /api/v1/health, the smallest answer kioskd makes (the HTTP stack's own cost), at the same
rate; and for the POST, what the store must do for every accepted event (a committed SQLite
write transaction on the same disk) measured by the store's own `sqlite3` CLI.

The rate is held by wrk's `delay()`: each of 4 connections waits after each answer, the wait
calibrated so that ~200 requests/s go out in all; latency excludes that wait. The answer event is valid each time (the
same phone number), so every POST is a full load-apply-save of the session.

Usage: python3 bench/api_load.py [--seconds 20] [--binary .build/release/kioskd]
"""
import argparse, json, os, signal, socket, subprocess, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DONE = """
function done(summary, latency, requests)
  io.write(string.format('{"requests":%d,"seconds":%f,"p50":%d,"p90":%d,"p99":%d,"max":%d,"errors":%d,"non2xx":%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read() or b"{}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url, seconds, work, name, method="GET", body=None, rate=200, connections=4, delay_ms=None):
    """`rate`: requests/s to hold (None: as fast as one answer after another). wrk waits
    `delay()` ms after each answer on each connection; the wait is set from a 3 s calibration
    run so that the cycle (wait + answer) gives `rate` over all connections."""
    if rate and delay_ms is None:
        trial = wrk(url, 3, work, name + "-calibration", method, body, rate, connections, delay_ms=connections * 1000 / rate)
        service_ms = connections * 1000 / trial["rate"] - connections * 1000 / rate
        delay_ms = max(0.0, connections * 1000 / rate - service_ms)
    script = os.path.join(work, f"{name}.lua")
    with open(script, "w") as f:
        if method != "GET":
            f.write(f'wrk.method = "{method}"\nwrk.body = {json.dumps(body)}\nwrk.headers["Content-Type"] = "application/json"\n')
        if rate:
            f.write(f"function delay() return {round(delay_ms)} end\n")
        f.write(DONE)
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script, url],
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rate"] = result["requests"] / result["seconds"]
    return result


def line(label, r):
    return (f"{label:38s} {r['rate']:7.0f} req/s  p50 {r['p50'] / 1000:6.2f} ms  p90 {r['p90'] / 1000:6.2f} ms  "
            f"p99 {r['p99'] / 1000:6.2f} ms  max {r['max'] / 1000:6.2f} ms  errors {r['errors']} non-2xx {r['non2xx']}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/kioskd"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        conf = os.path.join(work, "kiosk.conf")
        with open(conf, "w") as f:
            f.write(f'[api]\nlisten = "127.0.0.1:{port}"\n[catalog]\ndirectory = "{ROOT}/catalog"\n'
                    f'[session]\nidle_timeout_seconds = 3600\n'
                    f'[devices.scanner]\ndriver = "simulated"\n[devices.printer]\ndriver = "simulated"\n'
                    f'[devices.card_reader]\ndriver = "simulated"\n')
        log = open(os.path.join(work, "kioskd.log"), "w")
        p = subprocess.Popen([a.binary, "--config", conf], stdout=log, stderr=log)
        try:
            for _ in range(300):
                try:
                    call(port, "GET", "health")
                    break
                except OSError:
                    time.sleep(0.05)
            session = call(port, "POST", "sessions", {"language": "vi"})["id"]
            for event in [{"type": "choose_procedure", "code": "SAMPLE-CT-001"},
                          {"type": "identify_typed", "idNumber": "001185012345", "fullName": "Nguyễn Thị Thử Nghiệm",
                           "dateOfBirth": "05/09/1985", "sex": "female"},
                          {"type": "next"}]:
                call(port, "POST", f"sessions/{session}/events", event)
            answer = {"type": "answer", "answers": {"phone": "0912345678"}}
            step = call(port, "POST", f"sessions/{session}/events", answer)["step"]
            assert step == "form", step
            base = f"http://127.0.0.1:{port}/api/v1"
            print(f"kioskd {a.binary} (release), wrk -t1 -c4, {a.seconds} s each, 2 cores shared with wrk")
            print("at 200 requests/s (target p99 <= 5 ms):")
            print(line("  floor: GET /health", wrk(f"{base}/health", a.seconds, work, "health")))
            print(line("  GET /sessions/{id} (the screen)", wrk(f"{base}/sessions/{session}", a.seconds, work, "screen")))
            print(line("  POST /sessions/{id}/events (answer)", wrk(f"{base}/sessions/{session}/events", a.seconds, work,
                                                                  "answer", "POST", json.dumps(answer))))
            # The store's own floor for the POST: one committed write transaction, as the sqlite3
            # CLI does it on a copy of the same database (same disk, same journal mode).
            store = os.path.join(work, "var/kiosk.sqlite")
            copy = os.path.join(work, "floor.sqlite")
            subprocess.run(["sqlite3", store, f".backup {copy}"], check=True)
            n = 2000
            sql = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS t(x);\n" + \
                  "".join("BEGIN IMMEDIATE; INSERT INTO t VALUES (randomblob(4000)); COMMIT;\n" for _ in range(n))
            t0 = time.perf_counter()
            subprocess.run(["sqlite3", copy], input=sql, text=True, check=True, capture_output=True)
            commit_ms = (time.perf_counter() - t0) * 1000 / n
            print(f"  floor for the POST: a committed SQLite write (4 KB, WAL, synchronous=FULL): {commit_ms:.2f} ms each (mean of {n})")
            # /metrics: closed loop on one connection; CPU per scrape from kioskd's own counters.
            size = len(urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read())
            before = cpu_seconds(p.pid)
            scrape = wrk(f"http://127.0.0.1:{port}/metrics", 10, work, "metrics", rate=None, connections=1)
            per_scrape = (cpu_seconds(p.pid) - before) * 1000 / scrape["requests"]
            before = cpu_seconds(p.pid)
            health = wrk(f"{base}/health", 10, work, "health-loop", rate=None, connections=1)
            per_health = (cpu_seconds(p.pid) - before) * 1000 / health["requests"]
            print("scrapes back to back, one connection:")
            print(line(f"  GET /metrics ({size / 1024:.1f} KB)", scrape) + f"  kioskd CPU {per_scrape:.3f} ms/scrape")
            print(line("  floor: GET /health", health) + f"  kioskd CPU {per_health:.3f} ms/request")
            print(f"  at one scrape every 15 s: {per_scrape / 15000 * 100:.4f} % of one core")
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
            log.close()


if __name__ == "__main__":
    main()
