"""`GET /metrics`: the token guard, and the figures against known activity."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus
from selko.tenancy.models import Role
from selko.workers.services import WorkerReport, worker_heartbeat_record
from tests.factories import ProjectFactory
from tests.labeled_project import labeled_project_create
from tests.worker import purge_broker
from training.models import JobStatus, TrainingJob

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "metrics-token-for-tests"


def _scrape(client: Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_are_off_without_a_token_and_refused_with_a_wrong_one(settings: Any) -> None:
    settings.SELKO_METRICS_TOKEN = ""
    assert Client().get("/metrics", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 404

    settings.SELKO_METRICS_TOKEN = TOKEN
    for header in ("", "Bearer wrong", TOKEN, f"Bearer {TOKEN}x"):
        response = Client().get("/metrics", headers={"authorization": header})
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == 'Bearer realm="selko-metrics"'
        assert b"selko_" not in response.content


def test_figures_match_known_activity(settings: Any, project: Any, member_of: Any) -> None:
    settings.SELKO_METRICS_TOKEN = TOKEN
    purge_broker()
    # Given a training job queued through the API with no worker running
    labeled_project_create(project=project)
    client = APIClient()
    client.force_authenticate(member_of(project, Role.EDITOR))
    assert client.post(f"/api/v1/projects/{project.slug}/training-jobs/", {}).status_code == 201
    TrainingJob.objects.filter(project=project).update(created_at=timezone.now() - timedelta(seconds=90))
    # and, in another project, one job that ran 45 s and succeeded and two that failed after 100 s and 2 h
    other = ProjectFactory()
    start = timezone.now() - timedelta(hours=3)
    for status, seconds in ((JobStatus.SUCCEEDED, 45), (JobStatus.FAILED, 100), (JobStatus.FAILED, 7200)):
        TrainingJob.objects.create(
            project=other, status=status, started_at=start, finished_at=start + timedelta(seconds=seconds)
        )
    # and a live GPU worker on the train queue
    worker_heartbeat_record(
        report=WorkerReport(
            name="gpu@node-1", host="node-1", pid=1, queues=["train"], concurrency=1, pool="solo",
            device="NVIDIA H200", device_memory_bytes=None, started_at=timezone.now(), tasks_done=0,
        ),
        running=[],
    )  # fmt: skip

    figures = _scrape(Client())

    documents = Document.objects.filter(project=project).count()
    assert figures[("selko_queue_messages", (("queue", "train"),))] == 1
    assert figures[("selko_queue_messages", (("queue", "ingest"),))] == 0
    assert figures[("selko_workers", (("device", "NVIDIA H200"), ("queue", "train")))] == 1
    assert figures[("selko_jobs", (("kind", "training"), ("status", "queued")))] == 1
    assert figures[("selko_jobs", (("kind", "training"), ("status", "succeeded")))] == 1
    assert figures[("selko_jobs", (("kind", "training"), ("status", "failed")))] == 2
    assert figures[("selko_jobs", (("kind", "ingest"), ("status", DocumentStatus.PARSED)))] == documents
    assert 90 <= figures[("selko_oldest_queued_job_age_seconds", (("kind", "training"),))] < 120
    failed = (("kind", "training"), ("outcome", "failed"))
    assert figures[("selko_job_duration_seconds_bucket", (*failed[:1], ("le", "60.0"), failed[1]))] == 0
    assert figures[("selko_job_duration_seconds_bucket", (*failed[:1], ("le", "120.0"), failed[1]))] == 1
    assert figures[("selko_job_duration_seconds_bucket", (*failed[:1], ("le", "+Inf"), failed[1]))] == 2
    assert figures[("selko_job_duration_seconds_count", failed)] == 2
    assert figures[("selko_job_duration_seconds_sum", failed)] == 7300
    purge_broker()
