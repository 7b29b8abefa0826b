"""The explorer's API: every filter, sorting and keyset pages, isolation and roles, bulk actions, saved
views and the export of the current view."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from documents.models import Document, Requirement
from documents.quality.services import document_quality_check
from models_app.annotations.models import Annotation
from models_app.explorer.models import SavedView
from models_app.registry.models import ModelVersion
from models_app.taxonomy.models import Label
from selko.audit.models import AuditEvent
from selko.tenancy.models import Project, Role
from tests.factories import ProjectFactory
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    project: Project
    spec: Document
    sheet: Document
    brakes: Label
    doors: Label
    version: ModelVersion
    r1: Requirement  # people: brakes yes; model: brakes 0.9
    r2: Requirement  # model: brakes 0.6 (predicted); vague, recommended
    r3: Requirement  # model: brakes 0.3 (not predicted), doors yes by people; TBD
    r4: Requirement  # in the sheet, nothing


@pytest.fixture
def world(project: Project, editor: object) -> World:
    spec = DocumentFactory(project=project, name="a-spec.pdf")
    sheet = DocumentFactory(project=project, name="b-sheet.xlsx")
    brakes = LabelFactory(project=project, name="Brakes")
    doors = LabelFactory(project=project, name="Doors")
    version = ModelVersionFactory(project=project)
    r1 = RequirementFactory(
        document=spec,
        order=1,
        text="The train shall apply the brakes.",
        section_path=["3 Safety"],
        section_key="3 Safety",
        obligation="mandatory",
        external_id="SAF-1",
    )
    r2 = RequirementFactory(
        document=spec,
        order=2,
        text="The brakes should release fast.",
        section_path=["3 Safety", "3.2 Brakes"],
        section_key="3 Safety > 3.2 Brakes",
        obligation="recommended",
        external_id="SAF-2",
    )
    r3 = RequirementFactory(
        document=spec,
        order=3,
        text="The door timeout shall be TBD.",
        section_path=["4 Doors"],
        section_key="4 Doors",
        obligation="mandatory",
        external_id="DOOR-1",
    )
    r4 = RequirementFactory(
        document=sheet,
        order=1,
        text="The display shall show the speed.",
        section_path=[],
        section_key="",
        obligation="mandatory",
        external_id="UI-1",
    )
    RequirementFactory(document=spec, order=4, text="This chapter is informative, etc.", is_requirement=False)
    for document in (spec, sheet):
        document_quality_check(document_id=document.pk)
    Annotation.objects.create(project=project, requirement=r1, label=brakes, value=True, user=editor)
    Annotation.objects.create(project=project, requirement=r3, label=doors, value=True, user=editor)
    for requirement, score in ((r1, 0.9), (r2, 0.6), (r3, 0.3)):
        PredictionFactory(model_version=version, requirement=requirement, label=brakes, score=score)
    return World(project, spec, sheet, brakes, doors, version, r1, r2, r3, r4)


def url(project: Project, what: str = "requirements") -> str:
    return f"/api/v1/projects/{project.slug}/explorer/{what}/"


def ids(client: APIClient, project: Project, **params: Any) -> list[str]:
    response = client.get(url(project), params)
    assert response.status_code == 200, response.json()
    return [row["external_id"] for row in response.json()["results"]]


def test_without_a_filter_every_requirement_comes_in_document_order_and_informative_text_does_not(
    editor_api: APIClient, world: World
) -> None:
    assert ids(editor_api, world.project) == ["SAF-1", "SAF-2", "DOOR-1", "UI-1"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"source": "human"}, ["SAF-1"]),
        ({"source": "model"}, ["SAF-1", "SAF-2"]),
        ({"source": "either"}, ["SAF-1", "SAF-2"]),
        ({"source": "model", "min_score": "0.25"}, ["SAF-1", "SAF-2", "DOOR-1"]),
        ({"source": "model", "min_score": "0.7"}, ["SAF-1"]),
    ],
)
def test_the_tag_filter_by_people_by_the_model_above_a_score_or_either(
    editor_api: APIClient, world: World, params: dict[str, str], expected: list[str]
) -> None:
    assert ids(editor_api, world.project, label=world.brakes.pk, **params) == expected


def test_the_other_filters(editor_api: APIClient, world: World) -> None:
    p = world.project
    assert ids(editor_api, p, not_label=world.brakes.pk) == ["DOOR-1", "UI-1"]
    assert ids(editor_api, p, not_label=world.doors.pk) == ["SAF-1", "SAF-2", "UI-1"]
    assert ids(editor_api, p, document=world.sheet.pk) == ["UI-1"]
    assert ids(editor_api, p, section="3 Safety") == ["SAF-1", "SAF-2"]
    assert ids(editor_api, p, section="3 Safety > 3.2 Brakes") == ["SAF-2"]
    assert ids(editor_api, p, obligation="recommended") == ["SAF-2"]
    assert ids(editor_api, p, search="door") == ["DOOR-1"]
    assert ids(editor_api, p, search="saf-") == ["SAF-1", "SAF-2"]
    assert ids(editor_api, p, rule="placeholder") == ["DOOR-1"]
    assert ids(editor_api, p, rule="vague_term") == ["SAF-2"]


def test_sorting_by_quality_or_by_score_and_keyset_pages_cover_every_row_once(
    editor_api: APIClient, world: World
) -> None:
    p = world.project
    assert ids(editor_api, p, sort="quality") == ["DOOR-1", "SAF-2", "SAF-1", "UI-1"]
    assert ids(editor_api, p, sort="score", label=world.brakes.pk, source="model", min_score="0") == [
        "SAF-1",
        "SAF-2",
        "DOOR-1",
    ]
    for sort in ("order", "quality"):
        seen, cursor = [], ""
        while True:
            body = editor_api.get(url(p), {"sort": sort, "limit": 1, "cursor": cursor}).json()
            seen += [row["external_id"] for row in body["results"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == ids(editor_api, p, sort=sort)


def test_a_row_shows_people_and_model_tags_with_the_version_findings_and_provenance(
    editor_api: APIClient, world: World
) -> None:
    body = editor_api.get(url(world.project), {"search": "SAF-2"}).json()

    (row,) = body["results"]
    assert body["model_version"] == world.version.number
    assert row["human_tags"] == []
    assert row["model_tags"] == [
        {
            "label": world.brakes.pk,
            "path": "Brakes",
            "score": 0.6,
            "predicted": True,
            "model_version": world.version.number,
        }
    ]
    assert [(f["rule"], f["text"]) for f in row["findings"]] == [("vague_term", "fast")]
    assert (row["document_name"], row["section"], row["page"], row["quality_score"]) == (
        "a-spec.pdf",
        "3 Safety > 3.2 Brakes",
        1,
        90,
    )


def test_a_page_costs_a_fixed_number_of_queries_whatever_its_size(
    editor_api: APIClient, world: World
) -> None:
    for order in range(10, 60):
        RequirementFactory(document=world.spec, order=order)

    with CaptureQueriesContext(connection) as small:
        editor_api.get(url(world.project), {"limit": 2, "label": world.brakes.pk, "source": "either"})
    with CaptureQueriesContext(connection) as large:
        editor_api.get(url(world.project), {"limit": 50, "label": world.brakes.pk, "source": "either"})

    assert len(large) == len(small)
    assert len(large) <= 12
    assert not any("COUNT(" in query["sql"].upper() for query in large.captured_queries)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rule": "no_such_rule"}, "rule"),
        ({"obligation": "maybe"}, "obligation"),
        ({"min_score": "2"}, "min_score"),
        ({"sort": "score"}, "sort"),
        ({"colour": "red"}, "filters"),
        ({"cursor": "garbage!"}, None),
    ],
)
def test_a_bad_filter_is_a_clear_400(
    editor_api: APIClient, world: World, params: dict[str, str], field: str | None
) -> None:
    response = editor_api.get(url(world.project), params)

    assert response.status_code == 400
    if field:
        assert field in response.json()["error"]["details"]


def test_a_label_or_document_of_another_project_is_refused_and_another_organizations_project_is_404(
    editor_api: APIClient, world: World
) -> None:
    other = ProjectFactory()
    foreign_label = LabelFactory(project=other)
    foreign_document = DocumentFactory(project=other)

    by_label = editor_api.get(url(world.project), {"label": foreign_label.pk})
    by_document = editor_api.get(url(world.project), {"document": foreign_document.pk})
    elsewhere = editor_api.get(url(other))

    assert by_label.status_code == 400
    assert by_label.json()["error"]["details"]["label"] == [f"No label {foreign_label.pk} in this project."]
    assert by_document.status_code == 400
    assert elsewhere.status_code == 404


def answers(world: World) -> set[tuple[str, str, bool]]:
    return set(
        Annotation.objects.filter(project=world.project).values_list(
            "requirement__external_id", "label__name", "value"
        )
    )


def test_bulk_accept_answers_yes_only_where_the_model_suggests_the_label(
    editor_api: APIClient, world: World
) -> None:
    response = editor_api.post(
        url(world.project, "bulk"),
        {
            "requirements": [world.r1.pk, world.r2.pk, world.r3.pk, world.r4.pk],
            "label": world.brakes.pk,
            "action": "accept",
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert answers(world) == {("SAF-1", "Brakes", True), ("SAF-2", "Brakes", True), ("DOOR-1", "Doors", True)}


def test_bulk_reject_answers_no_and_add_answers_yes_everywhere(editor_api: APIClient, world: World) -> None:
    rejected = editor_api.post(
        url(world.project, "bulk"),
        {"requirements": [world.r2.pk, world.r3.pk], "label": world.brakes.pk, "action": "reject"},
        format="json",
    )
    added = editor_api.post(
        url(world.project, "bulk"),
        {"requirements": [world.r4.pk, world.r3.pk], "label": world.doors.pk, "action": "add"},
        format="json",
    )

    assert (rejected.status_code, added.status_code) == (200, 200)
    assert answers(world) == {
        ("SAF-1", "Brakes", True),
        ("SAF-2", "Brakes", False),
        ("DOOR-1", "Doors", True),
        ("UI-1", "Doors", True),
    }


def test_bulk_by_a_viewer_or_on_another_projects_label_changes_nothing(
    world: World, member_of: Callable[..., object], editor_api: APIClient
) -> None:
    viewer = APIClient()
    viewer.force_authenticate(member_of(world.project, Role.VIEWER))
    before = answers(world)
    foreign_label = LabelFactory(project=ProjectFactory())

    refused = viewer.post(
        url(world.project, "bulk"),
        {"requirements": [world.r4.pk], "label": world.doors.pk, "action": "add"},
        format="json",
    )
    foreign = editor_api.post(
        url(world.project, "bulk"),
        {"requirements": [world.r4.pk], "label": foreign_label.pk, "action": "add"},
        format="json",
    )

    assert refused.status_code == 403
    assert foreign.status_code == 400
    assert answers(world) == before


def test_a_saved_view_is_seen_by_others_in_the_project(
    editor_api: APIClient, world: World, member_of: Callable[..., object]
) -> None:
    created = editor_api.post(
        url(world.project, "views"),
        {
            "name": "Brakes to review",
            "filters": {"label": world.brakes.pk, "source": "model", "rule": "vague_term"},
        },
        format="json",
    )
    viewer = APIClient()
    viewer.force_authenticate(member_of(world.project, Role.VIEWER))

    listed = viewer.get(url(world.project, "views")).json()

    assert created.status_code == 201
    assert [(v["name"], v["filters"]) for v in listed] == [
        (
            "Brakes to review",
            {"label": world.brakes.pk, "source": "model", "rule": "vague_term", "sort": "order"},
        )
    ]
    assert ids(viewer, world.project, **listed[0]["filters"]) == ["SAF-2"]


def test_a_saved_view_with_a_malformed_filter_or_a_taken_name_is_refused_and_nothing_is_stored(
    editor_api: APIClient, world: World
) -> None:
    editor_api.post(url(world.project, "views"), {"name": "Mine", "filters": {}}, format="json")

    malformed = editor_api.post(
        url(world.project, "views"), {"name": "Bad", "filters": {"rule": "nope", "label": "x"}}, format="json"
    )
    taken = editor_api.post(
        url(world.project, "views"), {"name": "Mine", "filters": {"search": "brake"}}, format="json"
    )

    assert malformed.status_code == 400
    assert set(malformed.json()["error"]["details"]) == {"rule", "label"}
    assert taken.status_code == 409
    assert list(SavedView.objects.values_list("name", "filters")) == [
        ("Mine", {"source": "either", "sort": "order"})
    ]


def test_an_editor_deletes_a_saved_view_a_viewer_may_not_and_another_projects_view_is_not_found(
    editor_api: APIClient, world: World, member_of: Callable[..., object]
) -> None:
    mine = SavedView.objects.create(project=world.project, name="Mine", filters={})
    kept = SavedView.objects.create(project=world.project, name="Kept", filters={})
    elsewhere = SavedView.objects.create(
        project=ProjectFactory(organization=world.project.organization), name="X"
    )
    viewer = APIClient()
    viewer.force_authenticate(member_of(world.project, Role.VIEWER))

    refused = viewer.delete(url(world.project, f"views/{kept.pk}"))
    foreign = editor_api.delete(url(world.project, f"views/{elsewhere.pk}"))
    deleted = editor_api.delete(url(world.project, f"views/{mine.pk}"))

    assert refused.status_code == 403
    assert foreign.status_code == 404
    assert deleted.status_code == 204
    assert sorted(SavedView.objects.values_list("name", flat=True)) == ["Kept", "X"]
    assert list(
        AuditEvent.objects.filter(action="explorer.view_deleted").values_list("details", flat=True)
    ) == [{"name": "Mine"}]


def test_the_export_of_a_view_has_the_full_exports_columns_and_only_the_views_rows(
    editor_api: APIClient, world: World
) -> None:
    response = editor_api.get(
        url(world.project, "export"), {"file_type": "csv", "label": world.brakes.pk, "source": "model"}
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Document", "Section", "Requirement ID", "Order", "Text"]
    assert "Brakes (predicted)" in rows[0]
    assert [row[2] for row in rows[1:]] == ["SAF-1", "SAF-2"]


def test_pages_sorted_by_score_end_with_the_unscored_ones_and_cover_every_row_once(
    editor_api: APIClient, world: World, editor: object
) -> None:
    p = world.project
    # r4 is tagged by a person only: the model never scored it for this label.
    Annotation.objects.create(project=p, requirement=world.r4, label=world.brakes, value=True, user=editor)
    params = {"sort": "score", "label": world.brakes.pk, "min_score": "0"}
    whole = ids(editor_api, p, **params)
    seen, cursor = [], ""
    while True:
        body = editor_api.get(url(p), {**params, "limit": 1, "cursor": cursor}).json()
        seen += [row["external_id"] for row in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert whole == ["SAF-1", "SAF-2", "DOOR-1", world.r4.external_id]
    assert seen == whole
