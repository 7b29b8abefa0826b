"""In a real browser: the demo project shows suggested tags before anything is trained."""

from typing import Any

import pytest
from django.core.management import call_command

from models_app.registry.models import ModelVersion, ModelVersionKind
from selko.tenancy.models import Project
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_demo_projects_first_pages_show_suggested_tags(
    page: Any, training_settings: dict[str, str]
) -> None:
    call_command("seed_demo")
    project = Project.objects.get(name="Demo flight software")
    document = project.documents.get()
    active = ModelVersion.objects.get(project=project, is_active=True)
    assert (active.number, active.kind) == (0, ModelVersionKind.ZERO_SHOT)

    log_in(page, "demo", "selko-demo")
    page.goto(f"/p/{project.slug}/documents/{document.pk}/")
    # 64 requirements, 32 answered by the demo: every unanswered row shows a suggestion (rows load
    # their tags one by one).
    page.wait_for_function(
        "() => document.querySelectorAll('.inline-tags:has(.lb-chip.suggested)').length >= 32"
    )
    assert page.locator(".inline-tags:has(.lb-chip.suggested)").count() == 32
    page.goto(f"/p/{project.slug}/label/")
    assert (
        "Model v0 (zero-shot, from the labels' descriptions) suggests"
        in page.locator("#suggestions").inner_text()
    )
