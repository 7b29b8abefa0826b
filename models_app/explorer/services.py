"""Writes of the explorer: bulk answers on a selection (through the annotation service), saved views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.db import IntegrityError, transaction

from models_app.annotations.services import AnnotationInput, AnnotationWriteResult, annotations_upsert
from models_app.explorer.models import SavedView
from models_app.explorer.selectors import ExplorerFilters, explorer_filters_parse
from models_app.exports.rendering import ExportOptions
from models_app.exports.services import ExportOutcome, export_request
from models_app.registry.models import Prediction
from models_app.registry.selectors import model_version_active
from selko.audit.services import audit_record
from selko.errors import Conflict, NotFound, ValidationFailed
from selko.request_types import AnyUser
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

BulkAction = Literal["accept", "reject", "add"]
BULK_ACTIONS: tuple[BulkAction, ...] = ("accept", "reject", "add")


def explorer_bulk_apply(
    *, user: AnyUser, project: Project, requirement_ids: Sequence[int], label_id: int, action: BulkAction
) -> AnnotationWriteResult:
    """Answer one label for a selection of requirements, all or nothing.

    accept: "yes" where the active model suggests the label; reject: "no" there; add: "yes" on every
    selected requirement. Requirements the model does not suggest the label for are left alone by accept
    and reject (the selection may mix them). The annotation service checks roles and project membership.
    """
    if action not in BULK_ACTIONS:
        raise ValidationFailed(f"Unknown action {action!r}; use one of {', '.join(BULK_ACTIONS)}.")
    ids = sorted(set(requirement_ids))
    if action in ("accept", "reject"):
        version = model_version_active(project=project)
        suggested = (
            set(
                Prediction.objects.filter(
                    project=project,
                    model_version=version,
                    label_id=label_id,
                    requirement_id__in=ids,
                    predicted=True,
                ).values_list("requirement_id", flat=True)
            )
            if version is not None
            else set()
        )
        ids = [requirement_id for requirement_id in ids if requirement_id in suggested]
    items = [AnnotationInput(requirement_id, label_id, action != "reject") for requirement_id in ids]
    return annotations_upsert(user=user, project=project, items=items)


def saved_view_create(*, user: AnyUser, project: Project, name: str, filters: dict[str, Any]) -> SavedView:
    """A named filter the whole project sees. A malformed filter or a taken name is refused."""
    require_role(user=user, project=project, minimum=Role.EDITOR, action="save explorer views")
    name = name.strip()
    if not name:
        raise ValidationFailed(
            "A saved view needs a name.", details={"name": ["This field may not be blank."]}
        )
    if not isinstance(filters, dict):
        raise ValidationFailed("The filter of a saved view must be an object.")
    parsed = explorer_filters_parse(project=project, data=filters)
    try:
        with transaction.atomic():
            view = SavedView.objects.create(
                project=project,
                name=name,
                filters=parsed.as_dict(),
                created_by=user if user.is_authenticated else None,
            )
    except IntegrityError as error:
        raise Conflict(f"A view named {name!r} already exists in this project.") from error
    audit_record(
        actor=user, action="explorer.view_saved", target=view, project=project, details={"name": name}
    )
    return view


def saved_view_delete(*, user: AnyUser, project: Project, view_id: int) -> None:
    """Remove a saved view of the project (editors, like saving one). Another project's view is not found."""
    require_role(user=user, project=project, minimum=Role.EDITOR, action="delete explorer views")
    view = SavedView.objects.filter(project=project, pk=view_id).first()
    if view is None:
        raise NotFound(f"No saved view {view_id} in this project.")
    audit_record(
        actor=user, action="explorer.view_deleted", target=view, project=project, details={"name": view.name}
    )
    view.delete()


def explorer_export(
    *, user: AnyUser, project: Project, filters: ExplorerFilters, file_type: str
) -> ExportOutcome:
    """The current view as a file with the full export's columns: written at once when it is small, else
    by a worker as an export job that keeps the view's filter (the outcome then carries the job)."""
    return export_request(
        user=user,
        project=project,
        file_type=file_type,
        options=ExportOptions(explorer_filters=filters.as_dict()),
    )
