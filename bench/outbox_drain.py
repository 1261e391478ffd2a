"""Issue #16's link benchmarks, on one local kiosk-central (release builds, SQLite state):

1. Outbox drain: a kiosk store holding BENCH_DOSSIERS sealed dossiers of ~2 MB each
   (bench/OutboxSeed) is enrolled; the time from enrolment to the last acknowledgement gives
   MB/s. Beside it, the floor: the same bytes, through the same protocol requests (manifest,
   1 MiB chunks, commit), each signed beforehand by the independent Python signer
   (scripts/central_signer.py), sent to the same central by ONE curl invocation that reuses
   one connection. Target: kiosk >= 0.8 x floor and >= 200 MB/s.
2. Recovery: a second kiosk, whose link runs through a small TCP relay here that timestamps
   each request line, is SIGKILLed mid-delivery BENCH_KILLS times; each time, the time from
   starting kioskd again to the first file chunk reaching the relay. Target: <= 1 s.
3. Heartbeat cost on the kiosk: that kiosk, its outbox empty, beats every 5 s (the shortest
   period the kiosk accepts) for a window, then, told by a restarted central to beat hourly,
   idles for the same window: the difference of kioskd's CPU over the difference of heartbeats.
   CPU from /proc/PID/stat (10 ms ticks: the windows are long). Target: <= 2 ms per heartbeat.

The kiosks use simulated devices (the link is what is measured). Run by bench/outbox_drain.sh.
"""

import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.path.join(ROOT, ".build", "release")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
os.environ.setdefault("FUZZ_KIOSK", "unused")
from central_signer import KioskSigner  # noqa: E402

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000"))
KILLS = int(os.environ.get("BENCH_KILLS", "10"))
BEAT_WINDOW = float(os.environ.get("BENCH_BEAT_SECONDS", "90"))
CHUNK = 1024 * 1024
UNIT = "000.00.31.H29"
processes = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, process, seconds=120):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited with {process.returncode} before answering {url}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def start(args, log, cwd=None):
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=cwd)
    processes.append(process)
    return process


