"""The document page filtered by text, section and kind: the matching rows, how many match and the
pages they fill, in at most eight queries whichever filter (issue 14)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from documents.models import Document
from documents.quality.services import document_quality_check
from documents.summaries.counts import document_counts_refresh
from documents.summaries.models import DocumentCounts
from documents.summaries.services import document_summary_compute
from models_app.summaries.services import project_tag_counts_refresh
from selko.tenancy.models import Project
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(project: Project) -> Document:
    """150 segments: 120 in "1 Brakes" (every third informative), 30 in "2 Doors > 2.1 Locks"; the
    brake texts name a valve on every even row."""
    document = DocumentFactory(project=project, name="Spec.pdf")
    for order in range(150):
        brakes = order < 120
        RequirementFactory(
            document=document,
            order=order,
            text=f"The {'valve' if brakes and order % 2 == 0 else 'door'} shall close within {order} ms.",
            section_path=["1 Brakes", "1.1 Release"] if brakes else ["2 Doors", "2.1 Locks"],
            is_requirement=order % 3 != 0,
        )
    with transaction.atomic():  # as ingest does
        document_summary_compute(document_id=document.pk)
        document_counts_refresh(document_id=document.pk)
        project_tag_counts_refresh(project_id=project.pk)
    document_quality_check(document_id=document.pk)
    # SQLite's JSON support is probed once per connection (three statements), not by each page.
    assert connection.features.supports_json_field
    return document


FILTERS = [
    # (query, segments that match, the first row's number shown)
    ("q=valve", 60, 0),
    ("q=no+such+words", 0, None),
    ("section=1+Brakes", 120, 0),
    ("section=2+Doors+%3E+2.1+Locks", 30, 120),
    ("only=requirements", 100, 1),
    ("only=requirements&page=2", 100, None),
    ("q=door&section=2+Doors&only=requirements", 20, 121),
    ("q=valve&section=1+Brakes&only=requirements", 40, 2),
]


@pytest.mark.parametrize(("query", "matching", "first"), FILTERS)
def test_each_filter_shows_how_many_match_and_their_rows_in_at_most_eight_queries(
    editor_browser: Client,
    project: Project,
    spec: Document,
    django_assert_max_num_queries: Callable[..., Any],
    query: str,
    matching: int,
    first: int | None,
) -> None:
    with django_assert_max_num_queries(8):
        response = editor_browser.get(f"/p/{project.slug}/documents/{spec.pk}/?{query}")

    page = response.content.decode()
    assert response.status_code == 200
    if matching:
        plural = "es" if matching == 1 else ""
        assert f"{matching} segment{'s' if matching != 1 else ''} match{plural}" in page
    else:
        assert "No requirement matches these filters." in page
    if first is not None:
        assert f"close within {first} ms." in page


def test_a_filter_that_fills_two_pages_pages_through_every_match_once(
    editor_browser: Client, project: Project, spec: Document
) -> None:
    url = f"/p/{project.slug}/documents/{spec.pk}/?q=shall+close"
    first = editor_browser.get(url).content.decode()
    second = editor_browser.get(f"{url}&page=2").content.decode()

    assert "150 segments match" in first and "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "close within 99 ms." in first and "close within 100 ms." not in first
    assert "close within 100 ms." in second and "close within 149 ms." in second
    assert "close within 99 ms." not in second


def test_a_page_past_the_last_shows_the_last_page_in_one_query_more(
    editor_browser: Client,
    project: Project,
    spec: Document,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    with django_assert_max_num_queries(9):  # a stale link: the empty page asked, then the last rows
        page = editor_browser.get(
            f"/p/{project.slug}/documents/{spec.pk}/?q=shall+close&page=7"
        ).content.decode()

    assert "150 segments match" in page and "Page 2 of 2" in page
    assert "close within 100 ms." in page and "close within 149 ms." in page
    assert "close within 99 ms." not in page


@pytest.mark.parametrize("number", ["99999999999999999999999999", "-3", "x"])
def test_a_page_number_out_of_any_range_shows_a_page_not_an_error(
    editor_browser: Client, project: Project, spec: Document, number: str
) -> None:
    response = editor_browser.get(f"/p/{project.slug}/documents/{spec.pk}/?q=shall+close&page={number}")

    assert response.status_code == 200
    assert "150 segments match" in response.content.decode()


def test_a_document_without_stored_counts_counts_its_filtered_rows_with_the_page(
    editor_browser: Client, project: Project, spec: Document
) -> None:
    DocumentCounts.objects.filter(document=spec).delete()  # parsed before the counts were stored

    with CaptureQueriesContext(connection) as queries:
        page = editor_browser.get(
            f"/p/{project.slug}/documents/{spec.pk}/?section=1+Brakes&only=requirements"
        ).content.decode()

    assert "80 segments match" in page
    assert "close within 1 ms." in page and "close within 0 ms." not in page
    assert not [query for query in queries.captured_queries if "COUNT(*) AS" in query["sql"]]


def test_a_heading_that_holds_the_separator_is_filtered_by_its_rows_not_the_stored_counts(
    editor_browser: Client, project: Project
) -> None:
    document = DocumentFactory(project=project, name="Odd.pdf")
    RequirementFactory(document=document, order=0, text="The odd one shall pass.", section_path=["A > B"])
    RequirementFactory(document=document, order=1, text="The plain one shall pass.", section_path=["A"])
    RequirementFactory(document=document, order=2, text="The other shall pass.", section_path=["C"])
    with transaction.atomic():
        document_counts_refresh(document_id=document.pk)

    page = editor_browser.get(f"/p/{project.slug}/documents/{document.pk}/?section=A").content.decode()

    # "A" holds the rows under it by their section key: "A > B" too, though its top-level heading differs.
    assert "2 segments match" in page
    assert "The odd one shall pass." in page and "The other shall pass." not in page
