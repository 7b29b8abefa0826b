"""Requirements across documents come page by page in reading order: document name, then order."""

import pytest
from rest_framework.test import APIClient

from selko.tenancy.models import Project
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_every_page_size_walks_the_documents_by_name_then_by_order_without_gaps(
    project: Project, editor_api: APIClient
) -> None:
    # given two documents, the later-named one made first, rows created out of order
    later = DocumentFactory(project=project, name="B spec")
    first = DocumentFactory(project=project, name="A spec")
    for document, prefix, orders in ((later, "B", (2, 0, 1)), (first, "A", (1, 3, 0, 2))):
        for order in orders:
            RequirementFactory(document=document, order=order, external_id=f"{prefix}{order}")
    expected = ["A0", "A1", "A2", "A3", "B0", "B1", "B2"]
    for size in (1, 2, 3, 7, 10):
        # when a client reads every page of that size
        seen, page, count = [], 1, None
        while True:
            body = editor_api.get(
                f"/api/v1/projects/{project.slug}/requirements/", {"page_size": size, "page": page}
            ).json()
            count = body["count"]
            seen += [row["external_id"] for row in body["results"]]
            if body["next"] is None:
                break
            page += 1
        # then it saw each requirement once, in reading order, and the count is right
        assert (seen, count) == (expected, 7)


def test_a_filter_and_a_page_past_the_end(project: Project, editor_api: APIClient) -> None:
    document = DocumentFactory(project=project, name="Spec")
    for order in range(5):
        RequirementFactory(
            document=document, order=order, external_id=f"R{order}", is_requirement=order % 2 == 0
        )
    url = f"/api/v1/projects/{project.slug}/requirements/"
    body = editor_api.get(url, {"is_requirement": "true", "page_size": 2, "page": 2}).json()
    assert (body["count"], [row["external_id"] for row in body["results"]]) == (3, ["R4"])
    assert editor_api.get(url, {"page_size": 2, "page": 9}).status_code == 404
