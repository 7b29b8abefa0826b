"""Shared storage for real: the web side and a worker "on another machine" meet only in an S3 bucket.

The bucket is served by moto's standalone S3 server on loopback. The worker gets its own empty
SELKO_VAR_DIR and media folder, so the upload it parses, the snapshot it trains from, the model it serves
and the export it writes can only travel through S3. The database and the broker are the other shared
services (on the embedded pass a SQLite file and the filesystem broker's folder stand in for PostgreSQL
and Redis); no other file may appear anywhere both sides can reach.
"""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus, Requirement
from models_app.annotations.models import Annotation
from models_app.exports.models import ExportJob, ExportStatus
from models_app.registry.models import ModelVersion, Prediction
from models_app.taxonomy.models import Label
from selko.tenancy.models import Role
from tests.documents.ingest_files import spec_pdf
from tests.labeled_project import TOPICS
from tests.s3_server import S3Server, s3_server_running
from tests.worker import start_celery_worker, wait_for
from training.models import DatasetSnapshot, JobStatus, TrainingJob
from training.snapshots import dataset_snapshot_load

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PER_TOPIC = 6


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[S3Server]:
    with s3_server_running(log_dir=tmp_path) as server:
        yield server


@pytest.fixture
def web_on_s3(settings: Any, s3: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """This process as the web side: storage in the bucket, a media folder that must stay empty."""
    for name, value in s3.environment().items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = s3.storages_setting()
    settings.MEDIA_ROOT = tmp_path / "web-media"
    return Path(settings.MEDIA_ROOT)


def _spec_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (f"{number} {topic}", [(f"REQ-{number}{n:02d}", text.format(n=10 + n)) for n in range(PER_TOPIC)])
        for number, (topic, text) in enumerate(TOPICS.items(), start=1)
    ]


def _label_by_topic(project: Any) -> dict[str, Label]:
    safety = Label.objects.create(project=project, name="Safety")
    return {
        "Safety": safety,
        "Braking": Label.objects.create(project=project, name="Braking", parent=safety),
        "Power": Label.objects.create(project=project, name="Power", parent=safety),
        "Display": Label.objects.create(project=project, name="Display"),
    }


def _answer_every_requirement(project: Any, labels: dict[str, Label]) -> None:
    for requirement in Requirement.objects.filter(project=project, is_requirement=True):
        topic = next(topic for topic, text in TOPICS.items() if requirement.text.startswith(text[:20]))
        Annotation.objects.create(project=project, requirement=requirement, label=labels[topic], value=True)
        Annotation.objects.create(
            project=project, requirement=requirement, label=labels["Safety"], value=topic != "Display"
        )


def _files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def _files_outside_the_shared_services(var_dir: Path, *, broker_dir: Path, database: Path) -> set[Path]:
    return {
        path
        for path in _files_under(var_dir)
        if broker_dir not in path.parents
        and not path.name.startswith(database.name)  # the database file, its -wal and -shm
        and "worker-logs" not in path.parts  # the test's capture of the worker's output
    }


