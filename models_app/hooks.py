"""Called by other apps when a project's requirements change, so tags stay current."""

from django.db import transaction

from models_app.models import ModelVersion


def requirements_changed(*, project_id: int) -> None:
    """Re-tag the project with its active version once the current transaction commits."""
    active = (
        ModelVersion.objects.filter(project_id=project_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if active is None:
        return
    from models_app.tasks import predict_project_enqueue

    transaction.on_commit(lambda: predict_project_enqueue(project_id=project_id, model_version_id=active))
