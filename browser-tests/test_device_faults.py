"""Devices failing under the applicant's hands: the card lifted mid-read (the emulated reader
under the real CCID driver), and a scanner jam after the first page of a feeder batch (the
simulated scanner: SANE's `test` backend jams every read or none)."""

import shutil
import tempfile

import pytest
from playwright.sync_api import expect

from applicant import Applicant, identify_typed, to_identification, wait_until
from conftest import open_screen, shoot
from kiosk import Kiosk
from test_session_care import start_filing


def test_a_card_lifted_mid_read_is_said_and_read_again(browser, kiosk):
    context, page = open_screen(browser, kiosk)
    try:
        a = Applicant(page)
        to_identification(a)
        a.tap("#read-card")
        a.wait("#field-idNumber")
        # The applicant lifts the card a few exchanges into the chip read that follows, and
        # does not put it back within the read's time (8 s here).
        kiosk.inject("card_reader", "card_lifted_mid_read")
        identify_typed(a, then_card=True)
        # The read fails: the typed identity stands, the card's notice says what happened.
        assert wait_until(lambda: a.screen() == "identify-0-idle" and page.locator("#notice").count() > 0, 60), a.screen()
        expect(page.locator("#read-card-again")).to_be_visible()
        expect(page.locator("#notice")).to_contain_text("thẻ", ignore_case=True)
        expect(page.locator("#identity-source")).to_have_text("Nhập tay")
        shoot(page, "portrait", "card-lifted")
        # Placed again: read again, from the chip this time.
        kiosk.inject("card_reader", "card_placed")
        a.tap("#read-card-again")
        expect(page.locator("#identity-source")).to_have_text("Đọc từ chip thẻ", timeout=60_000)
        assert not page.errors, page.errors
    finally:
        context.close()


@pytest.fixture(scope="module")
def simulated_scanner_kiosk():
    work = tempfile.mkdtemp(prefix="screen-test-")
    k = Kiosk(work, scanner="simulated")
    try:
        yield k
    finally:
        k.stop()
        shutil.rmtree(work, ignore_errors=True)


def test_a_scanner_jam_mid_batch_keeps_the_pages_and_resumes(browser, simulated_scanner_kiosk):
    kiosk = simulated_scanner_kiosk
    context, page = open_screen(browser, kiosk)
    try:
        a = Applicant(page)
        start_filing(a)
        a.advance()
        for field, keys in (("phone", "0912345678"), ("copy_count", "1"), ("page_count", "2")):
            a.type_keys(f"#field-{field}", keys)
        a.type_keys("#field-document_title", "Bawngf toots nghieepj")
        a.advance()
        # The original on the glass.
        a.tap("#scan")
        a.wait("#pages .page")
        expect(page.locator("#scan")).to_be_visible(timeout=60_000)
        a.advance()
        # The copies through the feeder: it jams after the first page.
        kiosk.inject("scanner", "jam")
        a.tap("#scan")
        a.wait("#notice", timeout=60_000)
        expect(page.locator("#pages .page")).to_have_count(1)
        shoot(page, "portrait", "scanner-jam")
        # Cleared: the next scan goes on after the kept page.
        kiosk.inject("scanner", "none")
        a.tap("#scan")
        assert wait_until(lambda: page.locator("#pages .page").count() >= 2, 60)
        expect(page.locator("#next")).to_be_visible()
        assert not page.errors, page.errors
    finally:
        context.close()


def test_the_cards_qr_code_read_by_the_qr_reader_identifies(browser, kiosk):
    """A kiosk's QR reader is a USB scanner that types what it reads, then Enter."""
    context, page = open_screen(browser, kiosk)
    try:
        a = Applicant(page)
        to_identification(a)
        a.wait("#qr-hint")
        page.keyboard.type("001185012345|012345678|Nguyễn Thị Thử Nghiệm|05091985|Nữ|Số 1 Phố Thử, Hà Nội|15012024", delay=2)
        page.keyboard.press("Enter")
        a.wait("#identity")
        expect(page.locator("#identity-source")).to_have_text("Mã QR trên thẻ")
        expect(page.locator("#identity")).to_contain_text("Nguyễn Thị Thử Nghiệm")
        assert not page.errors, page.errors
    finally:
        context.close()
