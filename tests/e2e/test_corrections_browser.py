"""In a real browser with a real Celery worker: upload a real specification, correct one segment,
re-ingest it, and the correction is still there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from documents.models import Document, DocumentStatus
from selko.tenancy.models import Role
from tests.e2e.conftest import log_in
from tests.e2e.test_documents_browser import drop, screenshot
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from tests.worker import CeleryWorker

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_correction_survives_a_reingest(page: Any, celery_worker: CeleryWorker, shared_data: Path) -> None:
    spec = shared_data / "documents" / "nasa_cfs_spec.docx"
    if not spec.is_file():
        pytest.skip(f"the real NASA specification is not at {spec}")
    project = ProjectFactory(slug="cfs")
    MembershipFactory(user=UserFactory(username="eng"), organization=project.organization, role=Role.EDITOR)
    log_in(page, "eng", PASSWORD)
    page.goto("/p/cfs/documents/")

    # Given the real specification, uploaded and read
    drop(page, [("nasa_cfs_spec.docx", DOCX_TYPE, spec.read_bytes())])
    row = page.locator("#document-table tbody tr[data-document-id]").first
    row.locator(".badge.parsed").wait_for(timeout=120_000)
    row.locator("a").click()
    document = Document.objects.get(project=project)
    target = document.requirements.get(external_id="cES1001")
    line = page.locator(f"#segment-{target.pk}")
    assert line.get_attribute("class") == ""

    # When an engineer marks one requirement informative
    line.locator("summary:has-text('Correct')").click()
    line.locator("button.mark-informative").click()
    expect(page.locator(".messages")).to_contain_text("is now marked as informative text")
    assert page.locator(f"#segment-{target.pk}").get_attribute("class") == "informative"
    screenshot(page, "segment-corrected")

    # And re-ingests the document
    page.click("#reingest-button")
    page.locator("#document-status .badge.parsed").wait_for(timeout=120_000)
    document.refresh_from_db()
    assert (document.status, document.ingest_attempts) == (DocumentStatus.PARSED, 1)

    # Then the correction is still there, on the same segment
    page.reload()
    assert page.locator(f"#segment-{target.pk}").get_attribute("class") == "informative"
    assert document.requirements.get(pk=target.pk).is_requirement is False
    assert document.requirement_count == 1026
