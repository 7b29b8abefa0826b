"""The focused labeling view: one requirement, its context, the label tree, the model's suggestions."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from documents.models import Requirement
from frontend.views.domain_errors import domain_errors
from models_app.annotations.labeling_queue import (
    QueueFilters,
    QueueHead,
    labeling_next_place,
    labeling_requirement_get,
    requirement_with_neighbours,
)
from models_app.annotations.labeling_reads import labeling_reads
from models_app.annotations.selectors import taxonomy_with_readiness
from models_app.annotations.services import requirement_labels_set
from models_app.exports.downloads import export_job_download
from models_app.exports.models import ExportStatus
from models_app.exports.rendering import ExportOptions
from models_app.exports.selectors import export_job_list, export_row_count, export_sync_max_rows
from models_app.exports.services import export_request
from models_app.registry.models import ModelVersion
from models_app.registry.selectors import model_version_active, predicted_tags_from_rows
from selko.api.responses import attachment_response
from selko.errors import DomainError
from selko.ids import id_from_text
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.models import Project, Role
from selko.tenancy.selectors import project_get_for_user, user_has_role

FILTER_PARAMS = ("document", "section", "label", "unlabeled")


def _filters(params: QueryDict) -> QueueFilters:
    return QueueFilters(
        document_id=id_from_text(params.get("document")),
        section=params.get("section", "").strip(),
        label_id=id_from_text(params.get("label")),
        # A first visit has no parameters: unlabeled only. The filter form always sends `unlabeled`.
        unlabeled_only=params.get("unlabeled", "1") == "1",
    )


def _filter_query(params: QueryDict, **extra: object) -> str:
    kept = {key: params[key] for key in FILTER_PARAMS if params.get(key)}
    kept.update({key: str(value) for key, value in extra.items() if value is not None})
    return urlencode(kept)


Neighbourhood = tuple[Requirement | None, Requirement | None, Requirement | None]  # before, it, after


def _context(
    request: HttpRequest,
    project: Project,
    version: ModelVersion | None,
    shown: Neighbourhood,
    head: QueueHead | None,
) -> dict[str, Any]:
    before, requirement, after = shown
    # The label tree with its readiness, and the requirement's answers and scores with the documents:
    # two queries (the page's budget is eight).
    index, readiness, labeled_count = taxonomy_with_readiness(project=project)
    reads = labeling_reads(
        project=project, version=version, requirement_id=requirement.pk if requirement else None
    )
    by_label = {row.label_id: row for row in readiness}
    answers = reads.answers
    suggestions: list[Any] = []
    if requirement is not None and version is not None:
        suggestions = predicted_tags_from_rows(version=version, rows=reads.scores, index=index).get(
            requirement.pk, []
        )
    scores = {tag.label_id: tag for tag in suggestions}
    rows = [
        {
            "id": row.id,
            "name": row.label.name,
            "description": row.label.description,
            "path": row.path_display,
            "depth": row.depth,
            "color": row.label.color,
            "parent": row.label.parent_id,
            "answer": answers.get(row.id),
            "readiness": by_label[row.id],
            "suggestion": scores.get(row.id),
        }
        for row in index.rows()
    ]
    filters = _filters(request.GET)
    return {
        "project": project,
        "requirement": requirement,
        "head": head,
        "before": before,
        "after": after,
        "labels": rows,
        "suggestions": [tag for tag in suggestions if tag.predicted],
        "readiness": readiness,
        "labeled_count": labeled_count,
        "minimum": readiness[0].minimum if readiness else None,
        "ready_count": sum(1 for row in readiness if row.ready),
        "model_version": version,
        "can_label": user_has_role(user=request.user, project=project, minimum=Role.EDITOR),
        "documents": reads.documents,
        "filters": filters,
        "filter_query": _filter_query(request.GET),
        "skip_query": _filter_query(request.GET, after=requirement.pk if requirement else None),
    }


@login_required
@domain_errors()
def labeling_queue_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    """The next most useful requirement under the chosen filters."""
    project = project_get_for_user(user=request.user, slug=project_slug)
    version = model_version_active(project=project)
    place = labeling_next_place(
        project=project,
        filters=_filters(request.GET),
        version=version,
        after_id=id_from_text(request.GET.get("after")),
    )
    shown: Neighbourhood = (None, None, None)
    if place.requirement_id is not None:
        shown = requirement_with_neighbours(project=project, requirement_id=place.requirement_id)
    head = QueueHead(
        requirement=shown[1],
        position=place.position,
        size=place.size,
        strategy=place.strategy,
        size_exact=place.size_exact,
        position_exact=place.position_exact,
    )
    return render(request, "frontend/labeling/label.html", _context(request, project, version, shown, head))


@login_required
@domain_errors()
@require_http_methods(["GET", "POST"])
def labeling_requirement_view(
    request: AuthenticatedHttpRequest, project_slug: str, requirement_id: int
) -> HttpResponse:
    """One given requirement; saving it goes on to the next in the queue."""
    project = project_get_for_user(user=request.user, slug=project_slug)
    requirement = labeling_requirement_get(project=project, requirement_id=requirement_id)
    if request.method == "POST":
        chosen = (id_from_text(value) for value in request.POST.getlist("chosen"))
        label_ids = [label_id for label_id in chosen if label_id is not None]
        try:
            requirement_labels_set(
                user=request.user,
                project=project,
                requirement_id=requirement.pk,
                label_ids=label_ids,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            query = _filter_query(request.POST, after=requirement.pk)
            return redirect(f"{reverse('frontend:labeling', args=[project.slug])}?{query}")
    shown = requirement_with_neighbours(project=project, requirement_id=requirement.pk)
    version = model_version_active(project=project)
    return render(request, "frontend/labeling/label.html", _context(request, project, version, shown, None))


@login_required
@domain_errors()
@require_http_methods(["GET"])
def export_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    """Choose CSV or XLSX; small exports download at once, large ones appear below when ready."""
    project = project_get_for_user(user=request.user, slug=project_slug)
    jobs = list(export_job_list(project=project))
    context = {
        "project": project,
        "jobs": jobs,
        "pending": any(job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for job in jobs),
        "sync_max_rows": export_sync_max_rows(),
        "row_count": export_row_count(project=project, options=ExportOptions()),
    }
    return render(request, "frontend/labeling/export.html", context)


@login_required
@domain_errors(back="frontend:export")
@require_http_methods(["GET"])
def export_download_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    file_type = request.GET.get("file_type", "xlsx")
    options = ExportOptions(include_informative=request.GET.get("include_informative") == "1")
    outcome = export_request(user=request.user, project=project, file_type=file_type, options=options)
    if outcome.job is not None:
        messages.info(request, "The export is being written; its download link appears below when ready.")
        return redirect("frontend:export", project_slug=project.slug)
    return attachment_response(outcome.content, content_type=outcome.content_type, filename=outcome.filename)


@login_required
@domain_errors()
@require_http_methods(["GET"])
def export_job_download_view(
    request: AuthenticatedHttpRequest, project_slug: str, export_id: int
) -> FileResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    return export_job_download(project=project, export_id=export_id)
