"""Fixtures for the screen's browser tests: a real kioskd (kiosk.py) and Debian's chromium
driven by Playwright (never `playwright install`: its browser download needs the internet)."""

import os
import shutil
import tempfile

import pytest
from playwright.sync_api import expect, sync_playwright

from kiosk import ROOT, Kiosk, chromium_path

# A busy CI machine: assertions on the screen wait up to 20 s, not Playwright's 5.
expect.set_options(timeout=20_000)

ARTIFACTS = os.path.join(ROOT, ".build", "screen-artifacts")
ORIENTATIONS = {"portrait": {"width": 1080, "height": 1920}, "landscape": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="module")
def kiosk():
    work = tempfile.mkdtemp(prefix="screen-test-")
    k = Kiosk(work)
    try:
        yield k
    finally:
        k.stop()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        # Autoplay: the kiosk speaks without a first gesture (its own browser is set up so).
        b = p.chromium.launch(executable_path=chromium_path(), args=["--autoplay-policy=no-user-gesture-required"])
        try:
            yield b
        finally:
            b.close()


def open_screen(browser, kiosk, orientation="portrait"):
    """A fresh browser context (no storage carried over) on the kiosk's screen."""
    context = browser.new_context(viewport=ORIENTATIONS[orientation], locale="vi-VN")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(kiosk.url + "/")
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    return context, page


def shoot(page, orientation, name):
    folder = os.path.join(ARTIFACTS, orientation)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"))
