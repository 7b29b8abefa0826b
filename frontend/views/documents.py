"""Documents pages: the project's document list with the upload drop zone, a document's requirements,
download, re-ingest and delete. Uploads go to the API from frontend/static/frontend/documents.js."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from documents.document_rows import DocumentRowsPaginator
from documents.models import Document
from documents.quality.selectors import (
    document_quality_summary,
    requirement_quality_views,
    requirements_with_quality,
)
from documents.selectors import (
    corrections_unapplied,
    document_file_open,
    document_findings_pending,
    document_get,
    document_get_for_page,
    document_is_settled,
    document_list_for_project,
    requirement_count_stored,
    requirement_list,
    requirement_sections_for_document,
)
from documents.services.lifecycle import document_delete, document_reingest
from documents.services.upload import size_display
from documents.summaries.counts import document_counts_stored
from documents.templatetags.documents_tags import progress_text
from frontend.views.domain_errors import domain_errors
from models_app.summaries.selectors import document_gist_with_tags
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.models import Project, Role
from selko.tenancy.selectors import project_get_for_user, user_has_role

# At 200 rows, each with its own findings, tag editor and correction forms, the page spent ~0.2 s CPU in
# the template alone (bench/api.py, 50,000-row document). Rows are now a few lookups each (the forms are
# written once, frontend/templatetags/document_rows.py writes the text), and 100 a page reads well.
REQUIREMENTS_PER_PAGE = 100
ID_MARK = 987654321987654321  # a stand-in id, replaced in a reversed URL (no real path holds it)


def _row_href(order: int, requirement_id: int) -> str:
    return f"?page={(order - 1) // REQUIREMENTS_PER_PAGE + 1}#segment-{requirement_id}"


def _document_or_404(project: Project, document_id: int) -> Document:
    return document_get(project=project, document_id=document_id)


def document_status_data(document: Document) -> dict[str, object]:
    """What the pages poll while a document is queued or parsing."""
    revision = document.current_revision
    return {
        "id": document.pk,
        "name": document.name,
        "url": reverse(
            "frontend:document-detail",
            kwargs={"project_slug": document.project.slug, "document_id": document.pk},
        ),
        "kind": document.kind,
        "size": size_display(revision.size) if revision else "",
        "revision": revision.number if revision else None,
        "progress_text": progress_text(document),
        "status": document.status,
        "status_label": document.get_status_display(),
        "progress_done": document.progress_done,
        "progress_total": document.progress_total,
        "progress_unit": "rows" if document.kind in ("xlsx", "xls", "csv") else "pages",
        "page_count": document.page_count,
        "row_count": document.row_count,
        "requirement_count": document.requirement_count,
        "error_message": document.error_message,
        "settled": document_is_settled(document=document),
    }


@login_required
@domain_errors()
@require_GET
def document_list(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    context = {
        "project": project,
        "documents": document_list_for_project(project=project),
        "can_edit": user_has_role(user=request.user, project=project, minimum=Role.EDITOR),
    }
    return render(request, "frontend/documents/document_list.html", context)


@login_required
@domain_errors()
@require_GET
def document_status(request: AuthenticatedHttpRequest, project_slug: str) -> JsonResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    documents = [document_status_data(d) for d in document_list_for_project(project=project)]
    return JsonResponse({"documents": documents})


@login_required
@domain_errors()
@require_GET
def document_detail(request: AuthenticatedHttpRequest, project_slug: str, document_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    document = document_get_for_page(project=project, document_id=document_id)
    text = request.GET.get("q", "").strip()[:500]
    section = request.GET.get("section", "").strip()[:2000]
    requirements_only = request.GET.get("only") == "requirements"
    requirements = requirement_list(
        project=project,
        document_id=document.pk,
        text=text,
        section=section,
        is_requirement=True if requirements_only else None,
    )
    filtered = bool(text or section or requirements_only)
    stored = document_counts_stored(document=document)
    # The document's rows are counted by top-level section and kind when they are written; a filter
    # those counts cannot answer (a text, a subsection) is counted by the query that reads the page.
    count = None
    if stored is not None and not text:
        count = requirement_count_stored(
            counts=stored, section=section, is_requirement=True if requirements_only else None
        )
    # Each row with its score and findings, read with it.
    paginator = DocumentRowsPaginator(
        requirements_with_quality(requirements), REQUIREMENTS_PER_PAGE, count=count
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, object] = {
        "project": project,
        "document": document,
        "revision": document.current_revision,
        "size": size_display(document.current_revision.size) if document.current_revision else "",
        "stale_requirements": (
            document.parsed_revision is not None
            and document.parsed_revision_id != document.current_revision_id
        ),
        "page": page,
        "sections": requirement_sections_for_document(document=document),
        "filters": {"q": text, "section": section, "only_requirements": requirements_only},
        "filtered": filtered,
        "query_without_page": query.urlencode(),
        "can_edit": user_has_role(user=request.user, project=project, minimum=Role.EDITOR),
        "settled": document_is_settled(document=document),
        "status": document_status_data(document),
    }
    # Segments are corrected on the revision they were read from, once it is read.
    context["can_correct"] = (
        context["can_edit"] and document.status == "parsed" and not context["stale_requirements"]
    )
    context["query_with_page"] = request.GET.urlencode()
    # Reversed once for the page, not once per row and form (a 100-row page had ~1,400 reversals).
    slug_and_document = (project.slug, document.pk)
    context["row_urls"] = {
        "mark": reverse("frontend:segment-mark", args=slug_and_document),
        "external_id": reverse("frontend:segment-id", args=slug_and_document),
        "merge": reverse("frontend:segment-merge", args=slug_and_document),
        "split": reverse("frontend:segment-split", args=slug_and_document),
        "bulk": reverse("api:annotation-bulk", args=(project.slug,)),
        "labels": reverse("api:label-list", args=(project.slug,)),
        # Each row's tags URL, its id put in by frontend/inline_tags.js.
        "tags": reverse("api:labeling-requirement", args=(project.slug, ID_MARK)).replace(
            str(ID_MARK), "{id}"
        ),
    }
    context["unapplied_corrections"] = corrections_unapplied(document=document)
    # Each row with its findings, their spans highlighted in the text with the rule's explanation and hint.
    on_page = list(page.object_list)
    quality = requirement_quality_views(requirements=on_page)
    context["rows"] = [(requirement, quality[requirement.pk]) for requirement in on_page]
    context["quality_summary"] = document_quality_summary(document=document)
    context["findings_pending"] = document_findings_pending(document=document)
    gist = document_gist_with_tags(project=project, document=document)
    # Summary segments and the requirements with the most findings link to their row, on the page of
    # the unfiltered list that holds it.
    context["gists"] = [
        (
            tagged,
            [(segment, _row_href(segment.order, segment.requirement_id)) for segment in tagged.gist.summary],
            [
                (leader, _row_href(leader.order, leader.requirement_id))
                for leader in tagged.gist.most_findings
            ],
        )
        for tagged in [gist.document, *gist.sections]
    ]
    return render(request, "frontend/documents/document_detail.html", context)


@login_required
@domain_errors()
@require_GET
def document_download(request: AuthenticatedHttpRequest, project_slug: str, document_id: int) -> FileResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    stored = document_file_open(document=_document_or_404(project, document_id))
    return FileResponse(stored.handle, as_attachment=True, filename=stored.filename)


@login_required
@domain_errors(back="frontend:document-detail")
@require_POST
def document_reingest_view(
    request: AuthenticatedHttpRequest, project_slug: str, document_id: int
) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    document = _document_or_404(project, document_id)
    document_reingest(user=request.user, document=document)
    messages.success(request, f"“{document.name}” is queued to be read again.")
    return redirect("frontend:document-detail", project_slug=project.slug, document_id=document.pk)


@login_required
@domain_errors(back="frontend:document-detail")
@require_POST
def document_delete_view(
    request: AuthenticatedHttpRequest, project_slug: str, document_id: int
) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    document = _document_or_404(project, document_id)
    name = document.name
    document_delete(user=request.user, document=document)
    messages.success(request, f"“{name}” and its requirements were deleted.")
    return redirect("frontend:document-list", project_slug=project.slug)
