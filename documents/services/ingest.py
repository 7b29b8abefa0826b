"""Ingest: parse a stored revision and replace the document's requirements, as one state machine.

`document_ingest` claims the document (`parsing`), parses the file outside any transaction, then writes
the requirements in one transaction. Every path ends with the document `parsed` or `failed` with a
message written for the person who uploaded it; a transient database error hands the document back
(`uploaded`) for the task to retry. The quality findings and the summary follow the commit
(services/findings.py): queued for a worker, or computed at once with `findings_now`.
"""

import logging
import time
from collections import defaultdict, deque
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from documents.models import Document, DocumentRevision, DocumentStatus, Requirement
from documents.parsers import parse_document
from documents.parsers.errors import EmptyDocument, ParseError
from documents.parsers.parse_warnings import duplicate_id_warnings
from documents.parsers.types import ParsedDocument, Segment
from documents.services.conversion import configured_converter
from documents.services.corrections import corrections_reapply
from documents.services.findings import FINDINGS_TASK, document_findings_clear, document_findings_compute
from documents.services.statistics import project_statistics_refresh
from documents.storage import stored_file_local_path
from documents.summaries.counts import document_counts_refresh
from selko.queueing import enqueue_after_commit
from selko.rows import rows_insert
from selko.workers.models import WorkDone
from selko.workers.services import work_total_add

logger = logging.getLogger(__name__)

GENERIC_FAILURE_MESSAGE = (
    "Selko could not read this document because of an internal error. Try re-ingesting it; "
    "if it fails again, contact your administrator."
)
MISSING_FILE_MESSAGE = "The uploaded file is no longer in storage. Upload the document again."
WORKER_LOST_MESSAGE = (
    "The worker processing this document stopped {times}; try re-ingesting or contact your administrator."
)
# Errors of a database that is briefly unreachable or locked: the task retries them instead of failing.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)
# The page polls the progress; writing it more often than this only adds database load.
PROGRESS_WRITE_INTERVAL_S = 0.5
REQUIREMENT_BATCH_SIZE = 1000
# A document in `parsing` whose progress has not moved for this long is treated as abandoned.
PARSING_STALE_AFTER = timedelta(minutes=10)
# The registry's task that re-tags a project's requirements with its active model version. Named, not
# imported: the registry sits above documents.
RETAG_TASK = "models_app.tasks.retag_project"


class _ProgressWriter:
    """on_progress callback: throttled writes of pages (or rows) done, for the page that polls them."""

    def __init__(self, *, document_id: int, revision_id: int) -> None:
        self.document_id = document_id
        self.revision_id = revision_id
        self.last_write = 0.0
        self.last_total = -1

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total == self.last_total and done < total and now - self.last_write < PROGRESS_WRITE_INTERVAL_S:
            return
        self.last_write, self.last_total = now, total
        Document.objects.filter(
            pk=self.document_id, current_revision_id=self.revision_id, status=DocumentStatus.PARSING
        ).update(progress_done=min(done, total), progress_total=total, updated_at=timezone.now())


