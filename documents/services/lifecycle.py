"""A stored document's life after upload: parse it again, or delete it with its files."""

from django.db import transaction
from django.utils import timezone

from documents.models import Document, DocumentStatus
from documents.services.ingest import PARSING_STALE_AFTER
from documents.services.statistics import project_statistics_refresh
from documents.services.upload import INGEST_TASK
from documents.storage import stored_file_delete
from selko.audit.services import audit_record
from selko.errors import Conflict, ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.tenancy.models import Role
from selko.tenancy.services import require_role


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
        enqueue_after_commit(INGEST_TASK, locked.pk, locked.current_revision_id)
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
