"""An applicant at the screen: taps only, text through the on-screen keyboard (Telex for
Vietnamese). Counts the taps, so that the benchmark can report them."""

import re
import time

from playwright.sync_api import expect


class Applicant:
    def __init__(self, page, language="vi"):
        self.page = page
        self.language = language
        self.taps = 0
        self.typed_taps = 0

    # --- Taps ---------------------------------------------------------------------------------

    def tap(self, selector, typing=False):
        self.page.locator(selector).first.click()
        if typing:
            self.typed_taps += 1
        else:
            self.taps += 1

    def advance(self, selector="#next", timeout=60):
        """Taps `selector` and waits for the next screen."""
        before = self.screen()
        self.tap(selector)
        assert wait_until(lambda: self.screen() != before, timeout), f"still on {before} after tapping {selector}"

    def key(self, label):
        """One key of the on-screen keyboard, found by its exact accessible name."""
        self.page.locator("#keyboard").get_by_role("button", name=label, exact=True).first.click()
        self.typed_taps += 1

    def words(self):
        return {"vi": {"done": "Xong", "space": "Dấu cách", "shift": "Chữ hoa", "digits": "123", "letters": "ABC"},
                "en": {"done": "Done", "space": "Space", "shift": "Capitals", "digits": "123", "letters": "ABC"}}[self.language]

    def type_keys(self, field, keys):
        """Taps `field`, then types `keys` (Telex keystrokes for text) and Done."""
        w = self.words()
        self.tap(field, typing=True)
        expect(self.page.locator("#keyboard")).to_be_visible()
        numeric_pad = self.page.locator("#keyboard").get_by_role("button", name=w["space"], exact=True).count() == 0
        digits_mode = False
        for c in keys:
            if numeric_pad:
                self.key(c)
                continue
            if c == " ":
                if digits_mode:
                    self.key(w["letters"])
                    digits_mode = False
                self.key(w["space"])
            elif c.isdigit():
                if not digits_mode:
                    self.key(w["digits"])
                    digits_mode = True
                self.key(c)
                continue
            else:
                if digits_mode:
                    self.key(w["letters"])
                    digits_mode = False
                shift = self.page.locator("#keyboard").get_by_role("button", name=w["shift"], exact=True)
                pressed = shift.get_attribute("aria-pressed") == "true"
                if c.isalpha() and c.isupper() != pressed and c.lower() != c.upper():
                    shift.click()
                    self.typed_taps += 1
                self.key(c)
        self.key(w["done"])
        expect(self.page.locator("#keyboard")).to_be_hidden()

    def wait(self, selector, timeout=60_000):
        self.page.wait_for_selector(selector, timeout=timeout)

    def screen(self):
        """Which screen is showing: step, page or document index, busy or idle (the screen
        says so on <body data-screen>, without personal data)."""
        return self.page.evaluate("() => document.body.dataset.screen ?? ''")


# Answers by field id, as an applicant would type them: Telex keystrokes, and the text
# they must compose to.
TEXT_ANSWERS = {
    "document_title": ("Bawngf toots nghieepj", "Bằng tốt nghiệp"),
    "child_name": ("Nguyeenx Minh Khuee", "Nguyễn Minh Khuê"),
    "child_birth_place": ("Beenhj vieenj Truwowngf Xuaan", "Bệnh viện Trường Xuân"),
    "child_ethnicity": ("Kinh", "Kinh"),
    "child_nationality": ("Vieetj Nam", "Việt Nam"),
    "mother_name": ("Nguyeenx Thij Thuwr Nghieemj", "Nguyễn Thị Thử Nghiệm"),
    "partner_name": ("Traanf Quoocs Hoaf", "Trần Quốc Hòa"),
    "other_purpose": ("Xin vieecj", "Xin việc"),
    "full_name": ("Nguyeenx Thij Thuwr Nghieemj", "Nguyễn Thị Thử Nghiệm"),
    "requester_name": ("Nguyeenx Thij Thuwr Nghieemj", "Nguyễn Thị Thử Nghiệm"),
}
DIGIT_ANSWERS = {
    "phone": "0912345678",
    "copy_count": "2",
    "page_count": "1",
    "mother_id": "001185012345",
    "requester_id": "001185012345",
    "id_number": "001185012345",
    "child_birth_date": "01112026",
    "birth_date": "05091985",
    "partner_birth_date": "02031984",
}
CHOICES = {"relationship": "mother", "child_sex": "female", "father_known": "false", "marital_status": "never_married",
           "purpose": "marriage"}
ADDRESS = ("Thành phố Hà Nội", "Phuwowngf Hoanf Kieems", "Soos 1 phoos Thuwr")
EMAIL = {"email": "thu.nghiem@example.vn"}


def fill_form_page(a):
    """Fills every field shown on the current form page; returns what was typed, by field id."""
    page = a.page
    typed = {}
    for field_id, value in CHOICES.items():
        group = page.locator(f"[aria-labelledby='label-{field_id}']")
        if group.count():
            a.tap(f"[aria-labelledby='label-{field_id}'] button[data-value='{value}']")
            page.wait_for_timeout(300)
    for field_id, keys in DIGIT_ANSWERS.items():
        field = page.locator(f"#field-{field_id}")
        if field.count() and not field.input_value():
            a.type_keys(f"#field-{field_id}", keys)
            typed[field_id] = field.input_value()
    for field_id, (keys, composed) in TEXT_ANSWERS.items():
        field = page.locator(f"#field-{field_id}")
        if field.count() and not field.input_value():
            a.type_keys(f"#field-{field_id}", keys)
            expect(field).to_have_value(composed)
            typed[field_id] = composed
    for field_id, value in EMAIL.items():
        field = page.locator(f"#field-{field_id}")
        if field.count() and not field.input_value():
            a.type_keys(f"#field-{field_id}", value)
            expect(field).to_have_value(value)
            typed[field_id] = value
    for address_id in ("requester_residence", "residence"):
        if page.locator(f"[aria-labelledby='label-{address_id}-province']").count():
            a.tap(f"[aria-labelledby='label-{address_id}-province'] button[data-value='{ADDRESS[0]}']")
            for part, keys in zip(("commune", "detail"), ADDRESS[1:]):
                a.type_keys(f"#field-{address_id}-{part}", keys)
    return typed


def to_identification(a, code="SAMPLE-CT-001"):
    """Home → the procedure → start → consent given: the identify screen."""
    a.tap("#tile-file")
    a.tap(f"button[data-code='{code}']")
    a.tap("#start")
    a.tap("#agree")
    a.wait("#type-id")


def identify_typed(a, then_card=False):
    a.type_keys("#field-idNumber", "001185012345")
    a.type_keys("#field-fullName", "Nguyeenx Thij Thuwr Nghieemj")
    expect(a.page.locator("#field-fullName")).to_have_value("Nguyễn Thị Thử Nghiệm")
    a.type_keys("#field-dateOfBirth", "05091985")
    expect(a.page.locator("#field-dateOfBirth")).to_have_value("05/09/1985")
    if not then_card:
        a.tap("[aria-labelledby='label-sex'] button[data-value='female']")
    a.tap("#next")


def wait_until(predicate, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


MONEY = re.compile(r"[\d.]+ đ")
