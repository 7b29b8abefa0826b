"""What a web process does once Django is set up, before its first request (selko/wsgi.py)."""

import gc

from django.urls import get_resolver


def web_process_warm() -> None:
    """Import every view now (through the URLconf) rather than on the first request, then take what is
    loaded out of the garbage collector's sight: modules, classes, settings live as long as the process.

    CPython's full collection walks every object it tracks, and requests leave enough cyclic garbage for
    one to run every hundred requests or so; over the ~150,000 objects a worker holds after start each
    paused its request 60-120 ms on a busy machine (bench/api.py: one request in 20 over the target on
    several lists). Frozen (gc.freeze), the walk covers only what came after: 5-20 ms."""
    get_resolver().url_patterns  # noqa: B018 - read for its import of every view
    gc.collect()  # no garbage frozen with the rest
    gc.freeze()
