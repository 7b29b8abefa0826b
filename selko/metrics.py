"""`GET /metrics`: Prometheus figures for the operator's own monitoring, behind a bearer token.

Every figure but request latency is read at scrape time from the database and the broker, the sources of
truth shared by all web and worker processes, so any web process answers the same (in-process counters
would be one gunicorn worker's share); request latency adds up the web processes of one machine through
prometheus_client's multiprocess folder (selko/request_metrics.py). Each app contributes a collector,
named here as a string like the API's feature routes: the foundation lists them without importing the
apps above it.
"""

import functools
import hmac
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from selko.request_metrics import request_latency_collector

METRIC_COLLECTORS = (
    "selko.workers.metrics.WorkersCollector",
    "selko.workers.metrics.WorkDoneCollector",
    "documents.metrics.IngestionCollector",
    "training.metrics.TrainingJobsCollector",
)


class _AppsCollector(Collector):
    """The apps' collectors as one: a family several apps fill (`selko_jobs` with its `kind` label) is
    written once, with all their samples, as the exposition format requires."""

    def __init__(self, collectors: list[Collector]) -> None:
        self.collectors = collectors

    def collect(self) -> Iterator[Metric]:
        families: dict[str, Metric] = {}
        for collector in self.collectors:
            for family in collector.collect():
                if family.name in families:
                    families[family.name].samples.extend(family.samples)
                else:
                    families[family.name] = family
        yield from families.values()


@functools.cache
def metrics_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_AppsCollector([import_string(path)() for path in METRIC_COLLECTORS]))
    registry.register(request_latency_collector())
    return registry


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.SELKO_METRICS_TOKEN
    if not token:
        raise Http404("Metrics are off: set SELKO_METRICS_TOKEN to turn them on.")
    supplied = request.headers.get("Authorization", "")
    if not hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode()):
        response = HttpResponse(
            "A valid 'Authorization: Bearer <SELKO_METRICS_TOKEN>' is required.\n", status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="selko-metrics"'
        return response
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)
