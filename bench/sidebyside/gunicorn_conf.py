"""Gunicorn settings shared by the project and the hello baseline, so both run the same server.

Besides the settings, two hooks keep a tally in a small memory-mapped file (BENCH_COUNTER_FILE):
the worker's pid, requests started and requests finished. The benchmark reads it to find the
worker (for its CPU time in /proc) and to count the requests the server really handled, including
those still queued when the load generator stopped.
"""

import mmap
import os
import struct

workers = 1
worker_class = "sync"
timeout = 120  # a slow page behind seven queued connections must not get the worker killed
graceful_timeout = 5
accesslog = None
loglevel = "warning"

TALLY = struct.Struct("QQQ")  # worker pid, requests started, requests finished
_tally: mmap.mmap | None = None


def post_fork(server, worker):
    global _tally
    fd = os.open(os.environ["BENCH_COUNTER_FILE"], os.O_RDWR)
    try:
        _tally = mmap.mmap(fd, TALLY.size)
    finally:
        os.close(fd)
    TALLY.pack_into(_tally, 0, os.getpid(), 0, 0)


def pre_request(worker, req):
    pid, started, finished = TALLY.unpack_from(_tally)
    TALLY.pack_into(_tally, 0, pid, started + 1, finished)


def post_request(worker, req, environ, resp):
    pid, started, finished = TALLY.unpack_from(_tally)
    TALLY.pack_into(_tally, 0, pid, started, finished + 1)
