"""Writes for documents: upload a file as a new revision, ingest it into requirements, re-ingest, delete.

The flow: the upload stores the bytes (outside any transaction), writes the Document and DocumentRevision
rows and, once they are committed, queues the `ingest` task. The task calls `document_ingest`, which parses
the file and then replaces the document's requirements in one transaction. Every path ends with the
document `parsed` or `failed` with a message written for the person who uploaded it.
"""

import importlib
import importlib.util
import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone

from documents.models import Document, DocumentRevision, DocumentStatus, Requirement
from documents.parsers import parse_document
from documents.parsers.errors import EmptyDocument, ParseError
from documents.parsers.sniff import check_extension, sniff_kind
from documents.parsers.types import ParsedDocument
from documents.storage import (
    local_file_facts,
    stored_file_delete,
    stored_file_local_path,
    stored_file_save,
    uploaded_file_on_disk,
)
from selko.audit.services import audit_record
from selko.errors import Conflict, ValidationFailed
from selko.tenancy.models import Project, Role
from selko.tenancy.services import project_statistics_refresh, require_role

logger = logging.getLogger(__name__)

AnyUser = User | AnonymousUser

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
# The module the retraining work fills in to re-tag requirements after they change.
REQUIREMENTS_CHANGED_HOOK_MODULE = "models_app.hooks"


class UploadTooLarge(ValidationFailed):
    code = "file_too_large"
    http_status = 413


@dataclass(frozen=True)
class UploadResult:
    document: Document
    revision: DocumentRevision
    # False when the bytes equal the current revision's: nothing was stored and nothing will be parsed.
    created_revision: bool


