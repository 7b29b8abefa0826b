"""Quality on the pages people read: highlighted spans with the rule's words on the document page, the
document's and the project's summaries."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from documents.quality.services import document_quality_check
from documents.summaries.counts import document_counts_refresh
from documents.summaries.services import document_summary_compute
from models_app.summaries.services import project_tag_counts_refresh
from selko.tenancy.models import Project
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_the_document_page_highlights_each_span_with_its_explanation_and_hint(
    project: Project, editor_browser: Client
) -> None:
    document = DocumentFactory(project=project, name="Spec.pdf")
    requirement = RequirementFactory(
        document=document,
        order=0,
        text="The brakes shall release fast & quietly, etc.",
        section_key="3 Safety",
    )
    RequirementFactory(document=document, order=1, text="The train shall stop.", section_key="3 S")
    document_quality_check(document_id=document.pk)

    page = editor_browser.get(f"/p/{project.slug}/documents/{document.pk}/").content.decode()

    assert (
        'The brakes shall release <mark class="finding-span" data-rules="vague_term" '
        'title="Vague or subjective term: This word means different things to different readers and '
        "cannot be verified. Replace it with a measurable criterion (a value with a unit, a reference to "
        'a standard).">'
        "fast</mark> &amp; quietly, "
    ) in page
    assert '<mark class="finding-span" data-rules="open_ended"' in page
    assert (
        '<li class="finding severity-medium" data-rule="open_ended"><strong>Open-ended list</strong> “etc.”: '
        "An open-ended list cannot be verified: nobody knows when it is complete. "
        '<span class="hint">List every item, or refer to a document or table that does.</span></li>'
    ) in page
    assert "Quality score 80/100" in page
    assert f'data-requirement-id="{requirement.pk}"' in page
    assert "2 requirements checked · average score 90.0/100" in page
    assert page.count("finding-span") == 2


def test_the_document_page_reads_its_rows_findings_with_the_rows(
    project: Project, editor_browser: Client
) -> None:
    document = DocumentFactory(project=project, name="Spec.pdf")
    for order in range(3):
        RequirementFactory(document=document, order=order, text=f"The pump {order} shall stop fast, etc.")
    RequirementFactory(document=document, order=3, text="The pump shall stop within 2 s.")
    with transaction.atomic():  # as ingest does
        document_summary_compute(document_id=document.pk)
        document_counts_refresh(document_id=document.pk)
        project_tag_counts_refresh(project_id=project.pk)
    document_quality_check(document_id=document.pk)

    with CaptureQueriesContext(connection) as queries:
        page = editor_browser.get(f"/p/{project.slug}/documents/{document.pk}/").content.decode()

    assert page.count('<mark class="finding-span" data-rules="vague_term"') == 3
    assert page.count('<li class="finding severity-medium" data-rule="open_ended">') == 3
    assert "Quality score 100/100" not in page  # a row without findings lists none
    sql = [query["sql"] for query in queries.captured_queries]
    assert [q for q in sql if q.startswith('SELECT "documents_qualityfinding"')] == []
    assert len(sql) <= 8


def test_the_dashboard_shows_the_project_summary_in_a_bounded_number_of_queries(
    project: Project, editor_browser: Client
) -> None:
    for name in ("A.pdf", "B.pdf", "C.pdf"):
        document = DocumentFactory(project=project, name=name)
        for order in range(5):
            RequirementFactory(document=document, order=order, text=f"It shall be TBD {order}.")
        document_quality_check(document_id=document.pk)

    with CaptureQueriesContext(connection) as queries:
        page = editor_browser.get(f"/p/{project.slug}/").content.decode()

    assert "15 requirements checked · average score 70.0/100" in page
    assert '<tr data-rule="placeholder"><td><a href="/p/' in page
    assert 'id="quality-worst-documents"' in page
    assert len(queries) <= 40
