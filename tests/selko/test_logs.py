"""SELKO_LOG_FORMAT=json: one JSON line per event, with the request's or the task's ids in it."""

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from documents.models import Document
from selko.logs import LogContextFilter, json_formatter, log_context, log_context_bind, log_context_clear
from selko.queueing import enqueue_after_commit
from selko.tenancy.models import Project, Role
from tests.models_app.factories import DocumentFactory
from tests.worker import start_celery_worker, wait_for


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The root logger also writing JSON to a buffer, as the console handler does with the setting."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(LogContextFilter())
    logging.getLogger().addHandler(handler)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)
        log_context_clear()


def _parsed(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_carries_the_context_and_the_calls_own_fields(json_lines: io.StringIO) -> None:
    # Given a context bound for a task
    log_context_bind(task="training.tasks.train", job_id=7, project_id=3)

    # When code logs inside and after a block that adds a model version, with an extra of its own
    logger = logging.getLogger("selko.test")
    with log_context(model_version_id=12):
        logger.warning("promoted", extra={"project_id": 4})
    logger.error("failed: %s", "boom")

    # Then each event is one JSON line with the fields, the call's own extra winning
    first, second = _parsed(json_lines)
    assert {k: first[k] for k in ("level", "logger", "message", "task", "job_id", "project_id")} == {
        "level": "WARNING",
        "logger": "selko.test",
        "message": "promoted",
        "task": "training.tasks.train",
        "job_id": 7,
        "project_id": 4,
    }
    assert first["model_version_id"] == 12
    assert (second["message"], second["job_id"], "model_version_id" in second) == ("failed: boom", 7, False)


def test_a_request_logs_with_its_project_and_document(
    json_lines: io.StringIO, project: Project, member_of: Callable[..., object]
) -> None:
    # Given a member's API client
    client = APIClient()
    client.force_authenticate(member_of(project, Role.VIEWER))

    # When the member asks for a document that does not exist
    response = client.get(f"/api/v1/projects/{project.slug}/documents/999999/")

    # Then Django's "Not Found" line says which project, document and request it was about
    assert response.status_code == 404
    lines = [line for line in _parsed(json_lines) if line["logger"] == "django.request"]
    assert [
        {k: line.get(k) for k in ("level", "project", "document_id", "http_method", "path")} for line in lines
    ] == [
        {
            "level": "WARNING",
            "project": project.slug,
            "document_id": 999999,
            "http_method": "GET",
            "path": f"/api/v1/projects/{project.slug}/documents/999999/",
        }
    ]


@pytest.mark.integration
def test_a_worker_logs_json_lines_with_the_tasks_ids(transactional_db: None, project: Project) -> None:
    # Given a real worker process started with SELKO_LOG_FORMAT=json
    worker = start_celery_worker(extra_env={"SELKO_LOG_FORMAT": "json"})
    try:
        document = DocumentFactory(project=project)
        # When it runs an ingest of a revision that does not exist (it logs nothing but Celery's lines)
        with transaction.atomic():
            enqueue_after_commit("documents.tasks.ingest_document", document.pk, 999999)
        wait_for(lambda: "succeeded" in worker.log(), worker=worker, timeout=60)
    finally:
        worker.stop()

    # Then every line it logged is a JSON object, and the task's lines carry its ids and project
    lines = [line for line in worker.log().splitlines() if line.startswith("{")]
    events = [json.loads(line) for line in lines]
    done = [event for event in events if "succeeded" in str(event["message"])]
    assert len(done) == 1
    assert {k: done[0].get(k) for k in ("task", "document_id", "revision_id", "project_id")} == {
        "task": "documents.tasks.ingest_document",
        "document_id": document.pk,
        "revision_id": 999999,
        "project_id": project.pk,
    }
    assert Document.objects.get(pk=document.pk).status == document.status
    assert any("ready" in str(event["message"]) for event in events)
