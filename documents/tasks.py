"""Celery tasks of the documents app (routed to the `ingest` queue). Thin: they call one service."""

from typing import Any

from celery import shared_task

from documents.services import TRANSIENT_DB_ERRORS, document_ingest, document_ingest_abandon

DATABASE_UNAVAILABLE_MESSAGE = (
    "The database was unavailable while this document was being read. Try re-ingesting it in a few minutes."
)


@shared_task(bind=True, name="documents.tasks.ingest_document", max_retries=3)
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