def test_a_worker_with_its_own_disk_ingests_trains_and_predicts_through_s3_alone(
    s3: S3Server,
    web_on_s3: Path,
    settings: Any,
    project: Any,
    member_of: Any,
    training_settings: dict[str, str],
    tmp_path: Path,
) -> None:
    from django.db import connection

    web_var = Path(settings.VAR_DIR)
    database = Path(connection.settings_dict["NAME"])
    broker_dir = Path(settings.CELERY_FILESYSTEM_BROKER_DIR)
    files_before = _files_outside_the_shared_services(web_var, broker_dir=broker_dir, database=database)
    worker_var = tmp_path / "worker-machine"
    worker_var.mkdir()
    editor = member_of(project, Role.EDITOR)
    client = APIClient()
    client.force_authenticate(editor)
    worker = start_celery_worker(
        extra_env={
            **training_settings,
            **s3.environment(),
            "SELKO_VAR_DIR": str(worker_var),
            "SELKO_MEDIA_ROOT": str(worker_var / "media"),
            # Only the broker's folder is shared with this process (Redis on the services pass).
            "SELKO_FILESYSTEM_BROKER_DIR": str(broker_dir),
        }
    )
    try:
        # Given a specification uploaded on the web side
        upload = client.post(
            f"/api/v1/projects/{project.slug}/documents/",
            {"file": SimpleUploadedFile("spec.pdf", spec_pdf(_spec_sections(), note=""))},
            format="multipart",
        )
        assert upload.status_code == 201, upload.json()
        document = Document.objects.get(pk=upload.json()["id"])
        assert s3.keys() == [document.current_revision.file.name]  # type: ignore[union-attr]

        # When the worker ingests it
        wait_for(
            lambda: (
                Document.objects.get(pk=document.pk).status in (DocumentStatus.PARSED, DocumentStatus.FAILED)
            ),
            timeout=120,
            worker=worker,
        )
        document.refresh_from_db()
        assert (document.status, document.requirement_count, document.page_count) == (
            DocumentStatus.PARSED,
            3 * PER_TOPIC,
            3,
        ), document.error_message

        # and, once people answered, trains a model from a snapshot and tags the project with it
        _answer_every_requirement(project, _label_by_topic(project))
        created = client.post(f"/api/v1/projects/{project.slug}/training-jobs/", {})
        assert created.status_code == 201, created.json()
        job_id = created.json()["job"]["id"]
        wait_for(
            lambda: TrainingJob.objects.get(pk=job_id).status in (JobStatus.SUCCEEDED, JobStatus.FAILED),
            timeout=240,
            worker=worker,
        )
        job = TrainingJob.objects.get(pk=job_id)
        assert job.status == JobStatus.SUCCEEDED, job.error_message
        version = ModelVersion.objects.get(project=project, number=1)
        assert version.is_active
        wait_for(
            lambda: ModelVersion.objects.get(pk=version.pk).tagged_at is not None, timeout=120, worker=worker
        )

        # and writes a large export
        settings.SELKO_EXPORT_SYNC_MAX_ROWS = 2
        queued = client.get(f"/api/v1/projects/{project.slug}/exports/requirements/", {"file_type": "xlsx"})
        assert queued.status_code == 202, queued.json()
        export_id = queued.json()["id"]
        wait_for(
            lambda: (
                ExportJob.objects.get(pk=export_id).status in (ExportStatus.SUCCEEDED, ExportStatus.FAILED)
            ),
            timeout=60,
            worker=worker,
        )
    finally:
        worker.stop()

    # Then the web side shows the worker's predictions and serves its export, both reached through S3
    requirement = Requirement.objects.filter(project=project).order_by("order").first()
    assert requirement is not None
    shown = client.get(f"/api/v1/projects/{project.slug}/requirements/{requirement.pk}/predictions/")
    assert shown.status_code == 200
    assert {row["model_version"] for row in shown.json()} == {1}
    assert set(
        Prediction.objects.filter(model_version=version).values_list("requirement_id", flat=True)
    ) == set(Requirement.objects.filter(project=project).values_list("pk", flat=True))
    download = client.get(f"/api/v1/projects/{project.slug}/exports/{export_id}/download/")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)["Requirements"]
    assert len(list(sheet.iter_rows(min_row=2, values_only=True))) == 3 * PER_TOPIC
    snapshot = DatasetSnapshot.objects.get(pk=job.snapshot_id)
    assert len(dataset_snapshot_load(snapshot=snapshot).examples) == 3 * PER_TOPIC

    # and the bucket holds everything: the upload, the snapshot, the model and the export
    keys = s3.keys()
    assert document.current_revision.file.name in keys  # type: ignore[union-attr]
    assert snapshot.storage_path in keys
    assert f"{version.artifact_path}/training_card.json" in keys
    assert ExportJob.objects.get(pk=export_id).file_path in keys
    # The worker served the model from its own download of the bucket's copy
    assert (worker_var / "model-cache" / version.artifact_path.replace("/", "__")).is_dir()
    # and nothing was written to a local folder the other side could read
    assert _files_under(web_on_s3) == set()
    assert _files_under(worker_var / "media") == set()
    files_after = _files_outside_the_shared_services(web_var, broker_dir=broker_dir, database=database)
    assert files_after - files_before == set()
