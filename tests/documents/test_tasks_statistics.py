"""A real task through a real worker process on the configured broker (filesystem or Redis)."""

import pytest
from django.db import transaction

from documents.tasks import project_statistics_refresh_task
from selko.tenancy.models import Project
from tests.factories import MembershipFactory, ProjectFactory
from tests.worker import CeleryWorker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_statistics_task_runs_in_a_worker_process(celery_worker: CeleryWorker) -> None:
    project = ProjectFactory()
    MembershipFactory(organization=project.organization)
    MembershipFactory(organization=project.organization)

    with transaction.atomic():
        transaction.on_commit(lambda: project_statistics_refresh_task.delay(project.pk))

    def refreshed() -> bool:
        project.refresh_from_db()
        return project.statistics_updated_at is not None

    wait_for(refreshed, timeout=60, worker=celery_worker)
    assert project.statistics == {"documents": 0, "requirements": 0, "informative": 0, "members": 2}
    assert "selko.tenancy.project_statistics_refresh" in celery_worker.log()


def test_task_for_a_deleted_project_ends_quietly(celery_worker: CeleryWorker) -> None:
    project = ProjectFactory()
    gone_id = project.pk
    Project.objects.filter(pk=gone_id).delete()
    project_statistics_refresh_task.delay(gone_id)
    wait_for(lambda: "succeeded" in celery_worker.log(), timeout=60, worker=celery_worker)
    assert "Traceback" not in celery_worker.log()
