"""The central's intake rate for signed heartbeats (issue #16's target: the rate at p99 <= 50 ms).

Runs against a kiosk-central already serving (bench/central_heartbeats.sh starts one): each
worker process enrols a kiosk of its own with a token from argv, then sends signed heartbeats
(RFC 9421, the independent Python signer in scripts/central_signer.py) back to back on one
kept-alive connection for DURATION seconds. Prints requests per second and latency
percentiles for each concurrency. The load generator shares the machine's cores with the
server: the figures are a floor for the server alone.

Usage: central_heartbeats.py URL DURATION CONCURRENCY:TOKEN,TOKEN,... [CONCURRENCY:TOKENS ...]
"""

import base64
import datetime
import json
import multiprocessing
import os
import sys
import time

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
os.environ.setdefault("FUZZ_KIOSK", "unused")
from central_signer import KioskSigner  # noqa: E402


def heartbeat(sequence):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({
        "sequence": sequence, "kioskTime": now, "uptimeSeconds": 3600.0, "softwareVersion": "0.1.0",
        "catalogVersion": "0123456789abcdef", "goingOffline": False, "maintenance": False,
        "devices": [
            {"id": "scanner", "kind": "scanner", "state": "online"},
            {"id": "printer", "kind": "printer", "state": "online", "media": "paper_full"},
            {"id": "card_reader", "kind": "card_reader", "state": "online", "media": "card_absent"},
        ],
        "sessionsActive": 0, "sessionsToday": 12,
        "outbox": {"depth": 0, "quarantined": 0}, "freeDiskBytes": 50_000_000_000,
        "lastCommandId": 0, "commandResults": [],
    })


def worker(args):
    url, token, kiosk, duration = args
    key = Ed25519PrivateKey.generate()
    signer = KioskSigner(key, kiosk)
    session = requests.Session()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    body = json.dumps({"token": token, "kioskId": kiosk, "publicKey": base64.b64encode(public).decode(), "softwareVersion": "bench"})
    answer = session.post(url + "/v1/enrolments", data=body, headers={"Content-Type": "application/json"}, auth=signer, timeout=30)
    assert answer.status_code == 200, answer.text
    latencies = []
    sequence = 0
    end = time.monotonic() + duration
    while time.monotonic() < end:
        sequence += 1
        start = time.perf_counter()
        answer = session.post(url + "/v1/heartbeats", data=heartbeat(sequence), headers={"Content-Type": "application/json"}, auth=signer, timeout=30)
        latencies.append(time.perf_counter() - start)
        assert answer.status_code == 200, answer.text
    return latencies


def main():
    url, duration = sys.argv[1], float(sys.argv[2])
    for spec in sys.argv[3:]:
        concurrency, tokens = spec.split(":")
        tokens = tokens.split(",")
        assert len(tokens) == int(concurrency)
        jobs = [(url, token, f"BENCH-{concurrency}-{i}", duration) for i, token in enumerate(tokens)]
        with multiprocessing.Pool(len(jobs)) as pool:
            started = time.monotonic()
            results = pool.map(worker, jobs)
            elapsed = time.monotonic() - started
        latencies = sorted(x for r in results for x in r)
        n = len(latencies)
        p = lambda q: latencies[min(n - 1, int(q * n))] * 1000
        print(f"concurrency {concurrency}: {n} signed heartbeats, {n / duration:.0f} req/s, "
              f"p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms (wall {elapsed:.1f} s incl. enrolment)")


if __name__ == "__main__":
    main()
