"""In a real browser, no page breaks the Content-Security-Policy, and the confirm-before-delete still asks."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document, Requirement
from documents.services.upload import document_upload
from selko.tenancy.models import Role
from tests.documents.ingest_files import requirements_xlsx
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from tests.labeled_project import labeled_project_create

# Redoc's bundle shows the vendor's logo from its CDN; the policy blocking that is the point, not a breakage.
ACCEPTED = ("https://cdn.redoc.ly/",)


def _violation(text: str) -> bool:
    return "Security Policy" in text and not any(url in text for url in ACCEPTED)


def test_every_page_runs_without_a_csp_violation_and_delete_still_asks_first(page: Any) -> None:
    # given an admin of a project with labels, requirements and an uploaded document
    project = ProjectFactory(name="Tram 9", slug="tram-9")
    admin = UserFactory(username="ada")
    MembershipFactory(user=admin, organization=project.organization, role=Role.ADMIN)
    labeled = labeled_project_create(project=project, per_label=1, unlabeled=1)
    upload = SimpleUploadedFile("Requirements.xlsx", requirements_xlsx())
    document = document_upload(user=admin, project=project, upload=upload, filename=upload.name).document
    # the helper's requirements move to the uploaded document: its own has no stored file to list
    Requirement.objects.filter(document=labeled.document).update(document=document)
    labeled.document.delete()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if _violation(message.text) else None,
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    log_in(page, "ada", PASSWORD)
    # when every kind of page is opened
    for path in (
        "/",
        "/projects/new",
        "/p/tram-9/",
        "/p/tram-9/documents/",
        f"/p/tram-9/documents/{document.pk}/",
        "/p/tram-9/label/",
        f"/p/tram-9/label/{labeled.requirements[0].pk}/",
        "/p/tram-9/labels/",
        f"/p/tram-9/labels/{labeled.labels['Display'].pk}/edit",
        "/p/tram-9/export/",
        "/p/tram-9/members/",
        "/p/tram-9/models/",
        "/p/tram-9/explorer/",
        "/p/tram-9/quality/settings/",
        "/api/docs/",
        "/api/redoc/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        page.wait_for_load_state("networkidle")
    # and the taxonomy page draws its tree from data attributes, with no style attribute to block
    page.goto("/p/tram-9/labels/")
    dot = page.locator(".lb-dot").first
    indents = page.eval_on_selector_all(
        "td.indent", "cells => cells.map(cell => getComputedStyle(cell).paddingLeft)"
    )
    colour = dot.evaluate("element => element.style.getPropertyValue('--color')")
    given_colour = dot.get_attribute("data-color")
    # and the admin starts deleting the document but says no
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(f"/p/tram-9/documents/{document.pk}/")
    page.click("#delete-button")
    page.wait_for_timeout(300)
    # then nothing broke the policy, the question was asked, and the document is still there
    assert violations == []
    assert colour == given_colour != ""
    assert "16px" in indents and any(indent != "16px" for indent in indents)  # top level, then deeper
    assert asked == ["Delete this document, its requirements and the labels given to them?"]
    assert Document.objects.filter(pk=document.pk).exists()
