"""Reads of a project's exports: how large one would be, and the jobs a worker prepared."""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from documents.models import Requirement
from models_app.explorer.selectors import explorer_filters_parse, explorer_queryset
from models_app.exports.models import ExportJob, ExportStatus
from models_app.exports.rendering import ExportOptions, export_requirements
from selko.errors import NotFound
from selko.tenancy.models import Project


def export_sync_max_rows() -> int:
    """Up to this many rows an export is written in the request; beyond, by a worker (a setting)."""
    return int(settings.SELKO_EXPORT_SYNC_MAX_ROWS)


def export_scope(*, project: Project, options: ExportOptions) -> QuerySet[Requirement]:
    """The requirements an export writes: an explorer view's (its filter checked again, since a label
    may have gone since the job was queued) or the project's."""
    if options.explorer_filters is not None:
        filters = explorer_filters_parse(project=project, data=options.explorer_filters)
        return explorer_queryset(project=project, filters=filters)
    return export_requirements(project=project, options=options)


def export_row_count(*, project: Project, options: ExportOptions) -> int:
    return export_scope(project=project, options=options).count()


def export_needs_worker(*, project: Project, options: ExportOptions) -> bool:
    return export_row_count(project=project, options=options) > export_sync_max_rows()


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