def token(state, kiosk):
    out = subprocess.run([f"{BIN}/kiosk-central", "token", "--state", state, "--unit", UNIT, "--kiosk", kiosk],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def cpu_ns(pid):
    """CPU time of `pid`, threads that have ended included (user + system, in clock ticks of
    /proc/PID/stat), in nanoseconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


class Kiosk:
    """A kioskd with its own directory, store, configuration and log."""

    def __init__(self, work, name):
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir)
        self.id = name.upper()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.store = os.path.join(self.dir, "kiosk.sqlite")
        self.log_path = os.path.join(self.dir, "kioskd.log")
        self.conf = os.path.join(self.dir, "kiosk.conf")
        with open(self.conf, "w") as f:
            f.write(f"""[kiosk]
id = "{self.id}"
[api]
listen = "127.0.0.1:{self.port}"
[store]
path = "{self.store}"
[catalog]
directory = "{ROOT}/catalog"
[devices.scanner]
driver = "simulated"
[devices.printer]
driver = "simulated"
output_directory = "{self.dir}/printed"
[devices.card_reader]
driver = "simulated"
""")
        self.process = None
        self.log_offset = 0
        self.delivered = 0

    def seed(self, count):
        out = subprocess.run([f"{BIN}/outbox-seed", self.store, str(count)], check=True, capture_output=True, text=True).stdout
        print(f"  {self.id}: {out.strip()}", flush=True)

    def start(self):
        self.process = start([f"{BIN}/kioskd", "--config", self.conf], open(self.log_path, "a"), cwd=self.dir)
        return self.process

    def wait_ready(self):
        wait_http(self.url + "/api/v1/health", self.process)

    def enrol(self, central_url, central_state):
        subprocess.run([f"{BIN}/kioskctl", "enroll", "--config", self.conf, "--central", central_url,
                        "--token", token(central_state, self.id)], check=True, capture_output=True)

    def count_delivered(self):
        """Acknowledged dossiers so far, from the log's "dossier delivered" lines."""
        with open(self.log_path, "rb") as f:
            f.seek(self.log_offset)
            data = f.read()
        cut = data.rfind(b"\n") + 1
        self.log_offset += cut
        self.delivered += data[:cut].count(b"dossier delivered")
        return self.delivered

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def store_bytes(store):
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        return db.execute("SELECT SUM(bytes) FROM dossier_files").fetchone()[0]


# --- 1. Drain, and the curl floor -------------------------------------------------------------

def drain(kiosk, central_url, central_state):
    total = store_bytes(kiosk.store)
    kiosk.start()
    kiosk.wait_ready()
    cpu0, t0 = cpu_ns(kiosk.process.pid), time.monotonic()
    kiosk.enrol(central_url, central_state)
    while kiosk.count_delivered() < DOSSIERS:
        if kiosk.process.poll() is not None:
            raise SystemExit(f"kioskd exited during the drain; see {kiosk.log_path}")
        time.sleep(0.05)
    elapsed, cpu = time.monotonic() - t0, (cpu_ns(kiosk.process.pid) - cpu0) / 1e9
    return total, elapsed, cpu


class CurlRequest:
    """What KioskSigner signs: a method, a URL, headers and a body."""

    def __init__(self, method, url, body, content_type):
        self.method, self.url, self.body = method, url, body
        self.headers = {"Content-Type": content_type}


def curl_quoted(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def curl_floor(kiosk, central_url, central_state, work):
    """The files and manifests `kiosk` sent, re-addressed to a new kiosk identity and new
    dossier UUIDs, sent again as one curl invocation over one connection."""
    key = Ed25519PrivateKey.generate()
    signer = KioskSigner(key, "BENCH-CURL")
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    body = json.dumps({"token": token(central_state, "BENCH-CURL"), "kioskId": "BENCH-CURL",
                       "publicKey": base64.b64encode(public).decode(), "softwareVersion": "bench"})
    answer = requests.post(central_url + "/v1/enrolments", data=body, headers={"Content-Type": "application/json"},
                           auth=signer, timeout=30)
    assert answer.status_code == 200, answer.text

    chunks = os.path.join(work, "curl-chunks")
    os.makedirs(chunks)
    config = []
    total = 0

    def add(method, path, data, content_type, query=""):
        url = central_url + path + (("?" + query) if query else "")
        request = signer(CurlRequest(method, url, data, content_type))
        name = os.path.join(chunks, f"{len(config)}.bin")
        with open(name, "wb") as f:
            f.write(data)
        lines = [f'url = "{url}"', f'request = "{method}"', 'output = "/dev/null"',
                 'write-out = "%{http_code} %{num_connects}\\n"', f'data-binary = "@{name}"']
        lines += [f'header = "{k}: {curl_quoted(v)}"' for k, v in request.headers.items()]
        config.append("\n".join(lines))

    with sqlite3.connect(f"file:{kiosk.store}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT dossier_uuid, manifest FROM outbox ORDER BY rowid LIMIT ?", (DOSSIERS,)).fetchall()
        for old, manifest in rows:
            new = str(uuid.uuid4())
            m = json.loads(manifest)
            m["clientUUID"] = m["dossier"]["clientUUID"] = new.upper()
            m["kioskId"] = "BENCH-CURL"
            path = f"/v1/dossiers/{new}"
            add("PUT", path, json.dumps(m).encode(), "application/json")
            pdfs = [r[0] for r in db.execute("SELECT pdf FROM dossier_files WHERE dossier_uuid = ? ORDER BY rowid", (old,))]
            for file, pdf in zip(m["files"], pdfs):
                assert hashlib.sha256(pdf).hexdigest() == file["sha256"]
                total += len(pdf)
                for offset in range(0, len(pdf), CHUNK):
                    add("PUT", f"{path}/files/{file['name']}", pdf[offset:offset + CHUNK], "application/octet-stream",
                        f"offset={offset}")
            add("POST", f"{path}/commit", b"{}", "application/json")
    with open(os.path.join(work, "curl.conf"), "w") as f:
        f.write("\nnext\n".join(config) + "\n")
    started = time.monotonic()
    run = subprocess.run(["curl", "--silent", "--show-error", "--config", os.path.join(work, "curl.conf")],
                         capture_output=True, text=True)
    elapsed = time.monotonic() - started
    answers = [line.split() for line in run.stdout.splitlines()]
    assert run.returncode == 0 and len(answers) == len(config), run.stderr[-2000:]
    bad = [a for a in answers if a[0] != "200"]
    assert not bad, f"curl requests not answered 200: {bad[:5]}"
    connections = sum(int(a[1]) for a in answers)
    shutil.rmtree(chunks, ignore_errors=True)
    return total, elapsed, len(config), connections


# --- 2. Recovery, through a relay that timestamps request lines ---------------------------------

class Relay:
    """TCP relay 127.0.0.1:port -> the central; notes when each request line passes."""

    LINE = re.compile(rb"(PUT|POST|GET) (/v1/[^ ?]*)")

    def __init__(self, target_port):
        self.port = free_port()
        self.target = target_port
        self.events = []  # (monotonic time, method, path)
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port))
        ready.set()
        self.loop.run_forever()

    async def _client(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return

        async def pipe(source, sink, watch):
            try:
                while data := await source.read(1 << 16):
                    if watch:
                        now = time.monotonic()
                        for match in self.LINE.finditer(data):
                            with self.lock:
                                self.events.append((now, match.group(1).decode(), match.group(2).decode()))
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))

    def since(self, start, path_part):
        with self.lock:
            return [e for e in self.events if e[0] >= start and path_part in e[2]]


