"""The file of a finished export job as an HTTP download: one answer for the API and the export page."""

from django.http import FileResponse

from models_app.exports.rendering import CONTENT_TYPES
from models_app.exports.selectors import export_job_open
from selko.tenancy.models import Project


def export_job_download(*, project: Project, export_id: int) -> FileResponse:
    """The job's stored file, streamed; another project's job, or one not ready yet, is a 404."""
    job, stream = export_job_open(project=project, export_id=export_id)
    # FileResponse streams the stored file in blocks and closes it when done.
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"{project.slug}-requirements-{job.created_at:%Y%m%d-%H%M}.{job.file_type}",
        content_type=CONTENT_TYPES[job.file_type],
    )
