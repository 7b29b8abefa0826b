"""Export writes: a small export written at once, or a job queued for a worker, and the worker's run."""

from __future__ import annotations

import io
import logging
import tempfile
import uuid
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from documents.selectors import document_get
from models_app.exports import selectors
from models_app.exports.models import ExportJob, ExportStatus
from models_app.exports.rendering import (
    CONTENT_TYPES,
    REQIF_FILE_TYPES,
    ExportOptions,
    FileType,
    export_file_type_checked,
    export_filename,
    export_rows,
    export_write,
    model_about_rows,
)
from models_app.exports.reqif import reqif_write
from selko.audit.services import audit_record
from selko.errors import ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

logger = logging.getLogger(__name__)

MAX_EXPORT_ATTEMPTS = 3
# The worker side of large exports (models_app/exports/tasks.py).
EXPORT_TASK = "models_app.export_tasks.export_run"


@dataclass(frozen=True)
class ExportOutcome:
    """Either the file, written at once, or the job a worker will write it in."""

    job: ExportJob | None = None
    content: bytes = b""
    filename: str = ""
    content_type: str = ""


def export_request(
    *, user: AnyUser, project: Project, file_type: str, options: ExportOptions
) -> ExportOutcome:
    """Export now when it is small enough for a request, else queue a job for a worker."""
    if options.document_id is not None:
        document_get(project=project, document_id=options.document_id)  # another project's is a 404
    if options.explorer_filters is not None and file_type in REQIF_FILE_TYPES:
        # ReqIF is a tree of the project's specifications, not rows of a view.
        raise ValidationFailed(
            "An explorer view exports as CSV or XLSX.",
            details={"file_type": [f"Use csv or xlsx, not {file_type}."]},
        )
    if selectors.export_needs_worker(project=project, options=options):
        return ExportOutcome(
            job=export_job_create(user=user, project=project, file_type=file_type, options=options)
        )
    content = export_now(user=user, project=project, file_type=file_type, options=options)
    checked = export_file_type_checked(file_type)
    return ExportOutcome(
        content=content,
        filename=export_filename(project=project, file_type=checked),
        content_type=CONTENT_TYPES[checked],
    )


def export_now(*, user: AnyUser, project: Project, file_type: str, options: ExportOptions) -> bytes:
    """Write a small export in memory. Refused when it is too large for a request."""
    require_role(user=user, project=project, minimum=Role.VIEWER, action="export requirements")
    checked = export_file_type_checked(file_type)
    rows = selectors.export_row_count(project=project, options=options)
    if rows > selectors.export_sync_max_rows():
        raise ValidationFailed(f"{rows} rows are too many to export at once: start an export job.")
    buffer = io.BytesIO()
    _export_render(project=project, options=options, file_type=checked, stream=buffer)
    details: dict[str, object] = {"file_type": checked, "rows": rows}
    if options.explorer_filters is not None:
        details["filters"] = options.explorer_filters
    audit_record(actor=user, action="requirements.exported", target=project, project=project, details=details)
    return buffer.getvalue()


def export_job_create(
    *, user: AnyUser, project: Project, file_type: str, options: ExportOptions
) -> ExportJob:
    """Queue a large export; the worker writes the file and the job row says when it is ready."""
    require_role(user=user, project=project, minimum=Role.VIEWER, action="export requirements")
    checked = export_file_type_checked(file_type)
    with transaction.atomic():
        job = ExportJob.objects.create(
            project=project,
            file_type=checked,
            options=options.as_dict(),
            created_by=user if user.is_authenticated else None,
        )
        details = {"filters": options.explorer_filters} if options.explorer_filters is not None else None
        audit_record(actor=user, action="export.requested", target=job, project=project, details=details)
        enqueue_after_commit(EXPORT_TASK, job.pk)
    return job


def export_job_run(*, export_id: int) -> ExportJob | None:
    """Write the file of a queued export. Idempotent: a finished job is left as it is."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=export_id).select_related("project").first()
        if job is None or job.status in (ExportStatus.SUCCEEDED, ExportStatus.FAILED):
            return job
        job.attempts += 1
        if job.attempts > MAX_EXPORT_ATTEMPTS:
            # A worker died while writing it, several times: stop instead of trying forever.
            job.status, job.error_message, job.finished_at = (
                ExportStatus.FAILED,
                "The export was interrupted too many times.",
                timezone.now(),
            )
            job.save(update_fields=["attempts", "status", "error_message", "finished_at"])
            return job
        job.status = ExportStatus.RUNNING
        job.save(update_fields=["attempts", "status"])
    try:
        options = ExportOptions.from_dict(job.options)
        checked = export_file_type_checked(job.file_type)
        # Written to a temporary file first, then stored: no storage I/O inside a transaction.
        with tempfile.TemporaryFile() as spool:
            count = _export_render(project=job.project, options=options, file_type=checked, stream=spool)
            spool.seek(0)
            name = f"exports/{job.project_id}/{uuid.uuid4().hex}.{checked}"
            stored = default_storage.save(name, File(spool, name=name))
    except Exception as error:
        logger.exception("export %s failed", job.pk)
        job.status, job.error_message, job.finished_at = ExportStatus.FAILED, str(error)[:500], timezone.now()
        job.save(update_fields=["status", "error_message", "finished_at"])
        return job
    job.status, job.file_path, job.row_count = ExportStatus.SUCCEEDED, stored, count
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "file_path", "row_count", "finished_at"])
    return job


def _export_render(
    *, project: Project, options: ExportOptions, file_type: FileType, stream: IO[bytes]
) -> int:
    if file_type in REQIF_FILE_TYPES:
        return reqif_write(project=project, options=options, zipped=file_type == "reqifz", stream=stream)
    requirements = selectors.export_scope(project=project, options=options)
    return export_write(
        rows=export_rows(project=project, options=options, requirements=requirements),
        file_type=file_type,
        stream=stream,
        about_model=model_about_rows(project=project),
    )