def size_display(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def upload_too_large_error(*, size: int | None) -> UploadTooLarge:
    limit = settings.SELKO_MAX_UPLOAD_BYTES
    what = f"The file is {size_display(size)}" if size is not None else "The upload is too large"
    return UploadTooLarge(
        f"{what}; the upload limit is {size_display(limit)}. Split the document or ask your administrator "
        "to raise SELKO_MAX_UPLOAD_BYTES.",
        details={"size": size, "limit": limit},
    )


def document_name_from_filename(filename: str) -> str:
    # Browsers on Windows used to send the full client path; only the last component is the name.
    name = re.split(r"[\\/]", filename.strip())[-1]
    name = re.sub(r"\s+", " ", name).strip()
    return name[:255] or "document"


def document_upload(*, user: AnyUser, project: Project, upload: File, filename: str = "") -> UploadResult:  # type: ignore[type-arg]
    """Store an uploaded file as a new revision of the project's document of that name; queue its ingest."""
    require_role(user=user, project=project, minimum=Role.EDITOR, action="upload documents")
    if upload.size is not None and upload.size > settings.SELKO_MAX_UPLOAD_BYTES:
        raise upload_too_large_error(size=upload.size)
    with uploaded_file_on_disk(upload) as local_path:
        return _revision_add(
            project=project,
            actor=user,
            local_path=local_path,
            filename=filename or upload.name or "",
            enqueue=True,
        )


@dataclass(frozen=True)
class ImportResult:
    upload: UploadResult
    document: Document
    seconds: float


def document_import_file(*, project: Project, path: Path, actor: AnyUser | None = None) -> ImportResult:
    """Upload and ingest a local file synchronously: the command-line import. No role check: the caller
    runs on the server with full access."""
    started = time.monotonic()
    size = path.stat().st_size
    if size > settings.SELKO_MAX_UPLOAD_BYTES:
        raise upload_too_large_error(size=size)
    result = _revision_add(project=project, actor=actor, local_path=path, filename=path.name, enqueue=False)
    document = result.document
    if result.created_revision and document.status == DocumentStatus.UPLOADED:
        document = document_ingest(document_id=document.pk, revision_id=result.revision.pk) or document
    document.refresh_from_db()
    return ImportResult(upload=result, document=document, seconds=time.monotonic() - started)


def _upload_refusal(*, local_path: Path, filename: str, size: int) -> tuple[str, str]:
    """(kind, refusal message): the content is sniffed at upload so a wrong file fails at once."""
    if size == 0:
        return "", EmptyDocument().user_message
    try:
        kind = sniff_kind(local_path)
        check_extension(filename, kind)
    except ParseError as error:
        return "", error.user_message
    return str(kind), ""


def _revision_add(
    *, project: Project, actor: AnyUser | None, local_path: Path, filename: str, enqueue: bool
) -> UploadResult:
    name = document_name_from_filename(filename)
    facts = local_file_facts(local_path)
    if facts.size > settings.SELKO_MAX_UPLOAD_BYTES:
        raise upload_too_large_error(size=facts.size)
    existing = Document.objects.filter(project=project, name=name).select_related("current_revision").first()
    current = existing.current_revision if existing is not None else None
    if existing is not None and current is not None and current.sha256 == facts.sha256:
        return UploadResult(document=existing, revision=current, created_revision=False)
    kind, refusal = _upload_refusal(local_path=local_path, filename=name, size=facts.size)
    stored_name = stored_file_save(local_path=local_path, original_filename=name)
    user = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            document, _ = Document.objects.get_or_create(
                project=project, name=name, defaults={"created_by": user}
            )
            # Locked so two uploads of the same name cannot take the same revision number.
            document = Document.objects.select_for_update().get(pk=document.pk)
            number = (document.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
            revision = DocumentRevision.objects.create(
                document=document,
                number=number,
                file=stored_name,
                original_filename=name,
                size=facts.size,
                sha256=facts.sha256,
                uploaded_by=user,
            )
            document.current_revision = revision
            document.kind = kind or document.kind
            document.status = DocumentStatus.FAILED if refusal else DocumentStatus.UPLOADED
            document.error_message = refusal
            document.progress_done = document.progress_total = 0
            document.ingest_attempts = 0
            document.save()
            audit_record(
                actor=actor,
                action="document.uploaded",
                target=document,
                project=project,
                details={"revision": number, "size": facts.size, "sha256": facts.sha256, "refused": refusal},
            )
            if enqueue and not refusal:
                _ingest_enqueue_on_commit(document_id=document.pk, revision_id=revision.pk)
    except BaseException:
        # The rows were not written: the stored bytes belong to nothing.
        stored_file_delete(name=stored_name)
        raise
    return UploadResult(document=document, revision=revision, created_revision=True)


def _ingest_enqueue_on_commit(*, document_id: int, revision_id: int) -> None:
    from documents.tasks import ingest_document_task

    transaction.on_commit(lambda: ingest_document_task.delay(document_id, revision_id))


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


def document_ingest(*, document_id: int, revision_id: int) -> Document | None:
    """Parse a revision and replace the document's requirements. Idempotent; returns None when skipped
    (the document is gone, a newer revision superseded this one, or it is already parsed or failed)."""
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
            )
        if not parsed.segments:
            raise EmptyDocument()
        document = _requirements_replace(
            document_id=document_id,
            revision_id=revision_id,
            parsed=parsed,
            seconds=time.monotonic() - started,
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
    return document


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


def _requirements_replace(
    *, document_id: int, revision_id: int, parsed: ParsedDocument, seconds: float
) -> Document | None:
    from models_app.models import Annotation

    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.current_revision_id != revision_id or document.status != DocumentStatus.PARSING:
            return None  # a newer upload or a re-ingest took over while this one parsed
        # People's labels survive a re-ingest for every requirement whose ID and text did not change.
        kept_answers = list(
            Annotation.objects.filter(requirement__document=document).values(
                "requirement__external_id", "requirement__text", "label_id", "value", "user_id"
            )
        )
        document.requirements.all().delete()
        rows = []
        order_by_key: dict[tuple[str, str], int] = {}
        for order, segment in enumerate(parsed.segments, start=1):
            external_id = (segment.external_id or "")[:100]
            order_by_key.setdefault((external_id, segment.text), order)
            rows.append(
                Requirement(
                    project_id=document.project_id,
                    document=document,
                    order=order,
                    text=segment.text,
                    external_id=external_id,
                    section_path=list(segment.section_path),
                    section_key=" > ".join(segment.section_path),
                    section_title=(segment.section_title or "")[:500],
                    is_requirement=segment.is_requirement,
                    obligation=segment.obligation,
                    page=segment.page,
                    bbox=list(segment.bbox) if segment.bbox is not None else None,
                    sheet=(segment.sheet or "")[:255],
                    row=segment.row,
                    column=(segment.column or "")[:16],
                    attributes=dict(segment.attributes),
                )
            )
        Requirement.objects.bulk_create(rows, batch_size=REQUIREMENT_BATCH_SIZE)
        if kept_answers:
            id_by_order = dict(document.requirements.values_list("order", "id"))
            carried = []
            for answer in kept_answers:
                key = (answer["requirement__external_id"], answer["requirement__text"])
                if (matched := order_by_key.get(key)) is not None:
                    carried.append(
                        Annotation(
                            project_id=document.project_id,
                            requirement_id=id_by_order[matched],
                            label_id=answer["label_id"],
                            value=answer["value"],
                            user_id=answer["user_id"],
                        )
                    )
            Annotation.objects.bulk_create(carried, batch_size=REQUIREMENT_BATCH_SIZE)
        document.status = DocumentStatus.PARSED
        document.error_message = ""
        document.kind = str(parsed.kind)
        document.page_count = parsed.page_count
        document.row_count = parsed.row_count
        document.requirement_count = sum(1 for row in rows if row.is_requirement)
        document.parse_seconds = round(seconds, 3)
        document.parsed_revision_id = revision_id
        document.progress_total = parsed.page_count or parsed.row_count or document.progress_total
        document.progress_done = document.progress_total
        document.save()
    return document


def _requirements_changed(*, project_id: int) -> None:
    """After a document's requirements changed: recount the dashboard, then let the model side re-tag.

    The re-tagging belongs to the retraining work: when `models_app.hooks.requirements_changed` exists it is
    called here (it queues `predict` when the project has an active model); until then this is a no-op.
    """
    project_statistics_refresh(project_id=project_id)
    if importlib.util.find_spec(REQUIREMENTS_CHANGED_HOOK_MODULE) is None:
        return
    hook = getattr(importlib.import_module(REQUIREMENTS_CHANGED_HOOK_MODULE), "requirements_changed", None)
    if hook is None:
        return
    try:
        hook(project_id=project_id)
    except Exception:
        # The requirements are committed; failing to queue re-tagging must not mark the document failed.
        logger.exception("requirements_changed hook failed for project %s", project_id)


def document_reingest(*, user: AnyUser, document: Document) -> Document:
    """Parse the current revision again: after a failure, a parser upgrade, or a stuck ingest."""
    require_role(user=user, project=document.project, minimum=Role.EDITOR, action="re-ingest documents")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.current_revision_id is None:
            raise ValidationFailed("This document has no file to ingest. Upload it again.")
        recently_active = timezone.now() - locked.updated_at < PARSING_STALE_AFTER
        if locked.status == DocumentStatus.PARSING and recently_active:
            raise Conflict("This document is being parsed right now. Wait for it to finish, then re-ingest.")
        locked.status = DocumentStatus.UPLOADED
        locked.error_message = ""
        locked.ingest_attempts = 0
        locked.progress_done = locked.progress_total = 0
        locked.save()
        audit_record(
            actor=user,
            action="document.reingested",
            target=locked,
            project=document.project,
            details={"revision": locked.current_revision.number if locked.current_revision else None},
        )
        _ingest_enqueue_on_commit(document_id=locked.pk, revision_id=locked.current_revision_id)
    return locked


def document_delete(*, user: AnyUser, document: Document) -> None:
    """Delete a document, its revisions and requirements (and the labels people gave them), then its files."""
    require_role(user=user, project=document.project, minimum=Role.EDITOR, action="delete documents")
    project = document.project
    stored_names = list(document.revisions.values_list("file", flat=True))
    with transaction.atomic():
        audit_record(
            actor=user,
            action="document.deleted",
            target=document,
            project=project,
            details={"name": document.name, "requirements": document.requirement_count},
        )
        document.delete()

        def after_commit() -> None:
            for name in stored_names:
                stored_file_delete(name=name)
            project_statistics_refresh(project_id=project.pk)

        transaction.on_commit(after_commit)
