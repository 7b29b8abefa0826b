"""In a real browser: filter the explorer by a tag and a quality rule, select rows, accept the model's
suggestion for all of them at once, and export the view."""

import csv
import io
from typing import Any

import pytest
from playwright.sync_api import expect

from documents.quality.services import document_quality_check
from models_app.annotations.models import Annotation
from selko.tenancy.models import Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_filter_by_tag_and_rule_accept_suggestions_in_bulk_and_export_the_view(page: Any) -> None:
    project = ProjectFactory(name="Regional trains")
    editor = UserFactory(username="ines")
    MembershipFactory(user=editor, organization=project.organization, role=Role.EDITOR)
    brakes = LabelFactory(project=project, name="Brakes")
    version = ModelVersionFactory(project=project)
    document = DocumentFactory(project=project, name="Train.pdf")
    texts = [
        ("BRK-1", "The brakes shall release quickly."),  # suggested, vague
        ("BRK-2", "The brake pads shall be replaced in a timely manner."),  # suggested, vague
        ("BRK-3", "The brake controller shall log every command."),  # suggested, no finding
        ("BRK-4", "The brakes shall be reasonably quiet."),  # vague, not suggested (0.2)
    ]
    requirements = [
        RequirementFactory(document=document, order=order, text=text, external_id=external_id)
        for order, (external_id, text) in enumerate(texts)
    ]
    document_quality_check(document_id=document.pk)
    for requirement, score in zip(requirements, (0.9, 0.8, 0.7, 0.2), strict=True):
        PredictionFactory(model_version=version, requirement=requirement, label=brakes, score=score)

    log_in(page, "ines", PASSWORD)
    page.goto(f"/p/{project.slug}/explorer/")
    page.select_option("#explorer-filters select[name=label]", str(brakes.pk))
    page.select_option("#explorer-filters select[name=source]", "model")
    page.select_option("#explorer-filters select[name=rule]", "vague_term")
    page.click("#explorer-filters button[type=submit]")
    page.wait_for_url("**rule=vague_term**")

    rows = page.locator("#explorer-table tbody tr[data-requirement-id]")
    assert rows.count() == 2
    assert page.locator("#explorer-table tbody td.mono").all_inner_texts() == ["BRK-1", "BRK-2"]
    assert "Vague or subjective term: “quickly”" in rows.nth(0).inner_text()

    for index in range(2):
        rows.nth(index).locator("input[name=requirement]").check()
    page.select_option("#explorer-bulk select[name=action]", "accept")
    page.select_option("#explorer-bulk select[name=label]", str(brakes.pk))
    page.click("#explorer-bulk button[type=submit]")
    # The page comes back to the same filtered URL: its message says the answers were saved.
    expect(page.locator("body")).to_contain_text("2 answers saved, 0 unchanged.")
    saved = Annotation.objects.filter(project=project)
    assert sorted(saved.values_list("requirement__external_id", "label", "value")) == [
        ("BRK-1", brakes.pk, True),
        ("BRK-2", brakes.pk, True),
    ]
    assert all(annotation.user_id == editor.pk for annotation in saved)

    href = page.locator("#export-csv").get_attribute("href")
    exported = page.request.get(href)
    assert exported.status == 200
    table = list(csv.DictReader(io.StringIO(exported.text())))
    assert [row["Requirement ID"] for row in table] == ["BRK-1", "BRK-2"]
