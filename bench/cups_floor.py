#!/usr/bin/env python3
"""The floor under bench/print_receipt.sh: what one CUPS job costs here with nothing rendered.
Submits the same ESC/POS bytes COUNT times through pycups (libcups underneath), first without
waiting (as python-escpos does), then following each job until CUPS says it completed (as the
kiosk must: a receipt counts as printed only then).

usage: cups_floor.py ESCPOS_JOB QUEUE COUNT
prints: "<ms per job, submit only> <ms per job, submit and wait for completed>"
"""
import sys
import time

import cups

COMPLETED, CANCELED, ABORTED = 9, 7, 8


def submit(conn, queue, payload):
    job = conn.createJob(queue, "floor", {"document-format": "application/vnd.cups-raw"})
    conn.startDocument(queue, job, "floor", "application/vnd.cups-raw", 1)
    conn.writeRequestData(payload, len(payload))
    conn.finishDocument(queue)
    return job


def main():
    payload, queue, count = open(sys.argv[1], "rb").read(), sys.argv[2], int(sys.argv[3])
    conn = cups.Connection()
    start = time.perf_counter()
    for _ in range(count):
        submit(conn, queue, payload)
    fire_and_forget = (time.perf_counter() - start) * 1000 / count
    # Let the queue drain before the second half.
    while conn.getJobs(which_jobs="not-completed"):
        time.sleep(0.05)
    start = time.perf_counter()
    for _ in range(count):
        job = submit(conn, queue, payload)
        while conn.getJobAttributes(job, ["job-state"])["job-state"] not in (COMPLETED, CANCELED, ABORTED):
            time.sleep(0.001)
    completed = (time.perf_counter() - start) * 1000 / count
    print(f"{fire_and_forget:.1f} {completed:.1f}")


if __name__ == "__main__":
    main()
