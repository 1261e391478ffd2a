"""The on-screen keyboard's Telex composition (screen/telex.js), run in the browser itself,
on real names: the tone on the right vowel (classic placement: Hòa, Khỏe, Thủy), marks
undone by typing them twice, and Unicode NFC."""

import pytest

from conftest import open_screen

CASES = [
    ("Nguyeenx", "Nguyễn"), ("Truwowngf", "Trường"), ("truongwf", "trường"), ("Khuee", "Khuê"),
    ("Quoocs", "Quốc"), ("Hoaf", "Hòa"), ("hoanf", "hoàn"), ("khoer", "khỏe"), ("Thuyr", "Thủy"),
    ("nguowif", "người"), ("ruwowuj", "rượu"), ("Huyfnh", "Huỳnh"), ("ddoongf", "đồng"), ("DDaij", "Đại"),
    ("Giangf", "Giàng"), ("gif", "gì"), ("quaf", "quà"), ("ngoaif", "ngoài"), ("tuooir", "tuổi"),
    ("cuwus", "cứu"), ("Thij", "Thị"), ("Nghieemj", "Nghiệm"), ("Bawngf", "Bằng"),
    # A mark typed twice is undone and the key stays a letter.
    ("mass", "mas"), ("aaa", "aa"), ("uww", "uw"), ("ddd", "dd"), ("hoafz", "hoa"),
    # The tone key may come anywhere after the vowel.
    ("Nguyexen", "Nguyễn"), ("w", "ư"),
]


@pytest.fixture(scope="module")
def telex_page(browser, kiosk):
    context, page = open_screen(browser, kiosk)
    yield page
    context.close()


@pytest.mark.parametrize("keys, word", CASES)
def test_telex_composes_vietnamese(telex_page, keys, word):
    got = telex_page.evaluate(
        "async (keys) => (await import('/telex.js')).compose([...keys])", keys)
    assert got == word
    assert telex_page.evaluate("(s) => s === s.normalize('NFC')", got)


def test_direct_diacritic_keys_and_tone_marks(telex_page):
    # â typed directly, then the hook tone key (U+0309) as the keyboard sends it: "Chuẩn".
    got = telex_page.evaluate("""async () => {
        const { TelexBuffer } = await import('/telex.js');
        const b = new TelexBuffer();
        for (const k of ['C', 'h', 'u', 'â', 'n', '\\u0309', ' ', 'Đ', 'ư', 'ơ', 'n', 'g']) b.type(k);
        return b.text; }""")
    assert got == "Chuẩn Đương"
