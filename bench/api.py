"""Lists and pages at 50,000 requirements on PostgreSQL: p50/p95/p99 and SQL queries per request.

    .venv/bin/python bench/api.py [--requirements 50000] [--repeat 40] \
        [--server postgres://postgres@127.0.0.1:5432/postgres]

Creates its own database `selko_bench` on that server (dropped first if a previous run left it, and
dropped again at the end), migrates it, builds one project with two documents (90 % and 10 % of the
requirements), a label tree, an active model's predictions for three labels on every requirement, a few
thousand answers and some export jobs, then asks every list the UI and the API serve through Django's
in-process client, logged in as an editor. The baseline each figure is compared with is the target of
issue 14: < 100 ms at p99 and ≤ 8 SQL queries; a line over either is marked.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "selko_bench"
TARGET_P99_MS = 100.0
TARGET_QUERIES = 8
BATCH = 5000


def _database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(server: str, sql: str) -> None:
    import psycopg  # the bench's own connection, outside Django, to create and drop its database

    with psycopg.connect(_database_url(server, urlsplit(server).path.lstrip("/") or "postgres")) as conn:
        conn.autocommit = True
        conn.execute(sql)


def _exists(server: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(_database_url(server, urlsplit(server).path.lstrip("/") or "postgres")) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _setup(server: str, database: str) -> None:
    os.environ["DATABASE_URL"] = _database_url(server, database)
    os.environ.setdefault("SELKO_VAR_DIR", tempfile.mkdtemp(prefix="selko-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selko.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # Served as in production: with DEBUG Django also keeps every SQL statement it sends.
    os.environ.setdefault("SELKO_DEBUG", "false")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(total: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from documents.models import Document, Requirement
    from documents.quality.counts import document_quality_counts_refresh
    from documents.summaries.counts import document_counts_refresh
    from documents.summaries.services import document_summary_compute
    from models_app.annotations.models import Annotation
    from models_app.exports.models import ExportJob
    from models_app.registry.models import ModelVersion, Prediction
    from models_app.summaries.services import project_tag_counts_refresh
    from models_app.taxonomy.models import Label
    from selko.tenancy.models import Membership, Organization, Project, Role

    rng = random.Random(14)
    user = get_user_model().objects.create_user("bench")  # logged in with force_login
    organization = Organization.objects.create(name="Bench", slug="bench")
    Membership.objects.create(user=user, organization=organization, role=Role.EDITOR)
    project = Project.objects.create(organization=organization, name="Bench", slug="bench")
    sizes = {"Big specification": total * 9 // 10, "Small specification": total - total * 9 // 10}
    documents = []
    for name, size in sizes.items():
        document = Document.objects.create(
            project=project, name=name, kind="csv", status="parsed", requirement_count=size
        )
        documents.append(document)
        for start in range(0, size, BATCH):
            Requirement.objects.bulk_create(
                [
                    Requirement(
                        project=project,
                        document=document,
                        order=order,
                        text=f"The {rng.choice(['pump', 'valve', 'brake', 'door'])} shall respond "
                        f"within {rng.randint(1, 500)} ms of command {order}.",
                        external_id=f"REQ-{order:06d}",
                        section_path=[
                            f"{order // 1000} Chapter",
                            f"{order // 1000}.{order // 100 % 10} Part",
                        ],
                        section_key=f"{order // 1000} Chapter > {order // 1000}.{order // 100 % 10} Part",
                        is_requirement=order % 7 != 0,
                        obligation="mandatory" if order % 7 else "",
                    )
                    for order in range(start, min(start + BATCH, size))
                ]
            )
    safety = Label.objects.create(project=project, name="Safety", order=0)
    labels = [
        safety,
        Label.objects.create(project=project, name="Braking", parent=safety, order=1),
        Label.objects.create(project=project, name="Doors", parent=safety, order=2),
        Label.objects.create(project=project, name="Performance", order=3),
    ]
    version = ModelVersion.objects.create(
        project=project,
        number=1,
        status="ready",
        is_active=True,
        label_ids=[label.pk for label in labels[:3]],
        metrics={"macro_f1": 0.7},
    )
    ids = list(Requirement.objects.filter(project=project).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        Prediction.objects.bulk_create(
            [
                Prediction(
                    project=project,
                    requirement_id=pk,
                    label=label,
                    model_version=version,
                    score=(score := rng.random()),
                    predicted=score >= 0.5,
                )
                for pk in ids[start : start + BATCH]
                for label in labels[:3]
            ]
        )
    answered = rng.sample(ids, min(3000, len(ids)))
    Annotation.objects.bulk_create(
        [
            Annotation(project=project, requirement_id=pk, label=label, value=rng.random() < 0.4, user=user)
            for pk in answered
            for label in labels[:2]
        ]
    )
    for document in documents:  # as ingest does: the gist's extractive summary and counts are stored
        with transaction.atomic():
            document_summary_compute(document_id=document.pk)
            document_counts_refresh(document_id=document.pk)
            document_quality_counts_refresh(document_id=document.pk)  # no findings: the bench checks none
    with transaction.atomic():  # as tagging does at its end
        project_tag_counts_refresh(project_id=project.pk)
    ExportJob.objects.bulk_create(
        [ExportJob(project=project, file_type="xlsx", status="succeeded", row_count=total) for _ in range(30)]
    )
    return _world()


def _world() -> dict[str, object]:
    """The rows the cases need, read back from the database `_build` filled."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from documents.models import Document, Requirement
    from documents.requirement_pages import requirement_cursor_encode
    from models_app.annotations.models import Annotation
    from models_app.registry.models import Prediction, prediction_closeness
    from models_app.taxonomy.models import Label
    from selko.tenancy.models import Project

    project = Project.objects.get(slug="bench")
    total = Requirement.objects.filter(project=project).count()
    documents = [
        Document.objects.get(project=project, name=name)
        for name in ("Big specification", "Small specification")
    ]
    deep = Requirement.objects.filter(document=documents[0]).order_by("order", "id")[total * 8 // 10]
    last = (
        Requirement.objects.filter(document=documents[0]).order_by("-order").values_list("pk", "order")[200]
    )
    # A queued requirement (a requirement, not answered) thousands of places down the uncertainty queue:
    # `labeling/next/?after=` then places the next one that deep.
    queued = (
        Prediction.objects.filter(project=project, requirement__is_requirement=True)
        .exclude(Exists(Annotation.objects.filter(requirement=OuterRef("requirement_id"))))
        .annotate(closeness=prediction_closeness())
        .order_by("closeness", "requirement_id")
        .values_list("requirement_id", flat=True)
    )
    return {
        "user": get_user_model().objects.get(username="bench"),
        "queued_deep": queued[min(5000, total // 10)],
        "project": project,
        "big": documents[0],
        "small": documents[1],
        "label": Label.objects.get(project=project, name="Braking"),
        "deep_requirements_cursor": requirement_cursor_encode(
            (documents[0].name, documents[0].pk, deep.order, deep.pk)
        ),
        "deep_cursor": base64.urlsafe_b64encode(
            json.dumps([documents[0].pk, last[1], last[0]]).encode()
        ).decode(),
    }


def _cases(world: dict[str, object], total: int) -> list[tuple[str, str]]:
    slug = world["project"].slug  # type: ignore[attr-defined]
    big = world["big"].pk  # type: ignore[attr-defined]
    label = world["label"].pk  # type: ignore[attr-defined]
    api = f"/api/v1/projects/{slug}"
    last_page = (total + 99) // 100
    doc_pages = (total * 9 // 10 + 99) // 100
    return [
        ("API requirements, page 1", f"{api}/requirements/?page_size=100"),
        ("API requirements, page 400", f"{api}/requirements/?page_size=100&page=400"),
        ("API requirements, last page", f"{api}/requirements/?page_size=100&page={last_page}"),
        ("API requirements, ?document=", f"{api}/requirements/?document={big}&page_size=100&page=200"),
        ("API requirements, ?section=", f"{api}/requirements/?section=30 Chapter&page_size=100"),
        ("API requirements, ?text=", f"{api}/requirements/?text=valve shall&page_size=100"),
        ("API requirements, ?is_requirement", f"{api}/requirements/?is_requirement=false&page_size=100"),
        ("API requirements, cursor, first page", f"{api}/requirements/?page_size=100&cursor="),
        (
            f"API requirements, cursor at row {total * 8 // 10:,}",
            f"{api}/requirements/?page_size=100&cursor={world['deep_requirements_cursor']}",
        ),
        ("API requirements, ?text= by cursor", f"{api}/requirements/?text=valve shall&page_size=100&cursor="),
        ("API labeling/next", f"{api}/labeling/next/"),
        ("API labeling/next, ?after= deep in queue", f"{api}/labeling/next/?after={world['queued_deep']}"),
        ("API labeling/next, ?document=&label=", f"{api}/labeling/next/?document={big}&label={label}"),
        ("API annotations, page 1", f"{api}/annotations/?page_size=100"),
        ("API annotations, last page", f"{api}/annotations/?page_size=100&page=60"),
        ("API annotations, ?label=", f"{api}/annotations/?label={label}&page_size=100"),
        ("API exports list", f"{api}/exports/"),
        ("API explorer, first page", f"{api}/explorer/requirements/?limit=100"),
        (
            "API explorer, ?label= by score",
            f"{api}/explorer/requirements/?label={label}&sort=score&limit=100",
        ),
        (
            "API explorer, deep cursor",
            f"{api}/explorer/requirements/?limit=100&cursor={world['deep_cursor']}",
        ),
        ("page: document, page 1", f"/p/{slug}/documents/{big}/"),
        ("page: document, page 400", f"/p/{slug}/documents/{big}/?page={min(400, doc_pages)}"),
        ("page: document, ?q=", f"/p/{slug}/documents/{big}/?q=valve shall"),
        ("page: document, ?q= page 50", f"/p/{slug}/documents/{big}/?q=valve shall&page=50"),
        ("page: document, ?q= no match", f"/p/{slug}/documents/{big}/?q=no such words"),
        ("page: document, ?section= top", f"/p/{slug}/documents/{big}/?section=30 Chapter"),
        ("page: document, ?section= sub", f"/p/{slug}/documents/{big}/?section=30 Chapter > 30.4 Part"),
        ("page: document, ?only=requirements", f"/p/{slug}/documents/{big}/?only=requirements&page=200"),
        (
            "page: document, all filters",
            f"/p/{slug}/documents/{big}/?q=brake&section=12 Chapter&only=requirements",
        ),
        ("page: labeling", f"/p/{slug}/label/"),
        ("page: labeling, ?after= deep", f"/p/{slug}/label/?after={world['queued_deep']}"),
        ("page: explorer", f"/p/{slug}/explorer/"),
        ("page: export", f"/p/{slug}/export/"),
    ]


def _measure(client: object, url: str, repeat: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    queries = 0
    status = 0
    for attempt in range(repeat + 2):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)  # type: ignore[attr-defined]
            elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        if attempt >= 2:  # the first two warm caches, as a user's earlier clicks would have
            times.append(elapsed)
            queries = len(captured.captured_queries)
    return times, queries, status


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requirements", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--server",
        default=os.environ.get("SELKO_BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL whose user may create databases; the bench uses its own `selko_bench`",
    )
    parser.add_argument(
        "--database", default=BENCH_DATABASE, help="the database the bench creates and drops (its own)"
    )
    parser.add_argument("--only", default="", help="measure only the lines whose name contains this text")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database at the end and reuse one a previous --keep run left (migrated again)",
    )
    args = parser.parse_args()
    reuse = args.keep and _exists(args.server, args.database)
    if not reuse:
        _admin(args.server, f"DROP DATABASE IF EXISTS {args.database}")
        _admin(args.server, f"CREATE DATABASE {args.database}")
    try:
        _setup(args.server, args.database)
        started = time.perf_counter()
        world = _world() if reuse else _build(args.requirements)
        from django.db import connection
        from django.test import Client

        if reuse:
            print(f"reused {args.database} as a previous --keep run left it (PostgreSQL)")
        else:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a settled database
            seconds = time.perf_counter() - started
            print(f"built {args.requirements:,} requirements in {seconds:.0f} s (PostgreSQL)")
        logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 row says so in its own line
        from selko.process_start import web_process_warm

        web_process_warm()  # what a gunicorn worker does at start (selko/wsgi.py)
        client = Client()
        client.force_login(world["user"])  # type: ignore[arg-type]
        print(f"{'list or page':40} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'queries':>8}")
        over = 0
        for name, url in _cases(world, args.requirements):
            if args.only and args.only not in name:
                continue
            times, queries, status = _measure(client, url, args.repeat)
            p99 = _percentile(times, 0.99)
            mark = "  <- over target" if p99 >= TARGET_P99_MS or queries > TARGET_QUERIES else ""
            over += bool(mark)
            print(
                f"{name:40} {status:>6} {statistics.median(times):8.1f} {_percentile(times, 0.95):8.1f} "
                f"{p99:8.1f} {queries:>8}{mark}"
            )
        print(f"target (issue 14): p99 < {TARGET_P99_MS:.0f} ms and <= {TARGET_QUERIES} queries; {over} over")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(args.server, f"DROP DATABASE IF EXISTS {args.database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