def recovery(kiosk, relay, central_state):
    kiosk.start()
    kiosk.wait_ready()
    mark = time.monotonic()
    kiosk.enrol(f"http://127.0.0.1:{relay.port}", central_state)
    times = []
    for n in range(KILLS + 1):
        end = time.monotonic() + 60
        while not (chunks := relay.since(mark, "/files/")):
            if time.monotonic() > end:
                raise SystemExit(f"no chunk within 60 s of a kioskd start; see {kiosk.log_path}")
            time.sleep(0.001)
        if n > 0:
            times.append(chunks[0][0] - mark)
        # Mid-delivery: let a few more chunks pass, then kill.
        time.sleep(0.02 * (n % 4))
        kiosk.kill()
        mark = time.monotonic()
        kiosk.start()
    kiosk.wait_ready()
    return times


# --- 3. Heartbeat CPU --------------------------------------------------------------------------

def cpu_window(kiosk, relay):
    """kioskd's CPU (ms) and the heartbeats it sent over BEAT_WINDOW seconds."""
    start = time.monotonic()
    before = cpu_ns(kiosk.process.pid)
    time.sleep(BEAT_WINDOW)
    return (cpu_ns(kiosk.process.pid) - before) / 1e6, len(relay.since(start, "/v1/heartbeats"))


def main():
    work = tempfile.mkdtemp(prefix="outbox-bench-")
    try:
        central_port = free_port()
        central_url = f"http://127.0.0.1:{central_port}"
        state = os.path.join(work, "central")

        def serve(period):
            process = start([f"{BIN}/kiosk-central", "serve", "--state", state, "--listen", f"127.0.0.1:{central_port}",
                             "--heartbeat-seconds", str(period), "--log-level", "warning"],
                            open(os.path.join(work, "central.log"), "a"))
            wait_http(central_url + "/v1/health", process)
            return process

        central = serve(5)

        print(f"1. outbox drain: {DOSSIERS} dossiers", flush=True)
        first = Kiosk(work, "bench-01")
        first.seed(DOSSIERS)
        total, elapsed, cpu = drain(first, central_url, state)
        first.process.terminate()
        first.process.wait()
        kiosk_rate = total / elapsed / 1e6
        print(f"  kioskd: {total / 1e6:.0f} MB in {elapsed:.2f} s = {kiosk_rate:.0f} MB/s "
              f"({DOSSIERS / elapsed:.0f} dossiers/s; kioskd CPU {cpu:.2f} s)", flush=True)
        floor_total, floor_elapsed, requests_sent, connections = curl_floor(first, central_url, state, work)
        floor_rate = floor_total / floor_elapsed / 1e6
        print(f"  curl floor: {floor_total / 1e6:.0f} MB in {floor_elapsed:.2f} s = {floor_rate:.0f} MB/s "
              f"({requests_sent} signed requests over {connections} connection(s))", flush=True)
        print(f"  kioskd / floor = {kiosk_rate / floor_rate:.2f}  (targets: >= 0.8 and >= 200 MB/s)", flush=True)

        print(f"2. recovery: {KILLS} SIGKILLs mid-delivery", flush=True)
        relay = Relay(central_port)
        second = Kiosk(work, "bench-02")
        left = 2 * KILLS + 10
        second.seed(left)
        times = recovery(second, relay, state)
        print(f"  restart -> first resumed chunk: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms over {len(times)} restarts (target <= 1000 ms)", flush=True)

        print(f"3. heartbeat CPU on the kiosk ({BEAT_WINDOW:.0f} s windows)", flush=True)
        # Every start of kioskd appended to the same log: count all of it.
        second.log_offset, second.delivered = 0, 0
        while second.count_delivered() < left:
            time.sleep(0.1)
        time.sleep(6)  # past the last delivery's work
        beating_ms, beats = cpu_window(second, relay)
        # The same kiosk on the same link, told by the central's answer to beat hourly.
        central.terminate()
        central.wait()
        central = serve(3600)
        time.sleep(7)
        quiet_ms, quiet_beats = cpu_window(second, relay)
        per_beat = (beating_ms - quiet_ms) / max(beats - quiet_beats, 1)
        print(f"  every 5 s: {beats} heartbeats, kioskd {beating_ms:.0f} ms CPU; hourly: {quiet_beats} heartbeats, "
              f"{quiet_ms:.0f} ms CPU -> {per_beat:.2f} ms per heartbeat (target <= 2 ms)", flush=True)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
