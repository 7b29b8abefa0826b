"""Retraining end to end through real Celery worker processes, including killed workers."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from documents.models import Requirement
from models_app.annotations.models import Annotation
from models_app.registry.models import ModelVersion, Prediction
from selko.tenancy.models import Role
from tests.labeled_project import labeled_project_create
from tests.worker import CeleryWorker, start_celery_worker, wait_for
from training.models import JobStatus, TrainingJob

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _job(job_id: int) -> TrainingJob:
    return TrainingJob.objects.get(pk=job_id)


def _tagged_with(version: ModelVersion) -> set[int]:
    return set(Prediction.objects.filter(model_version=version).values_list("requirement_id", flat=True))


def _wait_until_tagged(version: ModelVersion, worker: CeleryWorker) -> None:
    wait_for(
        lambda: ModelVersion.objects.get(pk=version.pk).tagged_at is not None, timeout=120, worker=worker
    )


def test_retrain_registers_v2_promotes_it_and_retags_every_requirement(
    project: Any, member_of: Any, training_settings: dict[str, str]
) -> None:
    data = labeled_project_create(project=project)
    editor = member_of(project, Role.EDITOR)
    worker = start_celery_worker(extra_env=training_settings)
    try:
        first = _api(editor).post(f"/api/v1/projects/{project.slug}/training-jobs/", {}).json()
        wait_for(lambda: _job(first["job"]["id"]).status == JobStatus.SUCCEEDED, timeout=180, worker=worker)
        v1 = ModelVersion.objects.get(project=project, number=1)
        assert v1.is_active
        _wait_until_tagged(v1, worker)

        # The customer labels one more requirement and presses Retrain.
        Annotation.objects.create(
            project=project, requirement=data.requirements[-1], label=data.labels["Display"], value=True
        )
        response = _api(editor).post(f"/api/v1/projects/{project.slug}/training-jobs/", {})
        assert response.status_code == 201
        job_id = response.json()["job"]["id"]
        seen = set()

        def finished() -> bool:
            job = _job(job_id)
            seen.add(job.status)
            return job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

        wait_for(finished, timeout=180, interval=0.05, worker=worker)
        job = _job(job_id)
        assert job.status == JobStatus.SUCCEEDED, job.error_message
        assert JobStatus.RUNNING in seen
        assert job.progress == 100.0
        assert [point["epoch"] for point in job.metrics_series] == [1, 2, 3, 4]
        assert all(0.0 <= point["train_macro_f1"] <= 1.0 for point in job.metrics_series)
        assert job.device.startswith("cpu")
        v2 = ModelVersion.objects.get(project=project, number=2)
        assert job.model_version == v2
        assert v2.is_active and not ModelVersion.objects.get(pk=v1.pk).is_active
        assert v2.lineage["dataset_sha256"] == job.snapshot.sha256
        assert v2.lineage["annotation_count"] == Annotation.objects.filter(project=project).count()
        assert v2.lineage["triggered_by"] == editor.username
        assert len(v2.lineage["base_model_sha256"]) == 64
        assert "registered and promoted" in job.outcome

        _wait_until_tagged(v2, worker)
        assert _tagged_with(v2) == set(
            Requirement.objects.filter(project=project).values_list("pk", flat=True)
        )
        shown = _api(editor).get(
            f"/api/v1/projects/{project.slug}/requirements/{data.requirements[0].pk}/predictions/"
        )
        assert {row["model_version"] for row in shown.json()} == {2}
    finally:
        worker.stop()


def _start_long_training(project: Any, editor: Any, settings: Any) -> int:
    settings.SELKO_TRAIN_EPOCHS = 40  # long enough to interrupt
    response = _api(editor).post(f"/api/v1/projects/{project.slug}/training-jobs/", {})
    assert response.status_code == 201, response.json()
    return int(response.json()["job"]["id"])


def _wait_for_epochs(job_id: int, worker: CeleryWorker, epochs: int = 2) -> None:
    wait_for(lambda: len(_job(job_id).metrics_series) >= epochs, timeout=120, worker=worker)


def test_killed_worker_job_is_requeued_and_succeeds_on_a_new_worker(
    project: Any, member_of: Any, training_settings: dict[str, str], settings: Any
) -> None:
    labeled_project_create(project=project)
    editor = member_of(project, Role.EDITOR)
    doomed = start_celery_worker(extra_env=training_settings)
    job_id = _start_long_training(project, editor, settings)
    _wait_for_epochs(job_id, doomed)

    doomed.kill()  # SIGKILL, parent and pool child: no cleanup runs
    assert _job(job_id).status == JobStatus.RUNNING
    assert not ModelVersion.objects.filter(project=project).exists()

    rescuer = start_celery_worker(extra_env=training_settings, purge=False)
    try:
        wait_for(
            lambda: _job(job_id).status in (JobStatus.SUCCEEDED, JobStatus.FAILED),
            timeout=240,
            worker=rescuer,
        )
    finally:
        rescuer.stop()
    job = _job(job_id)
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    assert job.attempts == 2
    assert any("stopped answering; requeued" in line for line in job.log_lines)
    assert list(ModelVersion.objects.filter(project=project).values_list("number", flat=True)) == [1]


def test_killed_worker_job_fails_with_worker_lost_once_the_cap_is_reached(
    project: Any, member_of: Any, training_settings: dict[str, str], settings: Any
) -> None:
    labeled_project_create(project=project)
    editor = member_of(project, Role.EDITOR)
    doomed = start_celery_worker(extra_env=training_settings)
    job_id = _start_long_training(project, editor, settings)
    _wait_for_epochs(job_id, doomed)
    doomed.kill()

    watcher = start_celery_worker(extra_env=training_settings | {"CELERY_MAX_REDELIVERIES": "0"}, purge=False)
    try:
        wait_for(lambda: _job(job_id).status != JobStatus.RUNNING, timeout=60, worker=watcher)
    finally:
        watcher.stop()
    job = _job(job_id)
    assert job.status == JobStatus.FAILED
    assert "worker lost" in job.error_message
    assert job.finished_at is not None
    assert not ModelVersion.objects.filter(project=project).exists()


def test_cancel_stops_a_running_training_within_seconds(
    project: Any, member_of: Any, training_settings: dict[str, str], settings: Any
) -> None:
    labeled_project_create(project=project)
    editor = member_of(project, Role.EDITOR)
    worker = start_celery_worker(extra_env=training_settings)
    try:
        job_id = _start_long_training(project, editor, settings)
        _wait_for_epochs(job_id, worker, epochs=1)
        response = _api(editor).post(f"/api/v1/projects/{project.slug}/training-jobs/{job_id}/cancel/")
        assert response.status_code == 202
        wait_for(lambda: _job(job_id).status == JobStatus.CANCELLED, timeout=30, worker=worker)
    finally:
        worker.stop()
    job = _job(job_id)
    assert job.finished_at is not None
    assert "cancelled" in job.outcome.lower()
    assert len(job.metrics_series) < 40
    assert not ModelVersion.objects.filter(project=project).exists()
