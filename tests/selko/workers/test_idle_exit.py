"""Idle shutdown with real worker processes: an idle worker exits 0, a busy one finishes its task first."""

import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from selko.tenancy.models import Role
from tests.labeled_project import labeled_project_create
from tests.worker import purge_broker, start_celery_worker, wait_for
from training.models import JobStatus, TrainingJob

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_an_idle_worker_exits_0_after_the_idle_time() -> None:
    started = time.monotonic()
    worker = start_celery_worker(extra_env={"SELKO_WORKER_IDLE_EXIT_SECONDS": "5"})
    ready = time.monotonic()
    try:
        time.sleep(3)
        assert worker.process.poll() is None, "the worker stopped before its idle time"

        returncode = worker.process.wait(timeout=30)
        exited = time.monotonic()
    finally:
        worker.stop()

    assert returncode == 0
    assert exited - ready >= 5 - (ready - started)  # the clock starts when the worker does
    assert exited - ready < 30
    assert "idle shutdown: no task for 5 s, stopping" in worker.log()


def test_a_worker_with_a_task_finishes_and_acknowledges_it_before_exiting(
    project: Any, member_of: Any, training_settings: dict[str, str]
) -> None:
    # Given a training job queued before a GPU-style worker (train queue only) with a 2 s idle time starts
    labeled_project_create(project=project)
    client = APIClient()
    client.force_authenticate(member_of(project, Role.EDITOR))
    purge_broker()
    job_id = client.post(f"/api/v1/projects/{project.slug}/training-jobs/", {}).json()["job"]["id"]

    # When the worker starts, takes the job (which runs far longer than 2 s) and then runs out of work
    worker = start_celery_worker(
        queues="train", purge=False, extra_env={**training_settings, "SELKO_WORKER_IDLE_EXIT_SECONDS": "2"}
    )
    alive_when_job_finished: list[bool] = []

    def exited() -> bool:
        running = worker.process.poll() is None
        if not alive_when_job_finished and TrainingJob.objects.get(pk=job_id).status == JobStatus.SUCCEEDED:
            alive_when_job_finished.append(running)
        return not running

    try:
        wait_for(exited, timeout=240, interval=0.2, worker=worker)
    finally:
        worker.stop()

    # Then the job finished in that worker, once, and the worker exited 0 only afterwards
    job = TrainingJob.objects.get(pk=job_id)
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    assert job.attempts == 1
    assert job.started_at is not None and job.finished_at is not None
    assert (job.finished_at - job.started_at).total_seconds() > 2
    assert worker.process.returncode == 0
    assert alive_when_job_finished == [True]
    assert "idle shutdown: no task for 2 s, stopping" in worker.log()

    # And the message was acknowledged: a second worker on the same queue finds nothing to redo
    second = start_celery_worker(
        queues="train", purge=False, extra_env={"SELKO_WORKER_IDLE_EXIT_SECONDS": "3"}
    )
    try:
        assert second.process.wait(timeout=60) == 0
    finally:
        second.stop()
    assert "training.tasks.train" not in second.log().split("ready.")[-1]
    assert TrainingJob.objects.get(pk=job_id).attempts == 1
