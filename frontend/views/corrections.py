"""Corrections of a document's segments from its page: one view per correction, each calling one service.

The forms post the segment's id; the page comes back scrolled to the corrected row.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from documents.models import Requirement
from documents.selectors import document_get, requirement_get
from documents.services.corrections import (
    requirement_external_id_set,
    requirement_mark,
    requirement_merge_next,
    requirement_split,
)
from frontend.views.domain_errors import domain_errors
from selko.errors import NotFound, ValidationFailed
from selko.ids import id_from_text
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.selectors import project_get_for_user

BACK = "frontend:document-detail"


def _segment(request: AuthenticatedHttpRequest, project_slug: str, document_id: int) -> Requirement:
    project = project_get_for_user(user=request.user, slug=project_slug)
    document = document_get(project=project, document_id=document_id)
    requirement_id = id_from_text(request.POST.get("requirement"))
    if requirement_id is None:
        raise NotFound("No such segment.")
    requirement = requirement_get(project=project, requirement_id=requirement_id)
    if requirement.document_id != document.pk:
        raise NotFound("No such segment.")
    return requirement


def _back(request: AuthenticatedHttpRequest, requirement: Requirement, message: str) -> HttpResponse:
    messages.success(request, message)
    url = reverse(
        BACK, kwargs={"project_slug": requirement.project.slug, "document_id": requirement.document_id}
    )
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}#segment-{requirement.pk}" if query else f"{url}#segment-{requirement.pk}")


@login_required
@domain_errors(back=BACK)
@require_POST
def segment_mark(request: AuthenticatedHttpRequest, project_slug: str, document_id: int) -> HttpResponse:
    requirement = _segment(request, project_slug, document_id)
    is_requirement = request.POST.get("is_requirement") == "1"
    requirement_mark(user=request.user, requirement=requirement, is_requirement=is_requirement)
    shown = "a requirement" if is_requirement else "informative text"
    return _back(request, requirement, f"Segment {requirement.order} is now marked as {shown}.")


@login_required
@domain_errors(back=BACK)
@require_POST
def segment_external_id(
    request: AuthenticatedHttpRequest, project_slug: str, document_id: int
) -> HttpResponse:
    requirement = _segment(request, project_slug, document_id)
    requirement_external_id_set(
        user=request.user, requirement=requirement, external_id=request.POST.get("external_id", "")
    )
    return _back(request, requirement, f"The ID of segment {requirement.order} was saved.")


@login_required
@domain_errors(back=BACK)
@require_POST
def segment_merge_next(
    request: AuthenticatedHttpRequest, project_slug: str, document_id: int
) -> HttpResponse:
    requirement = _segment(request, project_slug, document_id)
    requirement_merge_next(user=request.user, requirement=requirement)
    return _back(request, requirement, f"Segment {requirement.order} was merged with the next one.")


@login_required
@domain_errors(back=BACK)
@require_POST
def segment_split(request: AuthenticatedHttpRequest, project_slug: str, document_id: int) -> HttpResponse:
    requirement = _segment(request, project_slug, document_id)
    before = request.POST.get("split_before", "").strip()
    at = requirement.text.find(before) if before else -1
    if at <= 0:
        raise ValidationFailed(
            "To split a segment, type the words the second part starts with, exactly as they appear in it "
            "(not its first words)."
        )
    requirement_split(user=request.user, requirement=requirement, at=at)
    return _back(request, requirement, f"Segment {requirement.order} was split in two.")
