"""Housekeeping tasks for projects."""

from celery import shared_task

from selko.errors import NotFound
from selko.tenancy.services import project_statistics_refresh


@shared_task(name="selko.tenancy.project_statistics_refresh")
def project_statistics_refresh_task(project_id: int) -> None:
    try:
        project_statistics_refresh(project_id=project_id)
    except NotFound:
        # The project was deleted after the task was queued: nothing left to count.
        return
