"""Uploads: store a file as a new revision of a project's document and queue its ingest.

The bytes are stored outside any transaction; the Document and DocumentRevision rows are written in one,
and the `ingest` task is queued once they are committed. Identical bytes are recognised and not stored
again; a file whose content does not match its name is refused at once.
"""

import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Max

from documents.models import Document, DocumentRevision, DocumentStatus
from documents.parsers.errors import EmptyDocument, ParseError
from documents.parsers.sniff import check_extension, sniff_kind
from documents.services.ingest import document_ingest
from documents.storage import local_file_facts, stored_file_delete, stored_file_save, uploaded_file_on_disk
from selko.audit.services import audit_record
from selko.errors import ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

INGEST_TASK = "documents.tasks.ingest_document"


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
    # The same file again, whose earlier import died half-way (the document was still uploaded or parsing):
    # this import finished it.
    resumed: bool = False


def document_import_file(
    *, project: Project, path: Path, actor: AnyUser | None = None, findings_now: bool = True
) -> ImportResult:
    """Upload and ingest a local file synchronously: the command-line import. No role check: the caller
    runs on the server with full access. The findings and summary are computed before it returns, unless
    `findings_now` is False: then they are queued, as after an upload."""
    started = time.monotonic()
    size = path.stat().st_size
    if size > settings.SELKO_MAX_UPLOAD_BYTES:
        raise upload_too_large_error(size=size)
    result = _revision_add(project=project, actor=actor, local_path=path, filename=path.name, enqueue=False)
    document = result.document
    # Not only a new revision: an identical file whose earlier import was killed half-way left its
    # document uploaded or parsing, and the ingest's claim takes such a document over and finishes it.
    unfinished = document.status in (DocumentStatus.UPLOADED, DocumentStatus.PARSING)
    if unfinished:
        document = (
            document_ingest(
                document_id=document.pk, revision_id=result.revision.pk, findings_now=findings_now
            )
            or document
        )
    document.refresh_from_db()
    return ImportResult(
        upload=result,
        document=document,
        seconds=time.monotonic() - started,
        resumed=unfinished and not result.created_revision,
    )


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
                enqueue_after_commit(INGEST_TASK, document.pk, revision.pk)
    except BaseException:
        # The rows were not written: the stored bytes belong to nothing.
        stored_file_delete(name=stored_name)
        raise
    return UploadResult(document=document, revision=revision, created_revision=True)
