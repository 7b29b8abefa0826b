"""Prometheus figures of the queues and the live workers (see selko/metrics.py)."""

from collections import Counter
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from selko.workers.models import WorkDone, WorkTotal
from selko.workers.selectors import live_workers, queue_depths


class WorkersCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        depths = GaugeMetricFamily(
            "selko_queue_messages", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        for queue, depth in queue_depths().items():
            if depth is not None:  # the broker was unreachable: no figure rather than a false zero
                depths.add_metric([queue], depth)
        yield depths
        by_queue_and_device: Counter[tuple[str, str]] = Counter()
        for worker in live_workers():
            for queue in worker.queues:
                by_queue_and_device[(queue, worker.device)] += 1
        workers = GaugeMetricFamily(
            "selko_workers", "Live workers consuming a queue, by device.", labels=["queue", "device"]
        )
        for (queue, device), count in sorted(by_queue_and_device.items()):
            workers.add_metric([queue, device], count)
        yield workers


# Each running total as a Prometheus counter (the client adds `_total`), for rate() to turn into a speed.
WORK_COUNTERS = {
    WorkDone.PAGES_INGESTED: ("selko_ingested_pages", "Pages of documents (PDF, Word) ingested."),
    WorkDone.ROWS_INGESTED: (
        "selko_ingested_rows",
        "Rows of spreadsheets, CSV files and ReqIF objects ingested.",
    ),
    WorkDone.PREDICTIONS_WRITTEN: (
        "selko_predictions",
        "Predictions written: one per requirement and label.",
    ),
    WorkDone.REQUIREMENTS_TAGGED: ("selko_tagged_requirements", "Requirements tagged by a model."),
}


class WorkDoneCollector(Collector):
    def collect(self) -> Iterator[CounterMetricFamily]:
        totals = dict(WorkTotal.objects.values_list("name", "value"))
        for work, (name, documentation) in WORK_COUNTERS.items():
            yield CounterMetricFamily(name, documentation, value=totals.get(work, 0))
