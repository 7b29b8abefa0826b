"""`GET /api/v1/workers/` with real worker processes reporting through the database."""

import socket
import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from selko.queueing import task_by_name
from selko.tenancy.models import Role
from selko.workers.models import TaskFailure, WorkerHeartbeat
from selko.workers.services import task_failure_record
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.labeled_project import labeled_project_create
from tests.worker import start_celery_worker, wait_for
from training.models import JobStatus, TrainingJob

pytestmark = pytest.mark.django_db(transaction=True)

FAST_HEARTBEAT = {"SELKO_WORKER_HEARTBEAT_SECONDS": "1"}


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _workers(client: APIClient) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/workers/")
    assert response.status_code == 200, response.content
    return {worker["name"]: worker for worker in response.json()["workers"]}


def test_a_viewer_or_editor_is_refused() -> None:
    project = ProjectFactory()
    editor = UserFactory()
    MembershipFactory(user=editor, organization=project.organization, role=Role.EDITOR)

    response = _client(editor).get("/api/v1/workers/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_failures_are_shown_only_to_admins_of_the_failed_tasks_project() -> None:
    ours, theirs = ProjectFactory(), ProjectFactory()
    admin, outsider = UserFactory(), UserFactory()
    MembershipFactory(user=admin, organization=ours.organization, role=Role.ADMIN)
    MembershipFactory(user=outsider, organization=theirs.organization, role=Role.ADMIN)
    task_failure_record(
        task_name="selko.tenancy.project_statistics_refresh",
        task_id="t-1",
        worker_name="cpu@host",
        args=[ours.pk],
        reason="OperationalError: " + "x" * 5000,
    )

    mine = _client(admin).get("/api/v1/workers/").json()["failures"]
    other = _client(outsider).get("/api/v1/workers/").json()["failures"]

    assert [(f["task_id"], f["project"], f["subject"], len(f["reason"])) for f in mine] == [
        ("t-1", ours.slug, f"project {ours.pk}", 2000)
    ]
    assert other == []


@pytest.mark.integration
def test_two_real_workers_are_listed_with_their_task_then_disappear(
    settings: Any, project: Any, member_of: Any, training_settings: dict[str, str]
) -> None:
    settings.SELKO_WORKER_STALE_SECONDS = 3
    labeled_project_create(project=project)
    admin = member_of(project, Role.ADMIN)
    outsider_project = ProjectFactory()
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=outsider_project.organization, role=Role.ADMIN)

    # Given a CPU-style worker on the small queues and a training worker, both real processes
    cpu = start_celery_worker(
        queues="default,ingest,predict", extra_env={**training_settings, **FAST_HEARTBEAT}
    )
    gpu = start_celery_worker(queues="train", purge=False, extra_env={**training_settings, **FAST_HEARTBEAT})
    try:
        wait_for(lambda: len(_workers(_client(admin))) == 2, timeout=30, worker=gpu)
        listed = _workers(_client(admin))
        assert sorted(w["queues"] for w in listed.values()) == [["default", "ingest", "predict"], ["train"]]
        for worker in listed.values():
            assert worker["host"] == socket.gethostname()
            assert (worker["concurrency"], worker["pool"], worker["tasks_done"]) == (1, "prefork", 0)
            assert worker["device"].startswith(("CPU (", "NVIDIA"))
            assert worker["current_tasks"] == []
            assert worker["uptime_seconds"] >= 0
        assert set(_client(admin).get("/api/v1/workers/").json()["queue_depths"]) == {
            "default", "ingest", "predict", "train"
        }  # fmt: skip

        # When a training job runs on the training worker
        response = _client(admin).post(f"/api/v1/projects/{project.slug}/training-jobs/", {})
        job_id = response.json()["job"]["id"]
        gpu_name = next(name for name, w in listed.items() if w["queues"] == ["train"])
        wait_for(lambda: _workers(_client(admin))[gpu_name]["current_tasks"] != [], timeout=60, worker=gpu)

        # Then its admin sees which project's job it is, another organization's admin only that it is busy
        (mine,) = _workers(_client(admin))[gpu_name]["current_tasks"]
        (theirs,) = _workers(_client(outsider))[gpu_name]["current_tasks"]
        assert (mine["name"], mine["project"], mine["subject"]) == (
            "training.tasks.train", project.slug, f"training job {job_id}"
        )  # fmt: skip
        assert (theirs["name"], theirs["project"], theirs["subject"]) == ("training.tasks.train", None, "")
        assert mine["id"] == theirs["id"]

        wait_for(
            lambda: TrainingJob.objects.get(pk=job_id).status == JobStatus.SUCCEEDED, timeout=180, worker=gpu
        )
        wait_for(lambda: _workers(_client(admin))[gpu_name]["tasks_done"] == 1, timeout=10, worker=gpu)
        assert _workers(_client(admin))[gpu_name]["current_tasks"] == []

        # When the training worker is killed (no clean shutdown), it drops out within the stale delay
        gpu.kill()
        killed_at = time.monotonic()
        wait_for(lambda: gpu_name not in _workers(_client(admin)), timeout=30)
        assert time.monotonic() - killed_at < 10
        assert len(_workers(_client(admin))) == 1

        # And a worker that stops cleanly removes itself at once
        cpu.stop()
        assert _workers(_client(admin)) == {}
        assert WorkerHeartbeat.objects.count() == 1  # the killed worker's row, until the day-old prune
    finally:
        gpu.stop()
        cpu.stop()
    assert TaskFailure.objects.count() == 0


@pytest.mark.integration
def test_a_task_that_raises_in_a_real_worker_is_recorded_with_its_reason(celery_worker: Any) -> None:
    task = task_by_name("selko.tenancy.project_statistics_refresh")

    # A malformed id: the statistics service cannot even look the project up, and the task fails.
    task.delay("not-an-id")
    wait_for(lambda: TaskFailure.objects.exists(), timeout=60, worker=celery_worker)

    (failure,) = TaskFailure.objects.all()
    assert (failure.task_name, failure.project, failure.subject) == (task.name, None, "")
    assert failure.worker_name.startswith("test-")
    assert failure.reason.startswith("ValueError: Field 'id' expected a number but got 'not-an-id'")
