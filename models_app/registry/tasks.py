"""Celery tasks of the `predict` queue: tag a project's requirements with a model version.

Task names are the names messages already in a queue carry: they stay as they were when a module moves.
"""

from celery import shared_task

from models_app.registry.tagging import predictions_refresh, predictions_refresh_active
from models_app.registry.zero_shot import zero_shot_version_refresh
from selko.errors import NotFound


@shared_task(name="models_app.tasks.predict_project", queue="predict", subject_model="tenancy.Project")
def predict_project_task(project_id: int, model_version_id: int) -> None:
    try:
        predictions_refresh(project_id=project_id, model_version_id=model_version_id)
    except NotFound:
        return  # the version or project was deleted after the task was queued


@shared_task(name="models_app.tasks.retag_project", queue="predict", subject_model="tenancy.Project")
def retag_project_task(project_id: int) -> None:
    """After a project's requirements changed: tag them with the active version, if there is one."""
    try:
        predictions_refresh_active(project_id=project_id)
    except NotFound:
        return


@shared_task(name="models_app.tasks.zero_shot_refresh", queue="predict")
def zero_shot_refresh_task(project_id: int) -> None:
    """After the label tree or the labels' meaning changed: rebuild the zero-shot version if needed."""
    try:
        zero_shot_version_refresh(project_id=project_id)
    except NotFound:
        return
