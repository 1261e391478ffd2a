"""Each shipped procedure from the home screen to the printed receipt, by taps only (the
on-screen keyboard for text), in Debian's chromium against a real kioskd: SANE's `test`
scanner, a private cupsd capturing what is printed, the emulated card reader."""

import os
import re

import pytest
from playwright.sync_api import expect

from applicant import Applicant, fill_form_page, identify_typed, wait_until
from conftest import open_screen, shoot

PROCEDURES = ["SAMPLE-CT-001", "SAMPLE-HT-001", "SAMPLE-HT-002"]


def file_dossier(page, kiosk, code, orientation="portrait", card=False, shots=True, audit=None):
    """Files `code` from home to the receipt; returns the Applicant (taps), the reference,
    the number of printouts before, and the screenshot function. `audit(page, name)` is
    called on every screen."""
    a = Applicant(page)
    n = [0]

    def shot(name):
        if audit:
            audit(page, name)
        if shots:
            n[0] += 1
            shoot(page, orientation, f"{code}-{n[0]:02d}-{name}")

    shot("home")
    a.tap("#tile-file")
    a.wait(f"button[data-code='{code}']")
    shot("procedures")
    a.tap(f"button[data-code='{code}']")
    a.wait("#start")
    # Before starting: the fee, the legal time limit and the documents to bring.
    main = page.locator("main")
    expect(main).to_contain_text("Lệ phí")
    expect(main).to_contain_text("Thời hạn giải quyết")
    expect(main).to_contain_text("Giấy tờ cần mang")
    shot("procedure")
    a.tap("#start")
    expect(main).to_contain_text("Đồng ý xử lý dữ liệu cá nhân")
    expect(main).to_contain_text("Luật Bảo vệ dữ liệu cá nhân")
    shot("consent")
    a.tap("#agree")
    a.wait("#type-id")
    shot("identify")
    if card:
        a.tap("#read-card")
        # The chip opens with what is printed on the card: the kiosk asks for it once.
        a.wait("#field-idNumber")
        expect(page.locator("#notice")).to_be_visible()
        shot("card-keys")
        identify_typed(a, then_card=True)
        a.wait("#identity")
        expect(page.locator("#identity")).to_contain_text("Nguyễn Thị Thử Nghiệm")
        expect(page.locator("#identity")).to_contain_text("••••••••2345")
        # The emulated card's signer is from a CA the kiosk does not trust: never "verified".
        expect(page.locator("#identity")).to_contain_text("Chưa xác thực bằng chip")
    else:
        a.tap("#type-id")
        identify_typed(a)
        a.wait("#identity")
        expect(page.locator("#identity")).to_contain_text("Nguyễn Thị Thử Nghiệm")
    shot("identity")
    a.advance()

    typed = {}
    pages = 0
    while a.screen().startswith("form-"):
        pages += 1
        assert pages < 10, "the form does not end"
        typed.update(fill_form_page(a))
        shot(f"form-{pages}")
        before = a.screen()
        a.tap("#next")
        assert wait_until(lambda: a.screen() != before or page.locator(".field .error").count(), 30)
        errors = page.locator(".field .error").all_text_contents()
        assert not errors, f"the form refused: {errors}"

    documents = 0
    while a.screen().startswith("documents-"):
        documents += 1
        assert documents < 10, "the documents do not end"
        before = a.screen()
        if page.locator("#skip").count():
            # Skipping an optional document moves on by itself.
            shot(f"document-{documents}")
            a.tap("#skip")
        else:
            a.tap("#scan")
            a.wait("#pages .page img", timeout=120_000)
            expect(page.locator("#scan")).to_be_visible(timeout=120_000)  # the scan has ended
            # Each page's thumbnail is a preview, 300 to 600 px wide, not the page itself.
            thumbnail = page.locator("#pages .page img").first
            assert wait_until(lambda: thumbnail.evaluate("i => i.complete && i.naturalWidth > 0"), 30)
            assert 300 <= thumbnail.evaluate("i => i.naturalWidth") <= 640
            shot(f"document-{documents}")
            a.tap("#next")
        assert wait_until(lambda: a.screen() != before, 30)

    # Review: what was typed is there, with an edit link per section.
    expect(main).to_contain_text("Kiểm tra lại")
    for value in typed.values():
        if value and not value.isdigit():
            expect(main).to_contain_text(value)
    expect(page.locator("[data-edit^='form-']").first).to_be_visible()
    shot("review")
    a.advance()
    if page.locator("#charges").count():
        expect(page.locator("#total")).to_contain_text("đ")
        if code == "SAMPLE-CT-001":
            # 2 copies of 1 page: 2,000 đ a page.
            expect(page.locator("#total")).to_contain_text("4.000 đ")
        shot("fee")
        a.advance()
    # A procedure with one way of delivery has it chosen already: no delivery screen.
    assert wait_until(lambda: a.screen().split("-")[0] in ("delivery", "submit"), 60), a.screen()
    if page.locator("[aria-labelledby='label-delivery']").count():
        if page.locator("button[data-value='counter'][aria-pressed='true']").count() == 0:
            a.tap("button[data-value='counter']")
            a.wait("button[data-value='counter'][aria-pressed='true']")
        shot("delivery")
        a.advance()
    a.wait("#submit")
    shot("submit")
    printed_before = len(kiosk.printed())
    a.tap("#submit")
    a.wait("#receipt", timeout=60_000)
    reference = page.locator("#reference").text_content()
    return a, reference, printed_before, shot


@pytest.mark.parametrize("code", PROCEDURES)
def test_each_procedure_from_home_to_printed_receipt(browser, kiosk, code):
    context, page = open_screen(browser, kiosk)
    try:
        a, reference, printed_before, shot = file_dossier(page, kiosk, code, card=code == "SAMPLE-CT-001")
        assert re.match(r"^\S+", reference)
        a.wait("#printed", timeout=90_000)
        shot("receipt")
        # The bytes reached the capture queue: an ESC/POS job for the 80 mm printer.
        assert wait_until(lambda: len(kiosk.printed()) > printed_before, 30)
        job = open(kiosk.printed()[-1], "rb").read()
        assert len(job) > 1000 and job.startswith(b"\x1b@"), job[:16]
        # The tracking QR code is on the screen too.
        assert page.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")
        a.tap("#next")
        a.wait("[data-score='5']")
        shot("rating")
        a.tap("[data-score='5']")
        a.wait("#home")
        shot("thanks")
        a.tap("#home")
        page.wait_for_selector("#tile-file", timeout=30_000)
        # Back home, nothing of the applicant is left in the page.
        assert "Nguyễn Thị Thử Nghiệm" not in page.content()
        assert not page.errors, page.errors
    finally:
        context.close()


def test_the_certified_copy_in_landscape(browser, kiosk):
    """The same screens at 1920×1080: every step photographed for the gallery."""
    context, page = open_screen(browser, kiosk, "landscape")
    try:
        a, _, _, shot = file_dossier(page, kiosk, "SAMPLE-CT-001", orientation="landscape", card=True)
        a.wait("#printed", timeout=90_000)
        shot("receipt")
        assert not page.errors, page.errors
    finally:
        context.close()
