#!/usr/bin/env python3
"""SSIM (Wang et al. 2004; 7x7 uniform window, K1 = 0.01, K2 = 0.03, as scikit-image's
default) between a reference grey image and the first image of a PDF or an image file,
both compared in grey at the reference's size.

usage: ssim.py REFERENCE.pgm CANDIDATE.(pdf|jpg|png|pnm)
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image


def load(path):
    if path.endswith(".pdf"):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-all", path, os.path.join(tmp, "img")], check=True)
            first = sorted(os.listdir(tmp))[0]
            return Image.open(os.path.join(tmp, first)).convert("L")
    return Image.open(path).convert("L")


def box(a, k=7):
    """Mean over k x k windows ('valid' region) through an integral image."""
    s = np.pad(a, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]) / (k * k)


def ssim(x, y):
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    n = 49
    mx, my = box(x), box(y)
    vx = (box(x * x) - mx * mx) * n / (n - 1)
    vy = (box(y * y) - my * my) * n / (n - 1)
    cxy = (box(x * y) - mx * my) * n / (n - 1)
    s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(s.mean())


def main():
    reference = Image.open(sys.argv[1]).convert("L")
    candidate = load(sys.argv[2])
    if candidate.size != reference.size:
        candidate = candidate.resize(reference.size, Image.BICUBIC)
    print(f"{ssim(np.asarray(reference), np.asarray(candidate)):.4f}")


if __name__ == "__main__":
    main()
