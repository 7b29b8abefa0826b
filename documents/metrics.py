"""Prometheus figures of document ingestion (see selko/metrics.py)."""

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from documents.models import Document, DocumentStatus


class IngestionCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        counts = dict(
            Document.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        jobs = GaugeMetricFamily("selko_jobs", "Jobs by kind and status.", labels=["kind", "status"])
        for status in DocumentStatus.values:
            jobs.add_metric(["ingest", status], counts.get(status, 0))
        yield jobs

        waiting = Document.objects.filter(status=DocumentStatus.UPLOADED).aggregate(oldest=Min("created_at"))
        age = GaugeMetricFamily(
            "selko_oldest_queued_job_age_seconds", "Age of the oldest job still waiting.", labels=["kind"]
        )
        age.add_metric(
            ["ingest"], (timezone.now() - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0.0
        )
        yield age
