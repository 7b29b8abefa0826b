"""The embedded SQLite default under concurrent writers: no server error, no lost write, 503 when busy.

The clients are real HTTP clients in threads against a live server (one thread and one database connection
per request), so the writes really contend for SQLite's single write lock, as with a few people and the
worker on one machine.
"""

import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus
from models_app.annotations.models import Annotation
from models_app.taxonomy.models import Label
from selko.accounts.services import api_token_create
from selko.tenancy.models import Project, Role
from tests.documents.ingest_files import requirements_xlsx
from tests.factories import MembershipFactory, UserFactory
from tests.labeled_project import labeled_project_create
from tests.worker import CeleryWorker, wait_for

CLIENTS = 8
WRITES_PER_CLIENT = 50
BULK_REQUIREMENTS = 3  # per client: answered by bulk writes
PUT_REQUIREMENTS = 3  # per client: answered by single-requirement writes
BIG_DOCUMENT_ROWS = 20_000


@dataclass
class Client:
    base: str
    token: str
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def send(self, method: str, path: str, body: Any) -> int:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status = int(response.status)
        except urllib.error.HTTPError as error:
            status = error.code
            self.errors.append(f"{method} {path} {status} {error.read()[:200]!r}")
        self.statuses.append(status)
        return status


@dataclass
class Plan:
    project: Project
    labels: dict[str, Label]
    bulk_requirements: list[list[int]]
    put_requirements: list[list[int]]


def _plan(project: Project) -> Plan:
    labeled = labeled_project_create(project=project, per_label=0, unlabeled=16)
    ids = [requirement.pk for requirement in labeled.requirements]
    per_client = BULK_REQUIREMENTS + PUT_REQUIREMENTS
    own = [ids[c * per_client : (c + 1) * per_client] for c in range(CLIENTS)]
    return Plan(
        project=project,
        labels=labeled.labels,
        bulk_requirements=[mine[:BULK_REQUIREMENTS] for mine in own],
        put_requirements=[mine[BULK_REQUIREMENTS:] for mine in own],
    )


