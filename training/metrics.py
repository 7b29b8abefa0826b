"""Prometheus figures of training jobs (see selko/metrics.py)."""

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from training.models import JobStatus, TrainingJob

# Training runs from under a minute (small project, GPU) to hours (large project, CPU).
DURATION_BUCKETS = (30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0, 14400.0)


class TrainingJobsCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        counts = dict(
            TrainingJob.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        jobs = GaugeMetricFamily("selko_jobs", "Jobs by kind and status.", labels=["kind", "status"])
        for status in JobStatus.values:
            jobs.add_metric(["training", status], counts.get(status, 0))
        yield jobs

        oldest = TrainingJob.objects.filter(status=JobStatus.QUEUED).aggregate(oldest=Min("created_at"))[
            "oldest"
        ]
        age = GaugeMetricFamily(
            "selko_oldest_queued_job_age_seconds", "Age of the oldest job still waiting.", labels=["kind"]
        )
        age.add_metric(["training"], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
        yield age

        durations = HistogramMetricFamily(
            "selko_job_duration_seconds", "Run time of finished jobs, by outcome.", labels=["kind", "outcome"]
        )
        for outcome in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED):
            finished = TrainingJob.objects.filter(
                status=outcome, started_at__isnull=False, finished_at__isnull=False
            ).values_list("started_at", "finished_at")
            seconds = [(end - start).total_seconds() for start, end in finished if start and end]
            buckets = [(str(bound), sum(1 for s in seconds if s <= bound)) for bound in DURATION_BUCKETS]
            buckets.append(("+Inf", len(seconds)))
            durations.add_metric(["training", outcome], buckets=buckets, sum_value=sum(seconds))
        yield durations
