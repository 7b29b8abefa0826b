"""In a real browser with a real Celery worker: drop a PDF and a workbook on the documents page, watch
them being read, open the specification and filter its requirements."""

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from documents.models import Document, DocumentStatus
from selko.tenancy.models import Role
from tests.documents.ingest_files import requirements_xlsx, spec_pdf
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from tests.worker import CeleryWorker

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SELKO_SCREENSHOT_DIR", "")

DROP_FILES = """
([selector, files]) => {
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name, { type: file.type }));
  }
  const zone = document.querySelector(selector);
  zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}
"""


def screenshot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def drop(page: Any, files: list[tuple[str, str, bytes]]) -> None:
    payload = [{"name": n, "type": t, "data": base64.b64encode(d).decode()} for n, t, d in files]
    page.evaluate(DROP_FILES, ["#dropzone", payload])


def test_drop_a_pdf_and_a_workbook_and_see_their_requirements(page: Any, celery_worker: CeleryWorker) -> None:
    project = ProjectFactory(name="Metro line 4", slug="metro-line-4")
    MembershipFactory(user=UserFactory(username="pm"), organization=project.organization, role=Role.EDITOR)
    log_in(page, "pm", PASSWORD)

    page.goto("/p/metro-line-4/")
    page.click("nav a:has-text('Documents')")
    page.wait_for_url("**/p/metro-line-4/documents/")
    assert page.locator("#document-table .empty-row").is_visible()
    drop(
        page,
        [
            ("Train spec.pdf", "application/pdf", spec_pdf()),
            (
                "Requirements.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                requirements_xlsx(),
            ),
        ],
    )

    uploads = page.locator("#upload-list li")
    uploads.nth(1).locator(".upload-note:has-text('queued for reading')").wait_for()
    assert uploads.count() == 2
    rows = page.locator("#document-table tbody tr[data-document-id]")
    rows.nth(1).locator(".badge.parsed").wait_for(timeout=60_000)
    rows.nth(0).locator(".badge.parsed").wait_for(timeout=60_000)
    screenshot(page, "documents-list")
    texts = [rows.nth(i).inner_text().split("\t") for i in range(rows.count())]
    assert [(t[0], t[1], t[2].strip(), t[4], t[5]) for t in texts] == [
        ("Requirements.xlsx", "xlsx", "Parsed", "4 rows", "3"),
        ("Train spec.pdf", "pdf", "Parsed", "2 pages", "4"),
    ]

    page.click("a:has-text('Train spec.pdf')")
    table = page.locator("#requirement-table tbody tr")
    expect(table).to_have_count(5)  # waits for the document page, not just its first bytes
    first = table.nth(0)
    cells = [first.locator("td").nth(i).inner_text().strip() for i in (0, 1, 3, 4)]
    assert cells == ["1", "REQ-001", "1 Braking", "p. 1"]
    # The text cell also holds the labeling team's inline tag editor after the text.
    assert (
        first.locator("td.req-text")
        .inner_text()
        .startswith("The train shall apply the emergency brake when the driver presses the red button.")
    )
    assert table.nth(4).get_attribute("class") == "informative"
    screenshot(page, "document-detail")

    page.select_option("#filter-section", "2 Doors")
    page.fill("#filter-q", "lock")
    page.click("#requirement-filters button[type=submit]")
    page.wait_for_url("**q=lock**")
    expect(table).to_have_count(1)
    assert [table.nth(i).inner_text().split("\t")[1] for i in range(table.count())] == ["REQ-003"]
    assert page.locator("#requirement-summary").inner_text().startswith("1 segment matches")

    assert Document.objects.filter(project=project, status=DocumentStatus.PARSED).count() == 2
    page.goto("/p/metro-line-4/")
    panel = page.locator("#documents-panel")
    # Most recently updated first: which of the two the worker finished last is not fixed.
    names = [
        panel.locator(".doclist li a").nth(i).inner_text()
        for i in range(panel.locator(".doclist li").count())
    ]
    assert sorted(names) == ["Requirements.xlsx", "Train spec.pdf"]
    screenshot(page, "dashboard")


def test_a_broken_file_shows_its_message_and_can_be_re_ingested(
    page: Any, celery_worker: CeleryWorker
) -> None:
    project = ProjectFactory(slug="signalling")
    MembershipFactory(user=UserFactory(username="eng"), organization=project.organization, role=Role.EDITOR)
    log_in(page, "eng", PASSWORD)
    page.goto("/p/signalling/documents/")

    drop(page, [("Scan.pdf", "application/pdf", spec_pdf()[:900])])

    row = page.locator("#document-table tbody tr[data-document-id]").first
    row.locator(".badge.failed").wait_for(timeout=60_000)
    assert row.locator(".error").inner_text() == (
        "The PDF is incomplete: its end is missing, so the upload was probably cut short. "
        "Upload the complete file again."
    )
    row.locator("a").click()
    expect(page.locator(".empty")).to_contain_text("could not be read")
    screenshot(page, "document-failed")
    page.click("#reingest-button")
    expect(page.locator(".messages")).to_contain_text("“Scan.pdf” is queued to be read again.")
    # The page follows the new attempt and shows the outcome again once the worker is done.
    page.locator("#document-status .badge.failed").wait_for(timeout=60_000)
    assert Document.objects.get(project=project).ingest_attempts == 1
