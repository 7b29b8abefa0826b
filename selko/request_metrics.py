"""How long the web process takes to answer, as a Prometheus histogram summed over gunicorn's workers.

gunicorn answers with several processes, and a scrape reaches one of them: a figure kept in that
process's memory would be its share alone. With PROMETHEUS_MULTIPROC_DIR set (selko/gunicorn_conf.py
sets it for every start), prometheus_client keeps each process's figures in a file of that folder and a
scrape adds them all up, whichever process answers it. Without it (runserver, tests) the figures are the
one process's own. Several web machines are several scrape targets; Prometheus adds them up.
"""

import os
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from prometheus_client import Histogram
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# From a health check (milliseconds) to a large upload or a synchronous export (tens of seconds).
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# A URL no route matches is one series, not one per path a scanner tries.
UNMATCHED_ROUTE = "unmatched"

# In no registry of its own: `request_latency_collector` says who reports it.
REQUEST_SECONDS = Histogram(
    "selko_http_request_duration_seconds",
    "Time to answer a request, by method, route pattern and status code.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
    registry=None,
)


def request_latency_collector() -> Collector:
    """Every web process's latencies when they share a folder, this process's otherwise."""
    folder = os.environ.get(MULTIPROCESS_DIR_VARIABLE)
    if folder:
        return MultiProcessCollector(None, path=folder)
    return REQUEST_SECONDS


class RequestLatencyMiddleware:
    """First in MIDDLEWARE, so the time covers every other middleware and the error pages too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        REQUEST_SECONDS.labels(
            request.method if request.method in KNOWN_METHODS else "other",
            match.route if match is not None and match.route else UNMATCHED_ROUTE,
            str(response.status_code),
        ).observe(time.perf_counter() - started)
        return response
