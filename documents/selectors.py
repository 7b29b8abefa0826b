"""Reads for documents and requirements. Callers pass a project they got from a membership-scoped
selector (project_get_for_user / project_or_404), so nothing here can reach another organization."""

from dataclasses import dataclass
from typing import IO

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from documents.models import Document, DocumentStatus, Requirement, SegmentCorrection
from documents.storage import stored_file_open
from documents.summaries.counts import document_counts_stored, section_keys_compute
from documents.summaries.models import DocumentCounts, DocumentSummary
from documents.summaries.services import NO_SECTION
from selko.errors import NotFound
from selko.tenancy.models import Project

SECTION_SEPARATOR = " > "


def document_list_for_project(*, project: Project) -> QuerySet[Document]:
    # Whether the ingest's follow-up has stored the summary, and whether there is anything to summarise,
    # read with each document: document_findings_pending asks no query of its own for a listed document.
    return (
        Document.objects.filter(project=project)
        .select_related("project", "current_revision", "parsed_revision")
        .annotate(
            summary_stored=Exists(DocumentSummary.objects.filter(document_id=OuterRef("pk"))),
            rows_stored=Exists(Requirement.objects.filter(document_id=OuterRef("pk"))),
        )
        .order_by("name", "id")
    )


def document_findings_pending(*, document: Document) -> bool:
    """Whether a parsed document's findings and summary are still being computed (the ingest's follow-up
    has not committed yet): it has requirements but no summary."""
    if document.status != DocumentStatus.PARSED or document.parsed_revision_id is None:
        return False
    summary_stored = getattr(document, "summary_stored", None)
    if summary_stored is None:
        summary_stored = DocumentSummary.objects.filter(document_id=document.pk).exists()
    if summary_stored:
        return False
    rows_stored = getattr(document, "rows_stored", None)
    if rows_stored is None:
        rows_stored = Requirement.objects.filter(document_id=document.pk).exists()
    return bool(rows_stored)


def document_recent_for_project(*, project: Project, limit: int = 5) -> list[Document]:
    return list(document_list_for_project(project=project).order_by("-updated_at", "-id")[:limit])


def _document_with_counts(*, project: Project) -> QuerySet[Document]:
    # With its stored counts and summary: the document's page reads them instead of grouping its
    # segments and findings.
    return document_list_for_project(project=project).select_related("counts", "quality_counts", "summary")


def _document_one(documents: QuerySet[Document], document_id: int) -> Document:
    try:
        return documents.get(pk=document_id)
    except Document.DoesNotExist:
        raise NotFound(f"No document {document_id} in this project.") from None


def document_get(*, project: Project, document_id: int) -> Document:
    return _document_one(_document_with_counts(project=project), document_id)


def document_get_for_page(*, project: Project, document_id: int) -> Document:
    """The document as its page reads it (document_get), knowing too whether corrections of its parsed
    revision went unapplied: the page then reads their list (corrections_unapplied) only when some did,
    which is seldom."""
    unapplied = SegmentCorrection.objects.filter(
        document=OuterRef("pk"), revision=OuterRef("parsed_revision"), applied=False
    )
    return _document_one(
        _document_with_counts(project=project).annotate(corrections_unapplied_exist=Exists(unapplied)),
        document_id,
    )


def document_is_settled(*, document: Document) -> bool:
    return document.status in (DocumentStatus.PARSED, DocumentStatus.FAILED)


def requirement_list(
    *,
    project: Project,
    document_id: int | None = None,
    section: str = "",
    text: str = "",
    is_requirement: bool | None = None,
) -> QuerySet[Requirement]:
    """Requirements in reading order. `section` matches that section and everything under it;
    `text` matches the text or the requirement's own ID, ignoring case."""
    requirements = Requirement.objects.filter(project=project).select_related("document")
    if document_id is not None:
        requirements = requirements.filter(document_id=document_id)
    if section := section.strip():
        requirements = requirements.filter(
            Q(section_key=section) | Q(section_key__startswith=section + SECTION_SEPARATOR)
        )
    if text := text.strip():
        requirements = requirements.filter(Q(text__icontains=text) | Q(external_id__icontains=text))
    if is_requirement is not None:
        requirements = requirements.filter(is_requirement=is_requirement)
    # The id breaks ties so that pages never repeat or skip a row. Within one document the order alone
    # decides, which the (project, document, order) index serves without sorting the document's rows.
    if document_id is not None:
        return requirements.order_by("order", "id")
    return requirements.order_by("document__name", "document_id", "order", "id")


