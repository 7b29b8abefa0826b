"""The ingest task through a real Celery worker process: uploads parsed in the background, and a worker
killed in the middle of a parse that neither loses the document nor leaves it stuck in `parsing`."""

import os
import signal
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus
from tests.documents.ingest_files import requirements_xlsx, spec_pdf
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.worker import CeleryWorker, start_celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def editor_client() -> tuple[APIClient, object]:
    project = ProjectFactory()
    user = UserFactory()
    MembershipFactory(user=user, organization=project.organization)
    client = APIClient()
    client.force_authenticate(user)
    return client, project


def upload(client: APIClient, project: object, name: str, data: bytes) -> Document:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/api/v1/projects/{project.slug}/documents/",  # type: ignore[attr-defined]
        {"file": SimpleUploadedFile(name, data)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return Document.objects.get(pk=response.json()["id"])


def settled(document: Document) -> bool:
    document.refresh_from_db()
    return document.status in (DocumentStatus.PARSED, DocumentStatus.FAILED)


def test_uploads_are_parsed_by_the_worker_and_a_bad_one_fails_alone(celery_worker: CeleryWorker) -> None:
    client, project = editor_client()

    spec = upload(client, project, "spec.pdf", spec_pdf())
    broken = upload(client, project, "broken.pdf", spec_pdf()[:900])
    sheet = upload(client, project, "reqs.xlsx", requirements_xlsx())

    for document in (spec, broken, sheet):
        wait_for(lambda document=document: settled(document), timeout=60, worker=celery_worker)
    assert (spec.status, spec.requirement_count, spec.page_count) == ("parsed", 4, 2)
    assert (sheet.status, sheet.requirement_count, sheet.row_count) == ("parsed", 3, 4)
    assert (broken.status, broken.requirements.count()) == ("failed", 0)
    assert broken.error_message.startswith("The PDF is incomplete")
    assert "documents.tasks.ingest_document" in celery_worker.log()
    project.refresh_from_db()  # type: ignore[attr-defined]
    assert project.statistics["requirements"] == 7  # type: ignore[attr-defined]


def pool_children(worker: CeleryWorker) -> list[int]:
    pid = worker.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def kill_pool_child_mid_parse(worker: CeleryWorker, document: Document) -> None:
    """SIGKILL the pool process once it has reported parsing progress, as the OOM killer would."""

    def parsing() -> bool:
        document.refresh_from_db()
        return document.status == DocumentStatus.PARSING and document.progress_total > 0

    wait_for(parsing, timeout=60, interval=0.05, worker=worker)
    for child in pool_children(worker):
        os.kill(child, signal.SIGKILL)


@pytest.fixture
def big_spec() -> bytes:
    # Long enough (about 2,000 pages, a second or two of parsing) to be killed in the middle.
    return spec_pdf(pages_per_section=1000)


def ingest_with_one_worker_kill(data: bytes, *, max_redeliveries: int) -> tuple[Document, str]:
    worker = start_celery_worker(
        queues="ingest", extra_env={"CELERY_MAX_REDELIVERIES": str(max_redeliveries)}
    )
    try:
        client, project = editor_client()
        document = upload(client, project, "big.pdf", data)
        kill_pool_child_mid_parse(worker, document)
        wait_for(lambda: settled(document), timeout=120, worker=worker)
    finally:
        worker.stop()
    return document, worker.log()


def test_a_worker_killed_mid_parse_redelivers_and_the_document_ends_parsed(big_spec: bytes) -> None:
    document, log = ingest_with_one_worker_kill(big_spec, max_redeliveries=2)

    assert (document.status, document.error_message) == (DocumentStatus.PARSED, "")
    assert document.ingest_attempts == 2
    assert document.page_count == 2000
    assert "WorkerLostError" in log


def test_a_document_that_keeps_killing_workers_ends_failed_not_parsing(big_spec: bytes) -> None:
    document, log = ingest_with_one_worker_kill(big_spec, max_redeliveries=0)

    assert document.status == DocumentStatus.FAILED
    assert document.error_message == (
        "The worker processing this document stopped once; try re-ingesting or contact your administrator."
    )
    assert document.requirements.count() == 0
    assert "WorkerLostError" in log
