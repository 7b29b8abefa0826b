"""Corrections of the parser's segments: mark requirement/informative, edit the ID, merge with the next
segment, split in two.

A correction changes the requirement rows at once and is also stored as a ``SegmentCorrection`` of the
parsed revision. A re-ingest of that revision applies the stored corrections to the freshly parsed
segments, in the order they were made, before the requirements are written: the corrected segments then
match the corrected rows (same ID and text), so those rows, and the answers people gave on them, are kept.
A segment is found again by its text, the nearest to its old order where the text occurs more than once.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from documents.models import CorrectionKind, Document, Requirement, SegmentCorrection
from documents.parsers.classify_segment import requirement_obligation
from documents.parsers.types import Segment
from documents.quality.counts import document_quality_counts_refresh
from documents.services.statistics import project_statistics_refresh
from documents.summaries.counts import document_counts_refresh
from selko.audit.services import audit_record
from selko.errors import Conflict, ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.tenancy.models import Role
from selko.tenancy.services import require_role

# Named, not imported: the registry sits above documents (see services/ingest.py).
RETAG_TASK = "models_app.tasks.retag_project"
MAX_ID_LENGTH = 100


def requirement_mark(*, user: AnyUser, requirement: Requirement, is_requirement: bool) -> Requirement:
    """Mark a segment as a requirement or as informative text."""
    with transaction.atomic():
        row, document = _lock(user=user, requirement=requirement)
        before = row.is_requirement
        row.is_requirement = is_requirement
        row.obligation = requirement_obligation(row.text, is_requirement=is_requirement)
        row.save(update_fields=["is_requirement", "obligation", "updated_at"])
        _record(user, document, row, CorrectionKind.MARK, {"is_requirement": is_requirement}, before=before)
        _recount(document)
    return row


def requirement_external_id_set(*, user: AnyUser, requirement: Requirement, external_id: str) -> Requirement:
    """Give a segment its own ID (an empty ID removes it)."""
    external_id = " ".join(external_id.split())
    if len(external_id) > MAX_ID_LENGTH:
        raise ValidationFailed(f"An ID has at most {MAX_ID_LENGTH} characters.")
    with transaction.atomic():
        row, document = _lock(user=user, requirement=requirement)
        before = row.external_id
        row.external_id = external_id
        row.save(update_fields=["external_id", "updated_at"])
        _record(user, document, row, CorrectionKind.EXTERNAL_ID, {"external_id": external_id}, before=before)
    return row


def requirement_merge_next(*, user: AnyUser, requirement: Requirement) -> Requirement:
    """Join a segment with the one after it; the next one's row (and any answers on it) goes."""
    with transaction.atomic():
        row, document = _lock(user=user, requirement=requirement)
        following = document.requirements.filter(order__gt=row.order).order_by("order", "pk").first()
        if following is None:
            raise ValidationFailed(
                "This is the last segment of the document: there is nothing to merge it with."
            )
        _record(user, document, row, CorrectionKind.MERGE_NEXT, {"next_text": following.text[:200]})
        row.text = _joined(row.text, following.text)
        row.is_requirement = row.is_requirement or following.is_requirement
        row.obligation = requirement_obligation(row.text, is_requirement=row.is_requirement)
        row.external_id = row.external_id or following.external_id
        row.save(update_fields=["text", "is_requirement", "obligation", "external_id", "updated_at"])
        following.delete()
        document.requirements.filter(order__gt=row.order).update(
            order=F("order") - 1, updated_at=timezone.now()
        )
        _recount(document)
        enqueue_after_commit(RETAG_TASK, document.project_id)
    return row


def requirement_split(*, user: AnyUser, requirement: Requirement, at: int) -> tuple[Requirement, Requirement]:
    """Cut a segment in two before character ``at``; the second part becomes a new segment after it."""
    with transaction.atomic():
        row, document = _lock(user=user, requirement=requirement)
        first, second = row.text[:at].strip(), row.text[at:].strip()
        if not 0 < at < len(row.text) or not first or not second:
            raise ValidationFailed(
                f"Split inside the text: after its first character and before its last ({len(row.text)} "
                "characters), with text on both sides."
            )
        _record(user, document, row, CorrectionKind.SPLIT, {"split_at": at})
        document.requirements.filter(order__gt=row.order).update(
            order=F("order") + 1, updated_at=timezone.now()
        )
        row.text = first
        row.obligation = requirement_obligation(first, is_requirement=row.is_requirement)
        row.save(update_fields=["text", "obligation", "updated_at"])
        created = Requirement.objects.create(
            project_id=row.project_id,
            document=document,
            order=row.order + 1,
            text=second,
            is_requirement=row.is_requirement,
            obligation=requirement_obligation(second, is_requirement=row.is_requirement),
            section_path=row.section_path,
            section_key=row.section_key,
            section_title=row.section_title,
            page=row.page,
            bbox=row.bbox,
            sheet=row.sheet,
            row=row.row,
            column=row.column,
            attributes=row.attributes,
        )
        _recount(document)
        enqueue_after_commit(RETAG_TASK, document.project_id)
    return row, created


