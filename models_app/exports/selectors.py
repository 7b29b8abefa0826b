"""Reads of a project's exports: how large one would be, and the jobs a worker prepared."""

from __future__ import annotations

from typing import IO

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from models_app.exports.models import ExportJob, ExportStatus
from models_app.exports.rendering import ExportOptions, export_requirements
from selko.errors import NotFound
from selko.tenancy.models import Project

# Up to this many rows an export is written while the browser waits (about a second); beyond, a worker
# writes it and the page offers a download link.
EXPORT_SYNC_MAX_ROWS = 3000


def export_row_count(*, project: Project, options: ExportOptions) -> int:
    return export_requirements(project=project, options=options).count()


def export_needs_worker(*, project: Project, options: ExportOptions) -> bool:
    return export_row_count(project=project, options=options) > EXPORT_SYNC_MAX_ROWS


def export_job_list(*, project: Project, limit: int = 10) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(project=project).select_related("created_by", "project")[:limit]


def export_job_get(*, project: Project, export_id: int) -> ExportJob:
    job = ExportJob.objects.filter(project=project, pk=export_id).first()
    if job is None:
        raise NotFound(f"No export {export_id} in this project.")
    return job


def export_job_open(*, project: Project, export_id: int) -> tuple[ExportJob, IO[bytes]]:
    job = export_job_get(project=project, export_id=export_id)
    if job.status != ExportStatus.SUCCEEDED or not job.file_path:
        raise NotFound(f"Export {export_id} is not ready ({job.get_status_display().lower()}).")
    return job, default_storage.open(job.file_path, "rb")
