"""A document's tag counts (requirements carrying each label, by top-level section) are stored and kept
exact: people's answers adjust them, a newly active version or changed segments are counted from the
rows until tagging stores them again, and the document's page reads them without grouping its rows."""

import re
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from documents.models import Document, Requirement
from documents.quality.services import document_quality_check
from documents.services.corrections import requirement_mark
from documents.summaries.counts import document_counts_refresh
from documents.summaries.services import document_summary_compute
from models_app.registry.models import ModelVersion
from models_app.registry.services import model_version_promote
from models_app.summaries.selectors import tag_counts_compute, tag_counts_stored
from models_app.summaries.services import project_tag_counts_refresh
from models_app.taxonomy.models import Label
from selko.tenancy.models import Project, Role
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db


def _document(project: Project) -> tuple[Document, list[Requirement]]:
    """Two requirements in "3 Brakes", one in "4 Doors", one informative heading; quality, summary and
    counts stored as the ingest stores them."""
    document = DocumentFactory(project=project, name="Spec.pdf")
    rows = [
        RequirementFactory(
            document=document, order=order, text=f"The unit shall do {order}.", section_path=[section],
            section_key=section, is_requirement=section != "",
        )
        for order, section in enumerate(["3 Brakes", "3 Brakes", "4 Doors", ""], start=1)
    ]  # fmt: skip
    document_quality_check(document_id=document.pk)
    document_summary_compute(document_id=document.pk)
    document_counts_refresh(document_id=document.pk)
    return document, rows


def _tagged(project: Project, requirements: list[Requirement]) -> tuple[Label, Label, ModelVersion]:
    """Safety > Braking; the active version suggests Braking for the first requirement only."""
    safety = LabelFactory(project=project, name="Safety")
    braking = LabelFactory(project=project, name="Braking", parent=safety)
    version = ModelVersionFactory(project=project, label_ids=[safety.pk, braking.pk])
    PredictionFactory(model_version=version, requirement=requirements[0], label=braking, score=0.9)
    PredictionFactory(model_version=version, requirement=requirements[1], label=braking, score=0.2)
    with transaction.atomic():  # as tagging does at its end
        project_tag_counts_refresh(project_id=project.pk)
    return safety, braking, version


def _by_label(client: APIClient, project: Project, document: Document) -> dict[str, dict[str, int]]:
    """{section ("" for the whole document): {label path: requirements}} as the API shows them."""
    body = client.get(f"/api/v1/projects/{project.slug}/documents/{document.pk}/summary/").json()
    return {
        gist["section"]: {row["path"]: row["requirements"] for row in gist["by_label"]}
        for gist in [body["document"], *body["sections"]]
    }


def _answer(
    client: APIClient, project: Project, requirement: Requirement, label: Label, value: object
) -> None:
    body = {"annotations": [{"requirement": requirement.pk, "label": label.pk, "value": value}]}
    response = client.post(f"/api/v1/projects/{project.slug}/annotations/bulk/", body, format="json")
    assert response.status_code == 200, response.content


def _stored_is_exact(project: Project, document: Document) -> bool:
    version = ModelVersion.objects.filter(project=project, is_active=True).first()
    stored = tag_counts_stored(document=Document.objects.get(pk=document.pk), version=version)
    live = tag_counts_compute(project=project, document=document, version=version)
    return stored is not None and +stored == +live


