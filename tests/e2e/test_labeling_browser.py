"""In a real browser: label five requirements with the keyboard only and watch the counters move."""

import os
from typing import Any

import pytest

from models_app.annotations.selectors import annotation_examples_for_training
from models_app.taxonomy.models import Label
from selko.tenancy.models import Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from tests.models_app.factories import DocumentFactory, LabelFactory, RequirementFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SELKO_SCREENSHOTS")  # a folder: save what the pages look like


def _shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def _requirement_text(page: Any) -> str:
    return page.locator("#req-text").inner_text()


def _save_and_wait(page: Any) -> None:
    before = _requirement_text(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(before) => { const t = document.querySelector('#req-text'); return !t || t.innerText !== before; }",
        arg=before,
    )


def test_label_five_requirements_with_the_keyboard_and_see_the_counters_move(page: Any) -> None:
    project = ProjectFactory(name="Metro line 4")
    MembershipFactory(user=UserFactory(username="anna"), organization=project.organization, role=Role.EDITOR)
    functional = LabelFactory(project=project, name="Functional", order=0)
    quality = LabelFactory(project=project, name="Quality", order=1)
    performance = LabelFactory(project=project, name="Performance", parent=quality, order=0)
    security = LabelFactory(project=project, name="Security", parent=quality, order=1)
    for doc_name, sections in (("SRS.pdf", ["1 Doors", "2 Brakes", "3 Radio"]), ("ICD.xlsx", ["A Links"])):
        document = DocumentFactory(project=project, name=doc_name)
        for order, section in enumerate(sections * 2):
            RequirementFactory(
                document=document, order=order, section_path=[section], text=f"{doc_name} {section} #{order}"
            )

    log_in(page, "anna", PASSWORD)
    page.goto(f"/p/{project.slug}/label/")
    assert page.locator("#labeled-count").inner_text() == "0"
    assert page.locator(f"[data-count='{functional.pk}']").inner_text() == "0/5"
    _shot(page, "labeling-start")

    # 1: number key for the first label.
    page.keyboard.press("1")
    _save_and_wait(page)
    # 2: type-to-filter picks a child, which brings its parent.
    page.keyboard.press("/")
    page.keyboard.type("secu")
    page.keyboard.press("Enter")
    assert page.locator(f"li[data-id='{quality.pk}'] input").is_checked()
    _shot(page, "labeling-chosen")
    _save_and_wait(page)
    # 3: j/k cursor and Space.
    for key in ("j", "j", "j", "j", "k", " "):
        page.keyboard.press(key)
    assert page.locator(f"li[data-id='{performance.pk}'] input").is_checked()
    _save_and_wait(page)
    # 4: number keys; unticking a parent unticks its children, leaving Functional only.
    for key in ("4", "1", "2"):
        page.keyboard.press(key)
    _save_and_wait(page)
    # 5: nothing applies, an explicit "no" to everything.
    _save_and_wait(page)

    assert page.locator("#labeled-count").inner_text() == "5"
    assert page.locator(f"[data-count='{functional.pk}']").inner_text() == "2/5"
    assert page.locator(f"[data-count='{quality.pk}']").inner_text() == "2/5"
    readiness = page.locator(f"#readiness tr[data-label='{quality.pk}'] .readiness-needed").inner_text()
    assert readiness == "3 more"
    _shot(page, "labeling-after-five")

    examples = annotation_examples_for_training(project=project)
    positives = sorted(sorted(Label.objects.get(pk=i).name for i in e.positive_label_ids) for e in examples)
    assert positives == [
        [],
        ["Functional"],
        ["Functional"],
        ["Performance", "Quality"],
        ["Quality", "Security"],
    ]
    # Five answers spread over both documents: diversity sampling without a model.
    documents = {e.text.split(" ")[0] for e in examples}
    assert documents == {"SRS.pdf", "ICD.xlsx"}
    assert all(len(e.positive_label_ids) + len(e.negative_label_ids) == 4 for e in examples)
    assert security.annotations.filter(value=True).count() == 1

    page.goto(f"/p/{project.slug}/")
    assert page.locator("#panel-labeled-count").inner_text() == "5"
    _shot(page, "dashboard-panel")
    page.goto(f"/p/{project.slug}/labels/")
    _shot(page, "taxonomy")


def test_tags_are_edited_inline_on_the_document_page(page: Any) -> None:
    project = ProjectFactory(name="Tram depot")
    MembershipFactory(user=UserFactory(username="omar"), organization=project.organization, role=Role.EDITOR)
    electrical = LabelFactory(project=project, name="Electrical")
    LabelFactory(project=project, name="EMC", parent=electrical)
    document = DocumentFactory(project=project, name="Depot.pdf")
    requirement = RequirementFactory(document=document, order=0, text="Cables shall be shielded.")

    log_in(page, "omar", PASSWORD)
    page.goto(f"/p/{project.slug}/documents/{document.pk}/")
    row = page.locator(f"tr[data-requirement-id='{requirement.pk}'] .inline-tags")
    row.locator("input.inline-tags-add").fill("Electrical > EMC")
    row.locator("input.inline-tags-add").press("Enter")
    row.locator(".lb-chip:has-text('Electrical > EMC')").wait_for()
    _shot(page, "inline-tags")

    assert set(requirement.annotations.values_list("label__name", "value")) == {
        ("Electrical", True),
        ("EMC", True),
    }
    row.locator("button[aria-label='Remove Electrical > EMC']").click()
    row.locator(".lb-chip:has-text('EMC')").wait_for(state="detached")
    assert row.locator(".lb-chip").inner_text().startswith("Electrical")
    assert set(requirement.annotations.values_list("label__name", "value")) == {
        ("Electrical", True),
        ("EMC", False),
    }