def corrections_reapply(*, document_id: int, revision_id: int, segments: list[Segment]) -> list[Segment]:
    """The parsed segments of a revision with the corrections people made to it applied, in their order.

    Marks each stored correction ``applied`` or not, so the document page can say which ones no longer
    find their segment (the parser changed its mind about the text).
    """
    corrections = list(SegmentCorrection.objects.filter(document_id=document_id, revision_id=revision_id))
    if not corrections:
        return segments
    segments = list(segments)
    applied: list[int] = []
    missed: list[int] = []
    for correction in corrections:
        (applied if _apply(segments, correction) else missed).append(correction.pk)
    for order, segment in enumerate(segments):
        segment.order = order
    SegmentCorrection.objects.filter(pk__in=applied).update(applied=True)
    SegmentCorrection.objects.filter(pk__in=missed).update(applied=False)
    return segments


def _apply(segments: list[Segment], correction: SegmentCorrection) -> bool:
    index = _find(segments, text=correction.text, order=correction.order)
    if index is None:
        return False
    segment = segments[index]
    if correction.kind == CorrectionKind.MARK and correction.is_requirement is not None:
        segment.is_requirement = correction.is_requirement
        segment.obligation = requirement_obligation(segment.text, is_requirement=segment.is_requirement)
    elif correction.kind == CorrectionKind.EXTERNAL_ID:
        segment.external_id = correction.external_id or None
    elif correction.kind == CorrectionKind.MERGE_NEXT:
        if index + 1 >= len(segments):
            return False
        following = segments.pop(index + 1)
        segment.text = _joined(segment.text, following.text)
        segment.is_requirement = segment.is_requirement or following.is_requirement
        segment.obligation = requirement_obligation(segment.text, is_requirement=segment.is_requirement)
        segment.external_id = segment.external_id or following.external_id
    elif correction.kind == CorrectionKind.SPLIT and correction.split_at is not None:
        at = correction.split_at
        first, second = segment.text[:at].strip(), segment.text[at:].strip()
        if not first or not second:
            return False
        segment.text = first
        segment.obligation = requirement_obligation(first, is_requirement=segment.is_requirement)
        segments.insert(
            index + 1,
            Segment(
                text=second,
                order=segment.order,
                is_requirement=segment.is_requirement,
                obligation=requirement_obligation(second, is_requirement=segment.is_requirement),
                section_path=list(segment.section_path),
                section_title=segment.section_title,
                page=segment.page,
                bbox=segment.bbox,
                sheet=segment.sheet,
                row=segment.row,
                column=segment.column,
                attributes=dict(segment.attributes),
            ),
        )
    else:
        return False
    return True


def _find(segments: Sequence[Segment], *, text: str, order: int) -> int | None:
    # Requirement orders start at 1 where segment positions start at 0.
    matches = [index for index, segment in enumerate(segments) if segment.text == text]
    return min(matches, key=lambda index: abs(index + 1 - order)) if matches else None


def _joined(first: str, second: str) -> str:
    return f"{first.rstrip()} {second.lstrip()}"


def _lock(*, user: AnyUser, requirement: Requirement) -> tuple[Requirement, Document]:
    """The requirement and its document, locked; refused while the document is being read again."""
    document = Document.objects.select_for_update().get(pk=requirement.document_id)
    require_role(user=user, project=document.project, minimum=Role.EDITOR, action="correct segments")
    if document.parsed_revision_id is None or document.parsed_revision_id != document.current_revision_id:
        raise Conflict(
            "These segments come from an older revision of the document. Correct them once the current "
            "revision has been read."
        )
    if document.status != "parsed":
        raise Conflict("The document is being read right now. Correct its segments once it is parsed.")
    return Requirement.objects.select_for_update().get(pk=requirement.pk), document


def _record(
    user: AnyUser,
    document: Document,
    row: Requirement,
    kind: CorrectionKind,
    details: dict[str, object],
    *,
    before: object = None,
) -> None:
    assert document.parsed_revision_id is not None  # checked by _lock
    SegmentCorrection.objects.create(
        document=document,
        revision_id=document.parsed_revision_id,
        kind=kind,
        order=row.order,
        text=row.text,
        is_requirement=details.get("is_requirement"),  # type: ignore[misc]
        external_id=str(details.get("external_id", "")),
        split_at=details.get("split_at"),  # type: ignore[misc]
        created_by=user if user.is_authenticated else None,
    )
    audit_record(
        actor=user,
        action="requirement.corrected",
        target=row,
        project=document.project,
        details={"kind": str(kind), "document": document.pk, "order": row.order, "before": before, **details},
    )


def _recount(document: Document) -> None:
    document_counts_refresh(document_id=document.pk)
    # A merge drops the findings of the row it removes; a split's new row has none yet.
    document_quality_counts_refresh(document_id=document.pk)
    document.requirement_count = document.requirements.filter(is_requirement=True).count()
    document.save(update_fields=["requirement_count", "updated_at"])
    project_id = document.project_id
    transaction.on_commit(lambda: project_statistics_refresh(project_id=project_id))
