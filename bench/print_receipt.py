#!/usr/bin/env python3
"""The peer of bench/print_receipt.sh: python-escpos printing the same receipt as an image,
COUNT times, to a CUPS queue (its CupsPrinter, through pycups).

usage: print_receipt.py CAPTURED_ESCPOS_JOB QUEUE COUNT
The receipt image is decoded from our own ESC/POS job (GS v 0 bands), so both sides print
the very same dots; python-escpos does not lay text out, which only favours it.
"""
import sys
import time

from escpos.printer import CupsPrinter
from PIL import Image


def raster_from_job(job: bytes) -> Image.Image:
    assert job[:2] == b"\x1b\x40"
    i, rows, width = 2, [], 0
    while job[i:i + 4] == b"\x1d\x76\x30\x00":
        row_bytes = job[i + 4] | job[i + 5] << 8
        count = job[i + 6] | job[i + 7] << 8
        width = row_bytes * 8
        rows.append(job[i + 8:i + 8 + row_bytes * count])
        i += 8 + row_bytes * count
    data = b"".join(rows)
    height = len(data) // (width // 8)
    # PIL mode "1": a set bit is white, so invert SANE/ESC-POS's "set = black".
    return Image.frombytes("1", (width, height), bytes(b ^ 0xFF for b in data))


def main():
    job, queue, count = open(sys.argv[1], "rb").read(), sys.argv[2], int(sys.argv[3])
    image = raster_from_job(job)
    start = time.perf_counter()
    for _ in range(count):
        printer = CupsPrinter(printer_name=queue)
        printer.image(image)
        printer.cut()
        printer.close()
    elapsed = time.perf_counter() - start
    print(f"{elapsed * 1000 / count:.1f}")


if __name__ == "__main__":
    main()
