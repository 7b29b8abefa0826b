"""Celery tasks of the documents app. Thin: they take ids and call one service.

Task names are the names messages already in a queue carry: they stay as they were when a module moves.
"""

from typing import Any

from celery import shared_task

from documents.quality.services import quality_recheck
from documents.services.findings import document_findings_compute
from documents.services.ingest import TRANSIENT_DB_ERRORS, document_ingest, document_ingest_abandon
from documents.services.statistics import project_statistics_refresh
from selko.errors import NotFound

DATABASE_UNAVAILABLE_MESSAGE = (
    "The database was unavailable while this document was being read. Try re-ingesting it in a few minutes."
)


@shared_task(
    bind=True,
    name="documents.tasks.ingest_document",
    queue="ingest",
    max_retries=3,
    subject_model="documents.Document",
)
def ingest_document_task(self: Any, document_id: int, revision_id: int) -> None:
    try:
        document_ingest(document_id=document_id, revision_id=revision_id)
    except TRANSIENT_DB_ERRORS as error:
        if self.request.retries >= self.max_retries:
            document_ingest_abandon(
                document_id=document_id, revision_id=revision_id, message=DATABASE_UNAVAILABLE_MESSAGE
            )
            raise
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


# On the ingest queue: its workers have the sentence encoder loaded for the summary.
@shared_task(
    bind=True,
    name="documents.tasks.document_findings",
    queue="ingest",
    max_retries=3,
    subject_model="documents.Document",
)
def document_findings_task(self: Any, document_id: int, revision_id: int) -> None:
    # Its failure leaves the document parsed, its requirements usable; the findings wait for a re-ingest.
    try:
        document_findings_compute(document_id=document_id, revision_id=revision_id)
    except TRANSIENT_DB_ERRORS as error:
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(
    name="selko.tenancy.project_statistics_refresh", queue="default", subject_model="tenancy.Project"
)
def project_statistics_refresh_task(project_id: int) -> None:
    try:
        project_statistics_refresh(project_id=project_id)
    except NotFound:
        return  # the project was deleted after the task was queued: nothing left to count


@shared_task(name="documents.tasks.quality_recheck_project", queue="default", subject_model="tenancy.Project")
def quality_recheck_project_task(project_id: int) -> None:
    # Idempotent: every document is rechecked with the settings stored when it runs, one transaction each.
    quality_recheck(project_id=project_id, everything=True)