def document_ingest(*, document_id: int, revision_id: int, findings_now: bool = False) -> Document | None:
    """Parse a revision and replace the document's requirements. Idempotent; returns None when skipped
    (the document is gone, a newer revision superseded this one, or it is already parsed or failed).
    The findings and summary are queued after the commit, or computed before returning with
    `findings_now` (a synchronous import); a failure there leaves the document parsed."""
    claimed = _ingest_claim(document_id=document_id, revision_id=revision_id)
    if claimed is None or claimed.status == DocumentStatus.FAILED:
        return claimed
    revision = DocumentRevision.objects.get(pk=revision_id)
    started = time.monotonic()
    try:
        with stored_file_local_path(name=revision.file.name or "") as local_path:
            parsed = parse_document(
                local_path,
                filename=revision.original_filename,
                max_bytes=settings.SELKO_MAX_UPLOAD_BYTES,
                on_progress=_ProgressWriter(document_id=document_id, revision_id=revision_id),
                converter=configured_converter(),
            )
        if not parsed.segments:
            raise EmptyDocument()
        # People's corrections of this revision, made again on the fresh parse (see services/corrections.py).
        parsed.segments = corrections_reapply(
            document_id=document_id, revision_id=revision_id, segments=parsed.segments
        )
        parsed.warnings += duplicate_id_warnings(parsed.segments)
        document = _requirements_replace(
            document_id=document_id,
            revision_id=revision_id,
            parsed=parsed,
            seconds=time.monotonic() - started,
            queue_findings=not findings_now,
        )
    except ParseError as error:
        return _ingest_fail(document_id=document_id, revision_id=revision_id, message=error.user_message)
    except FileNotFoundError:
        return _ingest_fail(document_id=document_id, revision_id=revision_id, message=MISSING_FILE_MESSAGE)
    except TRANSIENT_DB_ERRORS:
        _ingest_release(document_id=document_id, revision_id=revision_id)
        raise
    except Exception:
        # A bug, not the user's file: the traceback goes to the log, a plain message to the user.
        logger.exception("Ingest of document %s revision %s failed unexpectedly", document_id, revision_id)
        return _ingest_fail(document_id=document_id, revision_id=revision_id, message=GENERIC_FAILURE_MESSAGE)
    if document is not None:
        _requirements_changed(project_id=document.project_id)
        if findings_now:
            _findings_compute_now(document_id=document_id, revision_id=revision_id)
    return document


def _findings_compute_now(*, document_id: int, revision_id: int) -> None:
    try:
        document_findings_compute(document_id=document_id, revision_id=revision_id)
    except Exception:
        # The requirements are stored and usable; a re-ingest computes the findings again.
        logger.exception("Findings of document %s revision %s failed", document_id, revision_id)


