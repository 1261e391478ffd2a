"""`GET /metrics` of a live kioskd, parsed by Prometheus's own text parser (prometheus-client),
before and after a scripted certified-copy filing through the API: the series move, and no
personal data is in any of them."""

import time

from prometheus_client.parser import text_string_to_metric_families

from applicant import wait_until


def scrape(kiosk):
    answer = kiosk.api_raw("GET", "/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples, answer.text


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def file_by_api(kiosk):
    session = kiosk.api("POST", "sessions", {"language": "vi", "consent": "2026.1"}).json()["id"]

    def event(body):
        answer = kiosk.api("POST", f"sessions/{session}/events", body)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def settle():
        assert wait_until(lambda: kiosk.api("GET", f"sessions/{session}").json().get("pending") is None, 120)

    event({"type": "choose_procedure", "code": "SAMPLE-CT-001"})
    event({"type": "identify_typed", "idNumber": "001185012345", "fullName": "Nguyễn Thị Thử Nghiệm", "dateOfBirth": "05/09/1985"})
    event({"type": "next"})
    event({"type": "answer", "answers": {"phone": "0912345678", "document_title": "Bằng", "copy_count": 1, "page_count": 1}})
    event({"type": "next"})
    event({"type": "scan", "documentId": "original"})
    settle()
    event({"type": "next"})
    event({"type": "skip_document", "documentId": "copy"})
    for _ in range(3):
        screen = kiosk.api("GET", f"sessions/{session}").json()
        if screen["step"] == "submit":
            break
        event({"type": "next"})
    event({"type": "submit"})
    settle()
    return session


def test_metrics_move_with_a_filing_and_carry_no_personal_data(kiosk):
    before, _ = scrape(kiosk)
    file_by_api(kiosk)
    # The abandoned step: a second session left at the identify step.
    left = kiosk.api("POST", "sessions", {"language": "vi"}).json()["id"]
    kiosk.api("POST", f"sessions/{left}/events", {"type": "choose_procedure", "code": "SAMPLE-HT-002"})
    kiosk.api("POST", f"sessions/{left}/events", {"type": "cancel"})
    time.sleep(0.2)
    after, text = scrape(kiosk)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("kiosk_sessions_started_total", procedure="SAMPLE-CT-001") == 1
    assert moved("kiosk_sessions_submitted_total", procedure="SAMPLE-CT-001") == 1
    assert moved("kiosk_sessions_abandoned_total", procedure="SAMPLE-HT-002", step="identify") == 1
    assert moved("kiosk_pages_scanned_total") >= 1
    assert moved("kiosk_print_jobs_total", kind="receipt", outcome="printed") == 1
    assert moved("kiosk_step_duration_seconds_count", step="form") >= 1
    assert value(after, "kiosk_device_state", device="scanner", state="online") == 1
    assert value(after, "kiosk_device_state", device="scanner", state="offline") == 0
    assert ("kiosk_outbox_depth", ()) in after and value(after, "kiosk_store_bytes") > 0
    # HTTP requests and their durations (Hummingbird's MetricsMiddleware).
    names = {name for name, _ in after}
    assert "hb_requests_total" in names and "http_server_request_duration_count" in names, sorted(names)
    for secret in ("001185012345", "Nguyễn", "0912345678", "1985"):
        assert secret not in text
