"""Requirements page by cursor (keyset): every row once in reading order whatever the page size and
filter, no count, the same few queries at any depth, and a forged cursor refused with a clear 400."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from documents.requirement_pages import requirement_cursor_encode
from selko.tenancy.models import Project
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _walk(client: APIClient, url: str, params: dict[str, Any]) -> tuple[list[str], int]:
    """Every page from the empty cursor on, following `next`: the ids seen and the pages read."""
    seen: list[str] = []
    body = client.get(url, {**params, "cursor": ""}).json()
    pages = 1
    while True:
        assert "count" not in body and body["previous"] is None
        seen += [row["external_id"] for row in body["results"]]
        if body["next"] is None:
            return seen, pages
        body = client.get(body["next"]).json()
        pages += 1


@pytest.fixture
def url(project: Project) -> str:
    # given two documents, the later-named one made first, rows created out of order, two sharing an order
    later = DocumentFactory(project=project, name="B spec")
    first = DocumentFactory(project=project, name="A spec")
    for document, prefix, orders in ((later, "B", (2, 0, 1)), (first, "A", (1, 3, 0, 2, 2))):
        for order in orders:
            RequirementFactory(
                document=document,
                order=order,
                external_id=f"{prefix}{order}",
                text=f"The {'valve' if order % 2 else 'pump'} shall open.",
            )
    return f"/api/v1/projects/{project.slug}/requirements/"


def test_every_page_size_walks_every_row_once_in_reading_order(editor_api: APIClient, url: str) -> None:
    expected = ["A0", "A1", "A2", "A2", "A3", "B0", "B1", "B2"]
    for size in (1, 2, 3, 8, 50):
        seen, pages = _walk(editor_api, url, {"page_size": size})
        assert seen == expected
        assert pages == max(1, -(-len(expected) // size))


def test_a_filtered_walk_keeps_its_filters(editor_api: APIClient, url: str) -> None:
    assert _walk(editor_api, url, {"page_size": 1, "text": "VALVE"})[0] == ["A1", "A3", "B1"]
    document = editor_api.get(url, {"page_size": 1, "cursor": ""}).json()["results"][0]["document"]
    assert _walk(editor_api, url, {"page_size": 2, "document": document})[0] == ["A0", "A1", "A2", "A2", "A3"]


def test_a_deep_page_costs_the_same_few_queries_as_the_first(
    project: Project, editor_api: APIClient, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    document = DocumentFactory(project=project, name="Long spec")
    last = None
    for order in range(300):
        last = RequirementFactory(document=document, order=order, external_id=f"R{order}")
    assert last is not None
    deep = requirement_cursor_encode((document.name, document.pk, 249, 0))
    url = f"/api/v1/projects/{project.slug}/requirements/"

    with django_assert_max_num_queries(8):
        body = editor_api.get(url, {"page_size": 10, "cursor": deep}).json()

    assert [row["external_id"] for row in body["results"]] == [f"R{order}" for order in range(249, 259)]
    assert body["next"] is not None


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        requirement_cursor_encode(("A spec", 10**19, 0, 0)),  # beyond the database's integers
        "WyJBIiwgMSwgMl0=",  # ["A", 1, 2]: too short
        "WyJBIiwgMS41LCAyLCAzXQ==",  # ["A", 1.5, 2, 3]: not an id
    ],
)
def test_a_forged_cursor_is_a_clear_400(editor_api: APIClient, url: str, cursor: str) -> None:
    response = editor_api.get(url, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("The page cursor is not valid")
