"""The document page opens with the gist: counts, the central segments linked to their rows, per section."""

import pytest
from django.test import Client

from documents.quality.services import document_quality_check
from documents.summaries.services import document_summary_compute
from selko.tenancy.models import Project
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_the_document_page_shows_the_gist_with_links_to_the_rows(
    project: Project, editor_browser: Client
) -> None:
    document = DocumentFactory(project=project)
    texts = [
        "The train shall apply the service brake when the driver moves the brake handle to brake.",
        "The brake controller shall release the service brake when the brake handle is in neutral.",
        "The doors shall close quickly when the driver presses the door close button on the desk.",
    ]
    sections = ["3 Brakes", "3 Brakes", "4 Doors"]
    rows = [
        RequirementFactory(document=document, order=order, text=text, section_path=[section],
                           section_key=section, obligation="mandatory", external_id=f"R-{order}")
        for order, (text, section) in enumerate(zip(texts, sections, strict=True), start=1)
    ]  # fmt: skip
    document_quality_check(document_id=document.pk)
    document_summary_compute(document_id=document.pk)

    page = editor_browser.get(f"/p/{project.slug}/documents/{document.pk}/").content.decode()

    assert '<section class="card gist" id="document-gist">' in page
    assert "3 requirements · 3 mandatory" in page
    assert f'<li><a href="?page=1#segment-{rows[0].pk}">R-1</a> {texts[0]}</li>' in page
    assert (
        '<details class="gist-part" data-section="3 Brakes"><summary><strong>3 Brakes</strong> · '
        "2 requirements" in page
    )
    assert f'Most findings: <a href="?page=1#segment-{rows[2].pk}">R-3</a> (1)' in page
