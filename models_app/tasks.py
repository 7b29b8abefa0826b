"""Celery tasks of the `predict` queue."""

from celery import shared_task

from models_app.services import predictions_refresh
from selko.errors import NotFound


@shared_task(name="models_app.tasks.predict_project")
def predict_project_task(project_id: int, model_version_id: int) -> None:
    try:
        predictions_refresh(project_id=project_id, model_version_id=model_version_id)
    except NotFound:
        return  # the version or project was deleted after the task was queued


def predict_project_enqueue(*, project_id: int, model_version_id: int) -> None:
    predict_project_task.delay(project_id, model_version_id)