def test_answers_adjust_the_stored_counts_exactly(project: Project, editor_api: APIClient) -> None:
    document, rows = _document(project)
    safety, braking, _version = _tagged(project, rows)
    assert _by_label(editor_api, project, document) == {
        "": {"Safety > Braking": 1},
        "3 Brakes": {"Safety > Braking": 1},
        "4 Doors": {},
    }

    _answer(editor_api, project, rows[1], braking, True)  # and Safety, implied

    assert _by_label(editor_api, project, document) == {
        "": {"Safety > Braking": 2, "Safety": 1},
        "3 Brakes": {"Safety > Braking": 2, "Safety": 1},
        "4 Doors": {},
    }
    assert _stored_is_exact(project, document)

    _answer(editor_api, project, rows[0], braking, True)  # already suggested: counted once
    _answer(editor_api, project, rows[2], safety, True)

    assert _by_label(editor_api, project, document) == {
        "": {"Safety": 3, "Safety > Braking": 2},
        "3 Brakes": {"Safety > Braking": 2, "Safety": 2},
        "4 Doors": {"Safety": 1},
    }
    assert _stored_is_exact(project, document)

    _answer(editor_api, project, rows[0], braking, None)  # cleared: the suggestion still counts
    _answer(editor_api, project, rows[1], safety, False)  # no to Safety is no to Braking too
    _answer(editor_api, project, rows[3], safety, True)  # informative text is never counted

    assert _by_label(editor_api, project, document) == {
        "": {"Safety": 2, "Safety > Braking": 1},
        "3 Brakes": {"Safety": 1, "Safety > Braking": 1},
        "4 Doors": {"Safety": 1},
    }
    assert _stored_is_exact(project, document)


def test_a_newly_active_version_is_counted_from_its_rows_until_its_tagging_stores_it(
    project: Project, editor_api: APIClient, member_of: Callable[..., object]
) -> None:
    document, rows = _document(project)
    _safety, braking, first = _tagged(project, rows)
    second = ModelVersionFactory(project=project, is_active=False, label_ids=first.label_ids)
    for requirement in rows[:3]:
        PredictionFactory(model_version=second, requirement=requirement, label=braking, score=0.8)

    model_version_promote(actor=member_of(project, Role.ADMIN), version=second)  # type: ignore[arg-type]

    assert not _stored_is_exact(project, document)  # stored for the first version: not read
    assert _by_label(editor_api, project, document)[""] == {"Safety > Braking": 3}
    with transaction.atomic():
        project_tag_counts_refresh(project_id=project.pk)
    assert _stored_is_exact(project, document)
    assert _by_label(editor_api, project, document)[""] == {"Safety > Braking": 3}


def test_a_correction_of_the_segments_is_counted_before_the_tagging_after_it(
    project: Project, editor_api: APIClient, editor: object
) -> None:
    document, rows = _document(project)
    _tagged(project, rows)
    revision = document.revisions.create(number=1, size=1, sha256="0" * 64, original_filename="Spec.pdf")
    Document.objects.filter(pk=document.pk).update(current_revision=revision, parsed_revision=revision)

    requirement_mark(user=editor, requirement=rows[0], is_requirement=False)  # type: ignore[arg-type]

    assert not _stored_is_exact(project, document)  # the segments' generation moved on
    assert _by_label(editor_api, project, document)[""] == {}
    with transaction.atomic():
        project_tag_counts_refresh(project_id=project.pk)
    assert _stored_is_exact(project, document)


def test_the_document_page_reads_stored_counts_without_grouping_its_rows(
    project: Project, editor_browser: Client, editor_api: APIClient
) -> None:
    document, rows = _document(project)
    _safety, braking, _version = _tagged(project, rows)
    _answer(editor_api, project, rows[2], braking, True)

    with CaptureQueriesContext(connection) as queries:
        page = editor_browser.get(f"/p/{project.slug}/documents/{document.pk}/").content.decode()

    assert "Safety &gt; Braking" in page or "Safety > Braking" in page
    sql = [query["sql"] for query in queries.captured_queries]
    assert [
        # An aggregate over the requirements' own columns (a row's findings are gathered in a subquery).
        q
        for q in sql
        if re.search(r'(COUNT|MIN|MAX|SUM)\("documents_requirement"', q) or "GROUP BY 1" in q
    ] == []
    assert [q for q in sql if "models_app_prediction" in q or "models_app_annotation" in q] == []
    assert len(sql) <= 8  # 27 before the counts were stored, 11 before the active version came with them
