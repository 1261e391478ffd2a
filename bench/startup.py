#!/usr/bin/env python3
"""kioskd start-to-ready time (the health endpoint answering, and systemd's READY=1 on a
NOTIFY_SOCKET the benchmark binds), idle resident memory and SIGTERM shutdown time (release
build). Targets (#18): READY=1 <= 300 ms, idle RSS <= 40 MB.

Usage: python3 bench/startup.py [--runs N] [--binary .build/release/kioskd]

Each run starts kioskd on a fresh store in a temporary directory, with kioskd's defaults
except what the configuration below names: the repository's catalog, the scanner through
libsane on SANE's `test` device (prepared by scripts/setup-sane-test-device.sh), and the
simulated printer and card reader (no cupsd or USB reader is needed). It polls GET /api/v1/health every 2 ms until it answers 200, waits 5 s
idle, reads VmRSS from /proc, then sends SIGTERM and waits for the exit.
"""
import argparse, os, signal, socket, statistics, subprocess, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=0.5) as r:
            return r.status == 200
    except OSError:
        return False


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def one_run(binary):
    with tempfile.TemporaryDirectory() as d:
        port = free_port()
        conf = os.path.join(d, "kiosk.conf")
        subprocess.run(["bash", os.path.join(ROOT, "scripts/setup-sane-test-device.sh"), os.path.join(d, "sane")],
                       check=True, stdout=subprocess.DEVNULL)
        with open(conf, "w") as f:
            f.write(f'[api]\nlisten = "127.0.0.1:{port}"\n[catalog]\ndirectory = "{ROOT}/catalog"\n'
                    f'[devices.scanner]\ndriver = "sane"\ndevice = "test:0"\nsane_config_dir = "sane"\n'
                    f'[devices.printer]\ndriver = "simulated"\n[devices.card_reader]\ndriver = "simulated"\n')
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(os.path.join(d, "notify"))
        notify.settimeout(0.002)
        env = dict(os.environ, NOTIFY_SOCKET=os.path.join(d, "notify"))
        t0 = time.perf_counter()
        p = subprocess.Popen([binary, "--config", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        startup = notified = None
        while startup is None or notified is None:
            if p.poll() is not None:
                raise SystemExit(f"kioskd exited with {p.returncode}")
            if time.perf_counter() - t0 > 30:
                raise SystemExit("kioskd not ready after 30 s")
            try:
                if notified is None and b"READY=1" in notify.recv(4096).split(b"\n"):
                    notified = time.perf_counter() - t0
            except socket.timeout:
                pass
            if startup is None and ready(port):
                startup = time.perf_counter() - t0
        notify.close()
        time.sleep(5)
        rss = rss_kib(p.pid)
        t1 = time.perf_counter()
        p.send_signal(signal.SIGTERM)
        code = p.wait(timeout=30)
        return startup, rss, time.perf_counter() - t1, code, notified


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/kioskd"))
    a = ap.parse_args()
    if not os.path.exists(a.binary):
        raise SystemExit(f"{a.binary} missing: run `swift build -c release --product kioskd` first")
    results = [one_run(a.binary) for _ in range(a.runs)]
    starts = [r[0] * 1000 for r in results]
    rss = [r[1] / 1024 for r in results]
    stops = [r[2] * 1000 for r in results]
    print(f"runs: {a.runs}")
    print(f"start-to-ready ms: median {statistics.median(starts):.1f}  min {min(starts):.1f}  max {max(starts):.1f}")
    notified = [r[4] * 1000 for r in results]
    print(f"start to READY=1 ms: median {statistics.median(notified):.1f}  max {max(notified):.1f} (target <= 300)")
    print(f"idle RSS MiB (after 5 s): median {statistics.median(rss):.1f}  max {max(rss):.1f}")
    print(f"SIGTERM to exit ms: median {statistics.median(stops):.1f}  max {max(stops):.1f}; exit codes {sorted(set(r[3] for r in results))}")


if __name__ == "__main__":
    main()
