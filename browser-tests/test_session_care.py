"""The idle warning, the timeout and the wipe; the language switch mid-form; a printer out of
paper (CUPS's fault backend) met with the receipt on screen and a reprint."""

from playwright.sync_api import expect

from applicant import Applicant, identify_typed, wait_until
from conftest import ORIENTATIONS, open_screen, shoot
from test_filing import file_dossier

NAME = "Nguyễn Thị Thử Nghiệm"


def start_filing(a, code="SAMPLE-CT-001"):
    """Home → procedure → consent → typed identity; returns the session id."""
    page = a.page
    a.tap("#tile-file")
    a.tap(f"button[data-code='{code}']")
    a.tap("#start")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/sessions") and r.request.method == "POST") as created:
        a.tap("#agree")
    session = created.value.json()["id"]
    assert created.value.headers["cache-control"] == "no-store"
    a.tap("#type-id")
    identify_typed(a)
    a.wait("#identity")
    return session


def test_idle_warning_more_time_then_the_timeout_wipes_everything(browser, kiosk):
    context = browser.new_context(viewport=ORIENTATIONS["portrait"])
    page = context.new_page()
    try:
        page.clock.install()
        page.goto(kiosk.url + "/")
        page.wait_for_selector("body[data-ready]", timeout=60_000)
        a = Applicant(page)
        session = start_filing(a)
        assert NAME in page.content()
        # Nothing personal in the URL, ever.
        assert page.url.rstrip("/") == kiosk.url
        # The timeout is 180 s: the warning comes 60 s before it (WCAG 2.2.1 asks for 20 s or more).
        page.clock.run_for(125_000)
        expect(page.locator("#idle")).to_be_visible()
        expect(page.locator("#idle-title")).to_contain_text("Ông/bà còn ở đây không?")
        left = int(page.locator("#idle .count").text_content())
        assert 20 <= left <= 60, left
        shoot(page, "portrait", "idle-warning")
        with page.expect_request(lambda r: r.url.endswith("/events") and "still_here" in (r.post_data or "")):
            page.click("#more-time")
        expect(page.locator("#idle")).to_be_hidden()
        assert NAME in page.content(), "more time keeps the session as it was"
        # Then nobody touches the screen: at the timeout the session ends.
        page.clock.run_for(185_000)
        page.wait_for_selector("#tile-file", timeout=30_000)
        assert NAME not in page.content()
        assert "2345" not in page.content()
        assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
        assert wait_until(lambda: kiosk.api("GET", f"sessions/{session}").json()["status"] == "abandoned", 30)
        # The back button brings nothing back.
        page.go_back()
        page.wait_for_timeout(500)
        assert NAME not in page.content()
    finally:
        context.close()


def test_switching_language_mid_form_keeps_every_answer(browser, kiosk):
    context, page = open_screen(browser, kiosk)
    try:
        a = Applicant(page)
        session = start_filing(a)
        a.advance()
        a.type_keys("#field-phone", "0912345678")
        a.type_keys("#field-document_title", "Bawngf toots nghieepj")
        expect(page.locator("label[for='field-phone']")).to_contain_text("Số điện thoại")
        a.tap("#language")
        expect(page.locator("label[for='field-phone']")).to_contain_text("Contact phone number")
        expect(page.locator("#language")).to_have_text("Tiếng Việt")
        expect(page.locator("#field-phone")).to_have_value("0912345678")
        expect(page.locator("#field-document_title")).to_have_value("Bằng tốt nghiệp")
        assert page.evaluate("() => document.documentElement.lang") == "en"
        assert kiosk.api("GET", f"sessions/{session}").json()["language"] == "en"
        shoot(page, "portrait", "language-en")
        a.tap("#language")
        expect(page.locator("label[for='field-phone']")).to_contain_text("Số điện thoại")
        expect(page.locator("#field-document_title")).to_have_value("Bằng tốt nghiệp")
    finally:
        context.close()


def test_a_printer_out_of_paper_shows_the_receipt_on_screen_and_reprints(browser, kiosk):
    kiosk.set_printer("fault:/paper-out")
    context, page = open_screen(browser, kiosk)
    try:
        a, reference, printed_before, _ = file_dossier(page, kiosk, "SAMPLE-CT-001", shots=False)
        # The print fails: the receipt stays on the screen, and the screen says what to do.
        a.wait("#reprint", timeout=90_000)
        expect(page.locator("#notice")).to_contain_text("Máy in hết giấy")
        expect(page.locator("#reference")).to_have_text(reference)
        expect(page.locator("img.qr")).to_be_visible()
        expect(page.locator("#notice, #not-printed").first).to_be_visible()
        shoot(page, "portrait", "printer-out-of-paper")
        assert len(kiosk.printed()) == printed_before
        # Paper back in: the applicant may print it once more.
        kiosk.set_printer(kiosk.capture_uri())
        a.tap("#reprint")
        a.wait("#printed", timeout=90_000)
        assert wait_until(lambda: len(kiosk.printed()) == printed_before + 1, 30)
    finally:
        kiosk.set_printer(kiosk.capture_uri())
        context.close()


def test_spoken_guidance_reads_each_screen_when_switched_on(browser, kiosk):
    context, page = open_screen(browser, kiosk)
    try:
        a = Applicant(page)
        with page.expect_response(lambda r: r.url.endswith("/api/v1/speech")) as spoken:
            a.tap("#speech")
        assert spoken.value.status == 200 and spoken.value.headers["content-type"] == "audio/wav"
        assert "Xin chào" in (spoken.value.request.post_data or "")
        expect(page.locator("#speech")).to_have_attribute("aria-pressed", "true")
        # The next screen is read too, in the applicant's language.
        with page.expect_response(lambda r: r.url.endswith("/api/v1/speech")) as next_screen:
            a.tap("#tile-file")
        assert "Hãy chọn thủ tục" in (next_screen.value.request.post_data or "")
        with page.expect_response(lambda r: r.url.endswith("/api/v1/speech")) as english:
            a.tap("#language")
        assert '"language":"en"' in (english.value.request.post_data or "").replace(" ", "")
        # And it was played (the audio element accepted the WAV and started).
        assert wait_until(lambda: page.evaluate("() => document.body.dataset.spoken ?? ''") != "", 10)
    finally:
        context.close()
