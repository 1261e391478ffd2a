#!/usr/bin/env python3
"""Renders a realistic administrative page at 200 dpi for the size benchmark.

Writes two files:
  <out>-clean.pgm  the page as printed (grey ground truth for legibility, SSIM)
  <out>.ppm        the page as a scanner delivers it: off-white paper with texture and
                   sensor noise, the print slightly blurred, in colour (red stamp, blue ink)
Vietnamese text in DejaVu Serif (fonts-dejavu), a round red stamp, a handwritten signature.
The page is straight, so that both pipelines keep the same geometry for the comparison.
"""
import math
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 200
W, H = 1654, 2339  # A4 at 200 dpi
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"

BODY = [
    "Kính gửi: Ủy ban nhân dân phường Mẫu, thành phố Hà Nội.",
    "Họ, chữ đệm, tên người yêu cầu: NGUYỄN THỊ THỬ NGHIỆM",
    "Ngày, tháng, năm sinh: 05/09/1985      Giới tính: Nữ      Dân tộc: Kinh",
    "Số định danh cá nhân: 001185012345",
    "Nơi cư trú: Số 1, ngõ 2, đường Mẫu, phường Mẫu, thành phố Hà Nội.",
    "Đề nghị cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây:",
    "Họ, chữ đệm, tên: Nguyễn Thị Thử Nghiệm; Quốc tịch: Việt Nam.",
    "Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.",
    "Mục đích sử dụng Giấy xác nhận tình trạng hôn nhân: để đăng ký kết hôn.",
    "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm",
    "trước pháp luật về cam đoan của mình.",
]


def render_clean():
    page = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(page)
    head = ImageFont.truetype(BOLD, 34)
    sub = ImageFont.truetype(BOLD, 30)
    title = ImageFont.truetype(BOLD, 44)
    body = ImageFont.truetype(FONT, 31)
    small = ImageFont.truetype(FONT, 26)

    def centred(y, text, font):
        width = d.textlength(text, font=font)
        d.text(((W - width) / 2, y), text, font=font, fill=(0, 0, 0))

    centred(150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", head)
    centred(200, "Độc lập - Tự do - Hạnh phúc", sub)
    d.line([(W / 2 - 190, 245), (W / 2 + 190, 245)], fill=(0, 0, 0), width=3)
    centred(330, "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", title)
    y = 460
    for line in BODY:
        d.text((180, y), line, font=body, fill=(0, 0, 0))
        y += 62
    # A dotted-leader table of attached documents.
    y += 30
    for i, item in enumerate(["Bản sao Căn cước công dân", "Giấy tờ chứng minh nơi cư trú", "Bản án ly hôn (nếu có)"], 1):
        d.text((220, y), f"{i}. {item}", font=body, fill=(0, 0, 0))
        d.text((1250, y), "01 bản", font=body, fill=(0, 0, 0))
        y += 58
    d.text((950, y + 90), "Hà Nội, ngày 23 tháng 11 năm 2026", font=small, fill=(0, 0, 0))
    d.text((1080, y + 140), "NGƯỜI YÊU CẦU", font=sub, fill=(0, 0, 0))
    d.text((1050, y + 185), "(Ký, ghi rõ họ, chữ đệm, tên)", font=small, fill=(0, 0, 0))
    sig_y = y + 330
    d.text((1030, sig_y + 130), "Nguyễn Thị Thử Nghiệm", font=body, fill=(0, 0, 0))
    return page, sig_y


def stamp_and_signature(page, sig_y):
    d = ImageDraw.Draw(page)
    # A round red stamp, partly over the text, as offices stamp receipts.
    cx, cy, r = 520, sig_y + 40, 150
    red = (200, 30, 40)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=9)
    d.ellipse([cx - r + 22, cy - r + 22, cx + r - 22, cy + r - 22], outline=red, width=4)
    font = ImageFont.truetype(BOLD, 26)
    text = "ỦY BAN NHÂN DÂN PHƯỜNG MẪU * HÀ NỘI * "
    for i, ch in enumerate(text):
        a = -math.pi / 2 + 2 * math.pi * i / len(text)
        x, yy = cx + (r - 45) * math.cos(a), cy + (r - 45) * math.sin(a)
        glyph = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((8, 4), ch, font=font, fill=red + (255,))
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        page.paste(glyph, (int(x - 20), int(yy - 20)), glyph)
    star = [(cx + 40 * math.cos(math.pi / 2 + k * 4 * math.pi / 5), cy - 40 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    d.polygon(star, fill=red)
    # A signature in blue ink: a few smooth strokes.
    blue = (20, 40, 150)
    rnd = random.Random(7)
    x0, y0 = 1080, sig_y + 60
    pts = []
    for t in range(0, 400):
        s = t / 400
        pts.append((x0 + 330 * s + 25 * math.sin(s * 19), y0 + 35 * math.sin(s * 11 + 1) - 30 * s + rnd.uniform(-0.6, 0.6)))
    d.line(pts, fill=blue, width=5, joint="curve")
    d.line([(x0 + 40, y0 + 40), (x0 + 300, y0 - 10)], fill=blue, width=4)


def scanned(page):
    """What a real scanner delivers: paper tone and texture, sensor noise, optical blur."""
    rng = np.random.default_rng(42)
    img = np.asarray(page.filter(ImageFilter.GaussianBlur(0.7)), dtype=np.float32)
    img *= np.array([246, 244, 238], dtype=np.float32) / 255  # off-white paper
    fibres = Image.fromarray(rng.normal(0, 1, (H // 8, W // 8)).astype(np.float32)).resize((W, H), Image.BICUBIC)
    img += (np.asarray(fibres) * 3.0)[..., None]  # paper texture, low frequency
    img += rng.normal(0, 3.0, img.shape)  # sensor noise
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def main():
    out = sys.argv[1]
    page, sig_y = render_clean()
    stamp_and_signature(page, sig_y)
    page.convert("L").save(out + "-clean.pgm")
    scanned(page).save(out + ".ppm")


if __name__ == "__main__":
    main()
