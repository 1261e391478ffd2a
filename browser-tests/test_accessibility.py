"""Every screen scanned with axe-core (target-size on) and measured: 0 serious or critical
violations, every touch target at least 64 px high — in both orientations, at normal text and
with the large-text and high-contrast switches on."""

import pytest
from playwright.sync_api import expect

from applicant import Applicant
from audit import audit
from conftest import open_screen
from test_filing import file_dossier


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_screen_passes_axe_and_the_64_px_bar(browser, kiosk, orientation):
    context, page = open_screen(browser, kiosk, orientation)
    findings = {}
    check = lambda p, name: audit(p, f"{orientation}/{name}", findings)  # noqa: E731
    try:
        a = Applicant(page)
        # The screens outside a filing: help, queue numbers, a procedure looked up.
        a.tap("#tile-help")
        check(page, "help")
        a.tap("main .actions button")
        a.tap("#tile-queue")
        a.wait("main .panel button")
        check(page, "queue")
        a.tap("main .actions button")
        # The keyboard open, at the search field.
        a.tap("#tile-lookup")
        a.wait("#search")
        a.tap("#search")
        check(page, "keyboard")
        a.key("Xong")
        a.tap("main .actions button")
        # The whole certified-copy filing, every screen audited.
        file_dossier(page, kiosk, "SAMPLE-CT-001", orientation=orientation, card=True, shots=False, audit=check)
        a.wait("#printed", timeout=90_000)
        check(page, "receipt")
        # The same receipt in large text and in high contrast.
        page.click("#large")
        page.click("#contrast")
        expect(page.locator("html")).to_have_class("large contrast")
        check(page, "receipt-large-contrast")
        assert not findings, "\n".join(f"{name}: {problems}" for name, problems in findings.items())
    finally:
        context.close()


def test_the_other_procedures_screens_pass_too(browser, kiosk):
    """The forms with choices, yes/no, dates, e-mail and the province list (the two civil-status
    procedures), every screen audited in portrait."""
    findings = {}
    for code in ("SAMPLE-HT-001", "SAMPLE-HT-002"):
        context, page = open_screen(browser, kiosk)
        try:
            file_dossier(page, kiosk, code, shots=False, audit=lambda p, name, code=code: audit(p, f"{code}/{name}", findings))
        finally:
            context.close()
    assert not findings, "\n".join(f"{name}: {problems}" for name, problems in findings.items())
