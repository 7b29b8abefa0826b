"""`GET /metrics`: the token guard, and the figures against known activity."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus
from documents.services.ingest import document_ingest
from documents.services.upload import document_upload
from models_app.registry.models import ModelVersion
from models_app.registry.tagging import predictions_refresh
from models_app.taxonomy.models import Label
from selko.tenancy.models import Role
from selko.workers.services import WorkerReport, worker_heartbeat_record
from tests.documents.ingest_files import requirements_xlsx, spec_pdf
from tests.factories import ProjectFactory
from tests.labeled_project import labeled_project_create
from tests.worker import purge_broker
from training.models import JobStatus, TrainingJob
from training.runner import training_job_run

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


def _ingest(user: Any, project: Any, name: str, data: bytes) -> Document:
    """Upload, then run the ingest task's service here, as a worker would."""
    result = document_upload(user=user, project=project, upload=SimpleUploadedFile(name, data), filename=name)
    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)
    result.document.refresh_from_db()
    return result.document


def _work_done(figures: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> dict[str, float]:
    names = ("ingested_pages", "ingested_rows", "predictions", "tagged_requirements")
    return {name: figures[(f"selko_{name}_total", ())] for name in names}


def test_ingestion_counts_pages_and_rows_only_for_documents_that_were_parsed(
    settings: Any, project: Any, member_of: Any, tmp_path: Any
) -> None:
    settings.SELKO_METRICS_TOKEN = TOKEN
    settings.MEDIA_ROOT = str(tmp_path / "media")
    purge_broker()
    editor = member_of(project, Role.EDITOR)
    before = _work_done(_scrape(Client()))

    # Given a 2-page specification, a workbook with 4 rows and a truncated PDF, each ingested
    spec = _ingest(editor, project, "spec.pdf", spec_pdf())
    sheet = _ingest(editor, project, "reqs.xlsx", requirements_xlsx())
    broken = _ingest(editor, project, "broken.pdf", spec_pdf()[:900])
    assert (spec.status, spec.page_count, sheet.status, sheet.row_count, broken.status) == (
        "parsed", 2, "parsed", 4, "failed",
    )  # fmt: skip

    after = _work_done(_scrape(Client()))

    # Then the counters grew by the parsed documents' pages and rows alone
    assert after["ingested_pages"] - before["ingested_pages"] == 2
    assert after["ingested_rows"] - before["ingested_rows"] == 4
    assert after["predictions"] == before["predictions"]
    purge_broker()


def test_tagging_counts_each_requirement_and_each_prediction_written(
    settings: Any, project: Any, member_of: Any, training_settings: dict[str, str]
) -> None:
    settings.SELKO_METRICS_TOKEN = TOKEN
    purge_broker()
    data = labeled_project_create(project=project)
    client = APIClient()
    client.force_authenticate(member_of(project, Role.EDITOR))
    response = client.post(f"/api/v1/projects/{project.slug}/training-jobs/", {})
    assert response.status_code == 201, response.json()
    training_job_run(job_id=response.json()["job"]["id"], worker_host="test")  # the `train` task's work
    version = ModelVersion.objects.get(project=project, number=1)
    before = _work_done(_scrape(Client()))

    # When the predict task tags the project with the new version, twice (a re-tag writes again)
    tagged = predictions_refresh(project_id=project.pk, model_version_id=version.pk)
    predictions_refresh(project_id=project.pk, model_version_id=version.pk)

    after = _work_done(_scrape(Client()))
    labels = Label.objects.filter(project=project).count()
    assert tagged == len(data.requirements)
    assert after["tagged_requirements"] - before["tagged_requirements"] == 2 * len(data.requirements)
    assert after["predictions"] - before["predictions"] == 2 * len(data.requirements) * labels
    assert after["ingested_pages"] == before["ingested_pages"]
    purge_broker()
