"""In a real browser: every correction of the document page (mark, ID, merge, split) from a row's
"Correct" box, whose forms the page writes once and its script copies into the row that is opened."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from documents.models import Document
from selko.tenancy.models import Role
from tests.documents.test_corrections_pages import ingested
from tests.e2e.conftest import log_in
from tests.e2e.test_documents_browser import screenshot
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _row(page: Any, document: Document, external_id: str) -> Any:
    return page.locator(f"#segment-{document.requirements.get(external_id=external_id).pk}")


def _open(row: Any) -> None:
    row.locator("summary:has-text('Correct')").click()


def test_each_correction_of_a_row_from_its_correct_box(page: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    project = ProjectFactory(slug="pumps")
    editor = UserFactory(username="eng")
    MembershipFactory(user=editor, organization=project.organization, role=Role.EDITOR)
    document = ingested(editor, project)  # PMP-1, PMP-2, PMP-3, read
    log_in(page, "eng", PASSWORD)
    page.goto(f"/p/pumps/documents/{document.pk}/")
    expect(page.locator("#requirement-table tbody tr")).to_have_count(3)
    assert page.locator("#requirement-table form").count() == 0  # filled in when a box is opened

    # The ID box holds the row's ID; saving another comes back to the row with it
    row = _row(page, document, "PMP-2")
    _open(row)
    assert row.locator("input[name=external_id]").input_value() == "PMP-2"
    assert row.locator("button.mark-requirement").count() == 0  # a requirement: only "Mark informative"
    screenshot(page, "segment-correct-open")
    row.locator("input[name=external_id]").fill("PMP-2a")
    row.locator("button.save-id").click()
    expect(page.locator(".messages")).to_contain_text("The ID of segment 2 was saved.")
    assert _row(page, document, "PMP-2a").locator(".external-id").inner_text() == "PMP-2a"

    # Marked informative, then offered to be marked a requirement again
    row = _row(page, document, "PMP-1")
    _open(row)
    row.locator("button.mark-informative").click()
    expect(page.locator(".messages")).to_contain_text("is now marked as informative text")
    row = _row(page, document, "PMP-1")
    assert row.get_attribute("class") == "informative"
    _open(row)
    assert row.locator("button.mark-informative").count() == 0
    assert row.locator("input[name=is_requirement]").input_value() == "1"

    # Merged with the next one, once the person confirms
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button.merge-next").click()
    expect(page.locator(".messages")).to_contain_text("was merged with the next one")
    expect(page.locator("#requirement-table tbody tr")).to_have_count(2)

    # Split where the typed words start
    row = _row(page, document, "PMP-3")
    _open(row)
    row.locator("input[name=split_before]").fill("every second")
    row.locator("button.split").click()
    expect(page.locator(".messages")).to_contain_text("was split in two")
    expect(page.locator("#requirement-table tbody tr")).to_have_count(3)
    assert document.requirements.filter(text__startswith="every second").exists()