def _bulk_value(write: int) -> bool:
    return (write // 3) % 2 == 0


def _run_client(client: Client, plan: Plan, number: int) -> None:
    base = f"/api/v1/projects/{plan.project.slug}"
    display, braking = plan.labels["Display"].pk, plan.labels["Braking"].pk
    for write in range(WRITES_PER_CLIENT):
        if write % 3 == 0:
            items = [
                {"requirement": r, "label": display, "value": _bulk_value(write)}
                for r in plan.bulk_requirements[number]
            ]
            client.send("POST", f"{base}/annotations/bulk/", {"annotations": items})
        elif write % 3 == 1:
            requirement = plan.put_requirements[number][(write // 3) % PUT_REQUIREMENTS]
            client.send("PUT", f"{base}/labeling/requirements/{requirement}/", {"label_ids": [braking]})
        else:
            label = plan.labels[("Safety", "Power", "Display")[number % 3]].pk
            client.send("PATCH", f"{base}/labels/{label}/", {"description": f"client {number} write {write}"})


def _hammer(live_server: Any, plan: Plan) -> tuple[list[Client], float]:
    clients = []
    for _ in range(CLIENTS):
        user = UserFactory()
        MembershipFactory(user=user, organization=plan.project.organization, role=Role.EDITOR)
        clients.append(Client(base=live_server.url, token=api_token_create(user=user, name="load").key))
    threads = [
        threading.Thread(target=_run_client, args=(client, plan, number))
        for number, client in enumerate(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return clients, time.monotonic() - started


def _assert_every_acknowledged_write_is_there(clients: list[Client], plan: Plan) -> None:
    answers = {
        (a.requirement_id, a.label.name): a.value
        for a in Annotation.objects.filter(project=plan.project).select_related("label")
    }
    last_bulk = max(write for write in range(WRITES_PER_CLIENT) if write % 3 == 0)
    for number in range(CLIENTS):
        for requirement in plan.bulk_requirements[number]:
            assert answers[(requirement, "Display")] is _bulk_value(last_bulk)
        for requirement in plan.put_requirements[number]:
            assert [
                answers.get((requirement, name)) for name in ("Safety", "Braking", "Power", "Display")
            ] == [
                True,
                True,
                False,
                False,
            ]


# The embedded default's own locking: on PostgreSQL these tests have nothing to show.
sqlite_only = pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="tests the embedded SQLite database's locking",
)


@sqlite_only
@pytest.mark.django_db
def test_each_connection_writes_ahead_and_syncs_the_disk_only_at_checkpoints() -> None:
    # WAL lets readers go on while one writes; NORMAL spares a disk sync per commit (a power cut may undo
    # the last commits, never corrupt the file), which a 1,000-row import's dozen commits would feel.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL (FULL is 2)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_sqlite_get_no_server_error_and_lose_nothing(
    live_server: Any, project: Project
) -> None:
    # given a project and 8 API clients, each with requirements of its own
    assert connection.vendor == "sqlite"
    plan = _plan(project)
    # when they write at once: bulk answers, single-requirement answers and label edits
    clients, seconds = _hammer(live_server, plan)
    # then every write was acknowledged, none failed, and each is in the database
    statuses = Counter(status for client in clients for status in client.statuses)
    print(f"{CLIENTS} clients x {WRITES_PER_CLIENT} writes in {seconds:.1f} s: {dict(statuses)}")
    assert [error for client in clients for error in client.errors] == []
    assert statuses == Counter({200: CLIENTS * WRITES_PER_CLIENT})
    _assert_every_acknowledged_write_is_there(clients, plan)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_while_the_worker_ingests_a_large_document(
    live_server: Any, celery_worker: CeleryWorker, project: Project, editor: Any
) -> None:
    # given a project, 8 API clients, and a 20,000-row workbook just uploaded for the real worker to ingest
    plan = _plan(project)
    uploader = APIClient()
    uploader.force_authenticate(editor)
    rows = [
        [f"BIG-{n}", f"The unit shall handle case number {n} within 10 ms.", "Core"]
        for n in range(BIG_DOCUMENT_ROWS)
    ]
    upload = uploader.post(
        f"/api/v1/projects/{plan.project.slug}/documents/",
        {"file": SimpleUploadedFile("big.xlsx", requirements_xlsx(rows))},
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    document = Document.objects.get(pk=upload.json()["id"])
    # when the clients write while the worker parses and writes the requirements
    wait_for(lambda: _status(document) == DocumentStatus.PARSING, timeout=120, worker=celery_worker)
    clients, seconds = _hammer(live_server, plan)
    status_after_the_writes = _status(document)
    wait_for(lambda: _status(document) in (DocumentStatus.PARSED, DocumentStatus.FAILED), timeout=300)
    # then no write failed, every one is there, and the document is parsed whole
    statuses = Counter(status for client in clients for status in client.statuses)
    print(
        f"{CLIENTS} clients x {WRITES_PER_CLIENT} writes during ingest in {seconds:.1f} s: {dict(statuses)}; "
        f"the document was {status_after_the_writes} when they were done"
    )
    assert [error for client in clients for error in client.errors] == []
    assert statuses == Counter({200: CLIENTS * WRITES_PER_CLIENT})
    _assert_every_acknowledged_write_is_there(clients, plan)
    document.refresh_from_db()
    assert (document.status, document.requirements.count()) == (DocumentStatus.PARSED, BIG_DOCUMENT_ROWS)


def _status(document: Document) -> str:
    document.refresh_from_db()
    return str(document.status)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_write_the_lock_holder_keeps_out_answers_503_with_retry_after_and_changes_nothing(
    project: Project, editor: Any, settings: Any
) -> None:
    # given another connection that holds SQLite's write lock, and a short busy timeout for this one
    labeled = labeled_project_create(project=project, per_label=0, unlabeled=1)
    before = list(Annotation.objects.values_list("requirement_id", "label_id", "value"))
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 100")
    api = APIClient()
    api.force_authenticate(editor)
    api.force_login(editor)  # the session is written now, before the lock is taken
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        # when a client writes through the API and through a page
        answer = api.post(
            f"/api/v1/projects/{project.slug}/annotations/bulk/",
            {
                "annotations": [
                    {
                        "requirement": labeled.requirements[0].pk,
                        "label": labeled.labels["Display"].pk,
                        "value": True,
                    }
                ]
            },
        )
        page = api.post(
            f"/p/{project.slug}/labels/{labeled.labels['Display'].pk}/edit",
            {"name": "Screens", "parent": "", "description": "", "color": "#336699"},
            format="multipart",
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # then both say "busy, retry" instead of a server error, and nothing was written
    assert answer.status_code == 503
    assert answer["Retry-After"] == "5"
    assert answer.json() == {
        "error": {
            "code": "database_busy",
            "message": "The database is busy with other changes. Please retry in a few seconds.",
            "details": {},
        }
    }
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert b"Selko is busy" in page.content
    assert list(Annotation.objects.values_list("requirement_id", "label_id", "value")) == before
    assert Label.objects.get(pk=labeled.labels["Display"].pk).name == "Display"
