"""The requirements explorer page: filters over every document of the project, the requirements with
their tags, quality findings and provenance, bulk answers on a selection, saved views, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from documents.models import Obligation
from documents.quality.rules import RULES
from frontend.views.domain_errors import domain_errors
from models_app.explorer.selectors import (
    SORTS,
    SOURCES,
    explorer_choices,
    explorer_filters_parse,
    explorer_page,
    explorer_taxonomy,
)
from models_app.explorer.services import explorer_bulk_apply, explorer_export, saved_view_delete
from selko.api.responses import attachment_response
from selko.errors import ValidationFailed
from selko.ids import id_from_text
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.models import Role
from selko.tenancy.selectors import project_get_for_user, user_has_role

PAGE_SIZE = 50


@login_required
@require_GET
@domain_errors("frontend:project-dashboard")
def explorer(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    query = request.GET.copy()
    cursor = query.pop("cursor", [""])[-1]
    error = ""
    index = explorer_taxonomy(project=project)
    try:
        filters = explorer_filters_parse(
            project=project, data={k: v for k, v in query.items() if v != ""}, index=index
        )
        page = explorer_page(
            project=project, filters=filters, cursor=cursor or None, limit=PAGE_SIZE, index=index
        )
    except ValidationFailed as refused:
        error = refused.message
        filters = explorer_filters_parse(project=project, data={}, index=index)
        page = explorer_page(project=project, filters=filters, limit=PAGE_SIZE, index=index)
    choices = explorer_choices(project=project)
    return render(
        request,
        "frontend/explorer/explorer.html",
        {
            "project": project,
            "page": page,
            "filters": filters,
            "error": error,
            "labels": [(label_id, index.path_display(label_id)) for label_id in index.by_id],
            "documents": choices.documents,
            "obligations": Obligation.choices,
            "rules": [(rule.id, rule.title) for rule in RULES.values()],
            "sources": SOURCES,
            "sorts": SORTS,
            "saved_views": choices.saved_views,
            "query": query.urlencode(),
            "can_edit": user_has_role(user=request.user, project=project, minimum=Role.EDITOR),
        },
    )


@login_required
@require_POST
@domain_errors("frontend:explorer")
def explorer_bulk(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    given = request.POST.getlist("requirement")
    requirement_ids = [i for i in (id_from_text(value) for value in given) if i is not None]
    label_id = id_from_text(request.POST.get("label"))
    if label_id is None or not requirement_ids or len(requirement_ids) != len(given):
        raise ValidationFailed("Choose a label and at least one requirement.")
    result = explorer_bulk_apply(
        user=request.user,
        project=project,
        requirement_ids=requirement_ids,
        label_id=label_id,
        action=request.POST.get("action", ""),  # type: ignore[arg-type]
    )
    messages.success(
        request, f"{result.created + result.updated} answers saved, {result.unchanged} unchanged."
    )
    back = reverse("frontend:explorer", kwargs={"project_slug": project.slug})
    return redirect(f"{back}?{request.POST.get('query', '')}")


@login_required
@require_POST
@domain_errors("frontend:explorer")
def explorer_view_delete(request: AuthenticatedHttpRequest, project_slug: str, view_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    saved_view_delete(user=request.user, project=project, view_id=view_id)
    messages.success(request, "Saved view deleted.")
    return redirect("frontend:explorer", project_slug=project.slug)


@login_required
@require_GET
@domain_errors("frontend:explorer")
def explorer_export_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    """The current view as a file; a view too large to write while the browser waits goes to a worker,
    and the export page shows its download link when it is ready."""
    project = project_get_for_user(user=request.user, slug=project_slug)
    query = {key: value for key, value in request.GET.items() if value != "" and key != "file_type"}
    filters = explorer_filters_parse(project=project, data=query)
    outcome = explorer_export(
        user=request.user, project=project, filters=filters, file_type=request.GET.get("file_type", "csv")
    )
    if outcome.job is not None:
        messages.info(
            request, "This view is large: its file is being written, and its download link appears below."
        )
        return redirect("frontend:export", project_slug=project.slug)
    return attachment_response(outcome.content, content_type=outcome.content_type, filename=outcome.filename)
