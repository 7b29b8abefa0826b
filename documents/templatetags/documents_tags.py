"""Template helpers for documents partials rendered inside other apps' pages (the project dashboard)."""

from django import template
from django.conf import settings

from documents.models import Document
from documents.selectors import document_recent_for_project
from documents.services.upload import size_display
from selko.tenancy.models import Project

register = template.Library()


@register.simple_tag
def recent_documents(project: Project, limit: int = 5) -> list[Document]:
    return document_recent_for_project(project=project, limit=limit)


@register.simple_tag
def upload_limit() -> str:
    return size_display(settings.SELKO_MAX_UPLOAD_BYTES)


@register.filter
def file_size(size: int | None) -> str:
    return size_display(size) if size is not None else ""


@register.filter
def progress_text(document: Document) -> str:
    """The status as a person reads it: "Parsing 12/175 pages"."""
    if document.status == "parsing" and document.progress_total:
        unit = "rows" if document.kind in ("xlsx", "xls", "csv") else "pages"
        return f"Parsing {document.progress_done}/{document.progress_total} {unit}"
    return document.get_status_display()
