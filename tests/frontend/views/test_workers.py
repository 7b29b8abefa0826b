"""The workers page: what an organization admin sees of the workers, and who may not open it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from selko.tenancy.models import Role
from selko.workers.models import WorkerHeartbeat
from selko.workers.services import RunningTask, WorkerReport, worker_heartbeat_record
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def _browser(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _report(name: str) -> WorkerReport:
    return WorkerReport(
        name=name,
        host="gpu-node-7",
        pid=4242,
        queues=["train"],
        concurrency=1,
        pool="solo",
        device="NVIDIA H200",
        device_memory_bytes=143771 * 1024 * 1024,
        started_at=timezone.now() - timedelta(hours=2),
        tasks_done=3,
    )


def test_an_admin_sees_the_worker_and_the_project_of_its_task_only_when_it_is_theirs() -> None:
    ours, theirs = ProjectFactory(name="Metro line 4"), ProjectFactory(name="Secret satellite")
    admin = UserFactory()
    MembershipFactory(user=admin, organization=ours.organization, role=Role.ADMIN)
    now = timezone.now()
    worker_heartbeat_record(
        report=_report("gpu@node-7"),
        running=[
            RunningTask(
                name="selko.tenancy.project_statistics_refresh", id="a1", args=[ours.pk], started_at=now
            )
        ],
    )
    worker_heartbeat_record(
        report=_report("gpu@node-8"),
        running=[
            RunningTask(
                name="selko.tenancy.project_statistics_refresh", id="b2", args=[theirs.pk], started_at=now
            )
        ],
    )

    page = _browser(admin).get("/workers/").content.decode()

    assert page.count("gpu-node-7") == 2
    assert "NVIDIA H200" in page and "140.4\xa0GB" in page
    assert "Metro line 4" in page and f"project {ours.pk}" in page
    assert "Secret satellite" not in page and f"project {theirs.pk}" not in page
    assert page.count("selko.tenancy.project_statistics_refresh") == 2


def test_a_worker_silent_for_longer_than_the_stale_delay_is_not_listed(settings: object) -> None:
    project = ProjectFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organization=project.organization, role=Role.ADMIN)
    worker_heartbeat_record(report=_report("gpu@gone"), running=[])
    WorkerHeartbeat.objects.update(last_heartbeat_at=timezone.now() - timedelta(seconds=31))

    page = _browser(admin).get("/workers/").content.decode()

    assert "gpu@gone" not in page
    assert "No worker is running." in page


def test_an_editor_is_sent_back_to_the_projects_with_a_message() -> None:
    project = ProjectFactory()
    editor = UserFactory()
    MembershipFactory(user=editor, organization=project.organization, role=Role.EDITOR)
    worker_heartbeat_record(report=_report("gpu@node-7"), running=[])

    response = _browser(editor).get("/workers/", follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Only organization admins see the workers." in response.content.decode()
    assert "gpu-node-7" not in response.content.decode()