def _ingest_claim(*, document_id: int, revision_id: int) -> Document | None:
    """Mark the document `parsing` for this delivery, or refuse a delivery that has nothing to do."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.current_revision_id != revision_id:
            return None
        if document.status not in (DocumentStatus.UPLOADED, DocumentStatus.PARSING):
            return None
        if (
            document.status == DocumentStatus.PARSING
            and document.ingest_attempts > settings.CELERY_MAX_REDELIVERIES
        ):
            # Still `parsing` at the start of a delivery means the previous one died with its worker
            # (acks_late redelivers the message). A document that kills workers must not loop forever.
            document.status = DocumentStatus.FAILED
            document.error_message = WORKER_LOST_MESSAGE.format(
                times="once" if document.ingest_attempts == 1 else f"{document.ingest_attempts} times"
            )
            document.save(update_fields=["status", "error_message", "updated_at"])
            return document
        document.status = DocumentStatus.PARSING
        document.ingest_attempts += 1
        document.error_message = ""
        document.progress_done = document.progress_total = 0
        document.save(
            update_fields=[
                "status", "ingest_attempts", "error_message", "progress_done", "progress_total", "updated_at"
            ]
        )  # fmt: skip
        return document


def _ingest_fail(*, document_id: int, revision_id: int, message: str) -> Document | None:
    # Requirements are left as they were: those of the last revision that parsed, or none.
    Document.objects.filter(pk=document_id, current_revision_id=revision_id).update(
        status=DocumentStatus.FAILED, error_message=message, updated_at=timezone.now()
    )
    return Document.objects.filter(pk=document_id).first()


def _ingest_release(*, document_id: int, revision_id: int) -> None:
    """Best effort before a retry: back to `uploaded`, so the retry is not mistaken for a dead worker."""
    try:
        Document.objects.filter(
            pk=document_id, current_revision_id=revision_id, status=DocumentStatus.PARSING
        ).update(status=DocumentStatus.UPLOADED, ingest_attempts=0)
    except TRANSIENT_DB_ERRORS:
        logger.warning("Could not release document %s for a retry: the database is unavailable", document_id)


def document_ingest_abandon(*, document_id: int, revision_id: int, message: str) -> None:
    """Final state after the task gave up retrying: failed, with a message, whatever the status was."""
    Document.objects.filter(
        pk=document_id,
        current_revision_id=revision_id,
        status__in=[DocumentStatus.UPLOADED, DocumentStatus.PARSING],
    ).update(status=DocumentStatus.FAILED, error_message=message, updated_at=timezone.now())


def _requirement_fields(segment: Segment) -> dict[str, object]:
    return {
        "external_id": (segment.external_id or "")[:100],
        "text": segment.text,
        "section_path": list(segment.section_path),
        "section_key": " > ".join(segment.section_path),
        "section_title": (segment.section_title or "")[:500],
        "is_requirement": segment.is_requirement,
        "obligation": str(segment.obligation),
        "page": segment.page,
        "bbox": list(segment.bbox) if segment.bbox is not None else None,
        "sheet": (segment.sheet or "")[:255],
        "row": segment.row,
        "column": (segment.column or "")[:16],
        "attributes": dict(segment.attributes),
    }


UPDATED_FIELDS = [
    "order", "section_path", "section_key", "section_title", "is_requirement", "obligation", "page", "bbox",
    "sheet", "row", "column", "attributes",
]  # fmt: skip


def _requirements_replace(
    *,
    document_id: int,
    revision_id: int,
    parsed: ParsedDocument,
    seconds: float,
    queue_findings: bool,
) -> Document | None:
    """Write the parsed segments as the document's requirements, in one transaction.

    A requirement whose ID and text did not change keeps its row (the k-th old one with that ID and
    text becomes the k-th new one), so whatever points at it (people's answers, predictions) survives a
    re-ingest without this app knowing about it; the others are deleted and created.
    """
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.current_revision_id != revision_id or document.status != DocumentStatus.PARSING:
            return None  # a newer upload or a re-ingest took over while this one parsed
        old_by_key: dict[tuple[str, str], deque[int]] = defaultdict(deque)
        for pk, external_id, text in document.requirements.order_by("order", "pk").values_list(
            "pk", "external_id", "text"
        ):
            old_by_key[(external_id, text)].append(pk)
        to_create: list[dict[str, object]] = []
        to_update: list[Requirement] = []
        for order, segment in enumerate(parsed.segments, start=1):
            fields = _requirement_fields(segment)
            fields.update(project_id=document.project_id, document_id=document.pk, order=order)
            kept = old_by_key.get((str(fields["external_id"]), segment.text))
            if kept:
                to_update.append(Requirement(pk=kept.popleft(), **fields))
            else:
                to_create.append(fields)
        stale = [pk for pks in old_by_key.values() for pk in pks]
        for start in range(0, len(stale), REQUIREMENT_BATCH_SIZE):
            Requirement.objects.filter(pk__in=stale[start : start + REQUIREMENT_BATCH_SIZE]).delete()
        Requirement.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=REQUIREMENT_BATCH_SIZE)
        rows_insert(model=Requirement, rows=to_create, batch_size=REQUIREMENT_BATCH_SIZE)
        document_findings_clear(document_id=document.pk)
        if queue_findings:
            enqueue_after_commit(FINDINGS_TASK, document.pk, revision_id)
        document_counts_refresh(document_id=document.pk)
        document.status = DocumentStatus.PARSED
        document.error_message = ""
        document.kind = str(parsed.kind)
        document.page_count = parsed.page_count
        document.row_count = parsed.row_count
        document.requirement_count = sum(1 for segment in parsed.segments if segment.is_requirement)
        document.parse_seconds = round(seconds, 3)
        document.parse_warnings = list(parsed.warnings)
        document.parsed_revision_id = revision_id
        document.progress_total = parsed.page_count or parsed.row_count or document.progress_total
        document.progress_done = document.progress_total
        document.save()
        work_total_add(name=WorkDone.PAGES_INGESTED, amount=parsed.page_count or 0)
        work_total_add(name=WorkDone.ROWS_INGESTED, amount=parsed.row_count or 0)
        # In the same transaction: whoever sees the document parsed sees the dashboard count it too.
        project_statistics_refresh(project_id=document.project_id)
    return document


def _requirements_changed(*, project_id: int) -> None:
    """After a document's requirements changed: have the registry re-tag the project with its active
    model (the task does nothing while the project has none)."""
    enqueue_after_commit(RETAG_TASK, project_id)
