"""No id or number from outside gives a server error: too large for the database is a 400 in a filter or a
body, a 404 in a path, and ignored (like any other unreadable filter) in a page's query string."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from rest_framework.test import APIClient

from documents.models import Document, Requirement
from models_app.annotations.models import Annotation
from models_app.explorer.models import SavedView
from models_app.taxonomy.models import Label
from selko.ids import MAX_ID, IdConverter, id_from_text
from selko.tenancy.models import Membership, Project, Role
from tests.models_app.factories import DocumentFactory, LabelFactory, RequirementFactory

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = str(2**64)  # 20 digits: SQLite raises OverflowError, PostgreSQL "out of range"
HUGE = str(10**30)
OVERFLOWS = [BEYOND_64_BITS, HUGE, str(MAX_ID + 1)]


@pytest.fixture
def api(editor: object) -> APIClient:
    # Like a real client: a server error comes back as a 500 response instead of raising in the test.
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(editor)
    return client


@pytest.fixture
def browser(editor: object) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(editor)  # type: ignore[arg-type]
    return client


@pytest.fixture
def requirement(project: Project) -> Requirement:
    document = DocumentFactory(project=project)
    return RequirementFactory(project=project, document=document, text="The pump shall start.")


@pytest.fixture
def label(project: Project) -> Label:
    return LabelFactory(project=project, name="Safety")


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found.extend(_walk(entry.url_patterns, route))
        else:
            found.append((route, entry))
    return found


def _converters(entry: URLPattern) -> list[Any]:
    return list(getattr(entry.pattern, "converters", {}).values())


def test_id_from_text_reads_ids_the_database_can_hold_and_nothing_else() -> None:
    assert id_from_text("42") == 42
    assert id_from_text(" 7 ") == 7
    assert id_from_text(str(MAX_ID)) == MAX_ID
    assert [id_from_text(v) for v in ("", None, "0", "-1", "1.5", "abc", "٣", *OVERFLOWS)] == [None] * 10


def test_no_route_takes_an_unbounded_integer() -> None:
    # given every route of the site, API and pages alike
    routes = _walk(get_resolver().url_patterns)
    # then none uses Django's `<int:…>`, and the ids they take are `<id:…>`
    assert [
        route for route, entry in routes if any(isinstance(c, IntConverter) for c in _converters(entry))
    ] == []
    with_ids = [
        route for route, entry in routes if any(isinstance(c, IdConverter) for c in _converters(entry))
    ]
    assert len(with_ids) >= 33  # every route with an id (33 when this was written)


@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
def test_every_route_with_an_id_answers_404_to_an_id_beyond_the_database(
    debug: bool, settings: Any, project: Project, api: APIClient, browser: Client
) -> None:
    # given every route that takes an id, filled with a number beyond 64 bits
    settings.DEBUG = debug
    routes = [
        (route, entry)
        for route, entry in _walk(get_resolver().url_patterns)
        if any(isinstance(c, IdConverter) for c in _converters(entry))
    ]
    for route, _entry in routes:
        url = "/" + re.sub(r"<id:\w+>", BEYOND_64_BITS, route.replace("<slug:project_slug>", project.slug))
        client = api if url.startswith("/api/") else browser
        # when
        answers = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
        # then no route matches: a 404, never a 500
        assert answers == {"get": 404, "post": 404}, url


FILTERS = [
    ("requirements/", "document"),
    ("annotations/", "requirement"),
    ("annotations/", "label"),
    ("annotations/", "document"),
    ("labeling/next/", "document"),
    ("labeling/next/", "label"),
    ("labeling/next/", "after"),
    ("exports/requirements/", "document"),
    ("explorer/requirements/", "document"),
    ("explorer/requirements/", "label"),
    ("explorer/requirements/", "not_label"),
    ("explorer/export/", "document"),
    ("explorer/export/", "label"),
    ("model-versions/compare/", "first"),
]


@pytest.mark.parametrize(("path", "name"), FILTERS)
@pytest.mark.parametrize("value", OVERFLOWS)
def test_an_id_filter_beyond_the_database_is_a_400_naming_it(
    project: Project, api: APIClient, path: str, name: str, value: str, requirement: Requirement
) -> None:
    # when
    extra = "&second=1" if name == "first" else ""
    response = api.get(f"/api/v1/projects/{project.slug}/{path}?{name}={value}{extra}")
    # then
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"]["code"] == "validation_failed"
    assert list(body["error"]["details"]) == [name]


def test_an_export_url_exists_at_the_path_the_overflow_test_uses(project: Project, api: APIClient) -> None:
    # guards FILTERS above: a typo in a path would make its 400 a 404 and the test above would fail loudly
    assert api.get(f"/api/v1/projects/{project.slug}/exports/requirements/?file_type=csv").status_code == 200


@pytest.mark.parametrize("value", [2**64, 10**30, -(2**64), MAX_ID + 1])
def test_a_bulk_answer_with_an_id_beyond_the_database_is_refused_and_nothing_is_written(
    project: Project, api: APIClient, requirement: Requirement, label: Label, value: int
) -> None:
    # given one valid answer and one with an id the database cannot hold
    body = {
        "annotations": [
            {"requirement": requirement.pk, "label": label.pk, "value": True},
            {"requirement": value, "label": label.pk, "value": True},
            {"requirement": requirement.pk, "label": value, "value": False},
        ]
    }
    # when
    response = api.post(f"/api/v1/projects/{project.slug}/annotations/bulk/", body, format="json")
    # then both bad items are named and the good one was not written either
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert {index: list(errors) for index, errors in details["annotations"].items()} == {
        "1": ["requirement"],
        "2": ["label"],
    }
    assert Annotation.objects.count() == 0


BODIES = [
    ("put", "labeling/requirements/{requirement}/", {"label_ids": [HUGE]}, "label_ids"),
    ("post", "explorer/bulk/", {"requirements": [HUGE], "label": 1, "action": "add"}, "requirements"),
    ("post", "explorer/bulk/", {"requirements": [1], "label": HUGE, "action": "add"}, "label"),
    ("post", "labels/", {"name": "Brakes", "parent": HUGE}, "parent"),
    ("patch", "labels/{label}/", {"parent": HUGE}, "parent"),
    ("patch", "labels/{label}/", {"order": HUGE}, "order"),
    ("post", "requirements/{requirement}/split/", {"at": HUGE}, "at"),
]


@pytest.mark.parametrize(("method", "path", "body", "name"), BODIES)
def test_a_body_number_beyond_the_database_is_a_400_naming_it_and_nothing_changes(
    project: Project,
    api: APIClient,
    requirement: Requirement,
    label: Label,
    method: str,
    path: str,
    body: dict[str, Any],
    name: str,
) -> None:
    # given
    before = (list(Label.objects.values()), list(Requirement.objects.values()), Annotation.objects.count())
    url = f"/api/v1/projects/{project.slug}/" + path.format(requirement=requirement.pk, label=label.pk)
    # when
    response = getattr(api, method)(url, body, format="json")
    # then
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["details"]) == [name]
    after = (list(Label.objects.values()), list(Requirement.objects.values()), Annotation.objects.count())
    assert after == before


@pytest.mark.parametrize("key", ["label", "not_label", "document"])
def test_a_saved_view_with_an_id_beyond_the_database_is_refused(
    project: Project, api: APIClient, key: str
) -> None:
    body = {"name": "Huge", "filters": {key: 2**64}}
    response = api.post(f"/api/v1/projects/{project.slug}/explorer/views/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == [key]
    assert SavedView.objects.count() == 0


@pytest.mark.parametrize(
    "cursor_key", [[2**64, 1, 1], [1, 1, 10**30], [float("inf"), 1, 1], [1, float("nan"), 1]]
)
def test_a_forged_explorer_cursor_with_numbers_beyond_the_database_is_a_400(
    project: Project, api: APIClient, requirement: Requirement, cursor_key: list[Any]
) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps(cursor_key).encode()).decode()
    response = api.get(f"/api/v1/projects/{project.slug}/explorer/requirements/?cursor={cursor}")
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"]
        == "The page cursor is not valid; start again from the first page."
    )


@pytest.mark.parametrize("query", [f"document={BEYOND_64_BITS}", f"label={HUGE}", f"after={HUGE}"])
def test_the_label_page_ignores_an_id_filter_beyond_the_database(
    project: Project, browser: Client, requirement: Requirement, query: str
) -> None:
    response = browser.get(f"/p/{project.slug}/label/?{query}")
    assert response.status_code == 200
    assert response.context["requirement"] == requirement


def test_saving_a_label_page_with_a_chosen_id_beyond_the_database_keeps_the_valid_ones(
    project: Project, browser: Client, requirement: Requirement, label: Label
) -> None:
    response = browser.post(
        f"/p/{project.slug}/label/{requirement.pk}/", {"chosen": [str(label.pk), BEYOND_64_BITS]}
    )
    assert response.status_code == 302
    assert list(Annotation.objects.values_list("label_id", "value")) == [(label.pk, True)]


def test_the_models_page_ignores_version_numbers_beyond_the_database(
    project: Project, browser: Client
) -> None:
    response = browser.get(f"/p/{project.slug}/models/?version={HUGE}&first={HUGE}&second={BEYOND_64_BITS}")
    assert response.status_code == 200


def test_a_correction_of_a_segment_beyond_the_database_is_a_404_page_and_changes_nothing(
    project: Project, browser: Client, requirement: Requirement
) -> None:
    before = list(Requirement.objects.values())
    url = f"/p/{project.slug}/documents/{requirement.document_id}/correct/mark"
    response = browser.post(url, {"requirement": BEYOND_64_BITS, "is_requirement": "0"})
    assert response.status_code == 404
    assert list(Requirement.objects.values()) == before
    assert Document.objects.get().pk == requirement.document_id


def test_an_explorer_bulk_form_with_an_id_beyond_the_database_is_refused_with_a_message(
    project: Project, browser: Client, requirement: Requirement, label: Label
) -> None:
    response = browser.post(
        f"/p/{project.slug}/explorer/bulk",
        {"requirement": [str(requirement.pk), HUGE], "label": str(label.pk), "action": "add"},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Choose a label and at least one requirement."]
    assert Annotation.objects.count() == 0


def test_a_member_change_naming_a_membership_beyond_the_database_is_refused_with_a_message(
    project: Project, member_of: Any
) -> None:
    admin = member_of(project, Role.ADMIN)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    before = list(Membership.objects.values())
    response = client.post(
        f"/p/{project.slug}/members/", {"action": "remove", "membership": BEYOND_64_BITS}, follow=True
    )
    assert response.status_code == 200
    assert list(Membership.objects.values()) == before
