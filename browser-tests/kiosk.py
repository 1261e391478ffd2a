"""A real kioskd for the screen's browser tests, on the real stacks with no hardware: SANE's
`test` scanner (scripts/setup-sane-test-device.sh), a private cupsd whose queues capture what
is printed (scripts/setup-cups.sh), and the emulated card reader holding the synthetic card.
Every process started here is stopped by `stop()`, pass or fail."""

import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# The tests run the debug build; the screen benchmark a release build (KIOSKD_BIN).
KIOSKD = os.environ.get("KIOSKD_BIN", os.path.join(ROOT, ".build", "debug", "kioskd"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP/1.1 over a Unix domain socket."""

    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Kiosk:
    def __init__(self, work, idle_seconds=180, scanner="sane"):
        """`scanner`: "sane" (the `test` device), or "simulated" for the faults SANE's test
        backend cannot make (a jam after the first page of a batch)."""
        self.work = work
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cups = os.path.join(work, "cups")
        self.env = dict(os.environ, CUPS_SERVER=os.path.join(self.cups, "cups.sock"))
        subprocess.run(["bash", "scripts/setup-sane-test-device.sh", os.path.join(work, "sane")], cwd=ROOT, check=True,
                       capture_output=True)
        subprocess.run(["bash", "scripts/setup-cups.sh", self.cups], cwd=ROOT, check=True, capture_output=True)
        # The technician socket: a short path of its own (a socket path holds 107 bytes at most).
        self.socket_dir = tempfile.mkdtemp(prefix="kiosk-tech-")
        self.socket = os.path.join(self.socket_dir, "kioskd.sock")
        self.conf = os.path.join(work, "kiosk.conf")
        with open(self.conf, "w") as f:
            f.write(f"""[kiosk]
id = "KIOSK-SCREEN-TEST"
[api]
listen = "127.0.0.1:{self.port}"
[store]
path = "{work}/kiosk.sqlite"
[catalog]
directory = "{ROOT}/catalog"
[screen]
directory = "{ROOT}/screen"
[session]
idle_timeout_seconds = {idle_seconds}
[devices.scanner]
driver = "{scanner}"
device = "test:0"
sane_config_dir = "{work}/sane"
feeder_pages = 2
page_delay_ms = 100
[devices.scanner.options]
test-picture = "Color pattern"
[devices.printer]
driver = "cups"
destination = "kiosk_receipt"
cups_server = "{self.cups}/cups.sock"
output_directory = "{work}/printed"
[devices.card_reader]
driver = "ccid"
reader = "virtual"
csca_directory = "{ROOT}/csca"
# A card lifted mid-read is waited for this long (the read starts over if it returns).
read_timeout_seconds = 8
[technician]
socket = "{self.socket}"
""")
        self.log = open(os.path.join(work, "kioskd.log"), "w")
        self.process = subprocess.Popen([KIOSKD, "--config", self.conf], stdout=self.log, stderr=subprocess.STDOUT, cwd=work,
                                        env=self.env)
        end = time.monotonic() + 180  # a busy machine: generous
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"kioskd exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > end:
                raise RuntimeError(f"kioskd did not answer within 180 s:\n{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines=40):
        if not self.log.closed:
            self.log.flush()
        with open(os.path.join(self.work, "kioskd.log"), encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def printed(self):
        """What reached the capture queues, file by file (the CUPS `capture` backend)."""
        files = [f for f in glob.glob(os.path.join(self.cups, "printed", "**"), recursive=True) if os.path.isfile(f)]
        return sorted(files, key=os.path.getmtime)

    def set_printer(self, uri):
        """Points the receipt queue at `uri` (fault:/paper-out, or back to capture)."""
        subprocess.run(["lpadmin", "-p", "kiosk_receipt", "-v", uri], env=self.env, check=True, capture_output=True)
        subprocess.run(["cupsenable", "kiosk_receipt"], env=self.env, check=True, capture_output=True)

    def capture_uri(self):
        return f"capture:{self.cups}/printed/receipt"

    def inject(self, device, fault):
        """A fault in a simulated device, or a hand at the emulated card reader (a technician's
        action: through the technician socket)."""
        status, text = self.technician("POST", f"devices/{device}/fault", {"fault": fault})
        assert status == 200, text

    def technician(self, method, path, body=None):
        """A call on kioskd's technician socket (what kioskctl uses): (status, body text)."""
        connection = UnixHTTPConnection(self.socket)
        try:
            payload = json.dumps(body) if body is not None else None
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            connection.request(method, f"/api/v1/{path}", body=payload, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.read().decode("utf-8")
        finally:
            connection.close()

    def api_raw(self, method, path):
        return requests.request(method, self.url + path, timeout=30)

    def api(self, method, path, body=None):
        return requests.request(method, f"{self.url}/api/v1/{path}", json=body, timeout=30)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        pid_file = os.path.join(self.cups, "cupsd.pid")
        if os.path.exists(pid_file):
            try:
                os.kill(int(open(pid_file).read().strip()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass
        shutil.rmtree(self.socket_dir, ignore_errors=True)
        self.log.close()


def chromium_path():
    return shutil.which("chromium") or "/usr/bin/chromium"