def requirement_count_stored(
    *, counts: DocumentCounts, section: str = "", is_requirement: bool | None = None
) -> int | None:
    """How many of the document's segments requirement_list keeps with this `section` and kind, from
    its stored counts; None when they cannot tell: they are grouped by top-level section, so a
    subsection (or a heading that holds the separator itself) needs the rows counted."""
    groups = counts.groups  # [first order, top-level section, is a requirement, obligation, segments]
    if section := section.strip():
        if SECTION_SEPARATOR in section or section == NO_SECTION:
            return None
        if any(SECTION_SEPARATOR in str(group[1]) for group in groups):
            return None
    return sum(
        int(segments)
        for _start, top, counted, _obligation, segments in groups
        if (not section or top == section) and (is_requirement is None or counted == is_requirement)
    )


class RequirementsInReadingOrder:
    """The requirements of a filtered list in reading order across documents (document name, then each
    document's order), sliceable for a paginator without sorting every row of the project.

    Sorting 50,000 rows by their document's name for every page costs a join and a sort of the whole
    set; here one grouped count tells how many rows each document holds, and a page reads only the
    documents it spans, each through its (project, document, order, id) index."""

    def __init__(self, requirements: QuerySet[Requirement]) -> None:
        self._requirements = requirements.order_by()
        # (document id, rows), in reading order
        self._documents: list[tuple[int, int]] | None = None

    def _per_document(self) -> list[tuple[int, int]]:
        if self._documents is None:
            counts = dict(
                self._requirements.values("document_id")
                .annotate(rows=Count("pk"))
                .values_list("document_id", "rows")
            )
            ordered = list(counts)  # one document (its own page) needs no ordering
            if len(counts) > 1:
                by_name = Document.objects.filter(pk__in=ordered).order_by("name", "id")
                ordered = list(by_name.values_list("pk", flat=True))
            self._documents = [(pk, counts[pk]) for pk in ordered]
        return self._documents

    def count(self) -> int:
        return sum(rows for _, rows in self._per_document())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Requirement]:
        start, stop = window.start or 0, window.stop if window.stop is not None else self.count()
        found: list[Requirement] = []
        before = 0  # rows in the documents already passed
        for document_id, rows in self._per_document():
            if before >= stop:
                break
            if before + rows > start:
                in_document = self._requirements.filter(document_id=document_id).order_by("order", "id")
                # Deferred join: skip rows on the index alone, then read only the page's rows; in one
                # query, the ids' window as a subquery (not a list of 200 parameters to bind).
                window_ids = in_document.values("pk")[max(0, start - before) : stop - before]
                found += list(in_document.filter(pk__in=window_ids))
            before += rows
        return found


def requirement_get(*, project: Project, requirement_id: int) -> Requirement:
    try:
        return Requirement.objects.select_related("document").get(project=project, pk=requirement_id)
    except Requirement.DoesNotExist:
        raise NotFound(f"No requirement {requirement_id} in this project.") from None


def requirement_sections_for_document(*, document: Document) -> list[str]:
    """Every section and parent section of the document, in reading order, for the section filter."""
    stored = document_counts_stored(document=document)
    firsts = stored.section_keys if stored is not None else section_keys_compute(document_id=document.pk)
    sections: dict[str, None] = {}
    for key in firsts:
        path = key.split(SECTION_SEPARATOR) if key else []
        for depth in range(1, len(path) + 1):
            sections.setdefault(SECTION_SEPARATOR.join(path[:depth]), None)
    return list(sections)


@dataclass(frozen=True)
class DocumentFile:
    handle: IO[bytes]
    filename: str
    size: int


def document_file_open(*, document: Document) -> DocumentFile:
    """The current revision's original bytes, to download under the name they were uploaded with."""
    revision = document.current_revision
    if revision is None:
        raise NotFound("This document has no file.")
    try:
        handle = stored_file_open(name=revision.file.name or "")
    except FileNotFoundError:
        raise NotFound("The file of this document is no longer in storage.") from None
    return DocumentFile(handle=handle, filename=revision.original_filename, size=revision.size)


def corrections_unapplied(*, document: Document) -> list[SegmentCorrection]:
    """Corrections of the parsed revision that its latest ingest could not find their segment for."""
    if getattr(document, "corrections_unapplied_exist", True) is False:  # read with it: none
        return []
    return list(
        SegmentCorrection.objects.filter(
            document=document, revision_id=document.parsed_revision_id, applied=False
        )
    )
