"""Corrections through the API and the document page, and parser warnings stored and shown."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from documents.models import CorrectionKind, Document, Requirement, SegmentCorrection
from documents.services.ingest import document_ingest
from documents.services.upload import document_upload
from selko.audit.models import AuditEvent
from selko.tenancy.models import Project, Role
from tests.documents.docx_factory import SpecDocx
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def ingested(user: object, project: Project, *, duplicate: bool = False) -> Document:
    with tempfile.TemporaryDirectory() as folder:
        data = (
            SpecDocx(Path(folder) / "spec.docx")
            .heading("1 Pump Requirements", 1)
            .paragraph("PMP-1: The pump shall start within two seconds.")
            .paragraph("PMP-2: The pump shall stop when the tank is full.")
            .paragraph(f"PMP-{2 if duplicate else 3}: The pump shall report its state every second.")
            .table([["", ""], ["", ""]])
            .save()
            .read_bytes()
        )
    result = document_upload(
        user=user, project=project, upload=SimpleUploadedFile("spec.docx", data), filename="spec.docx"
    )
    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)
    result.document.refresh_from_db()
    return result.document


def test_the_api_marks_a_segment_informative(editor_api: APIClient, editor: object, project: Project) -> None:
    document = ingested(editor, project)
    target = document.requirements.get(external_id="PMP-2")

    response = editor_api.post(
        f"/api/v1/projects/{project.slug}/requirements/{target.pk}/mark/", {"is_requirement": False}
    )

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["is_requirement"]) == (target.pk, False)
    assert SegmentCorrection.objects.get().kind == "mark"


def test_the_api_splits_and_answers_both_parts(
    editor_api: APIClient, editor: object, project: Project
) -> None:
    document = ingested(editor, project)
    target = document.requirements.get(external_id="PMP-1")

    response = editor_api.post(
        f"/api/v1/projects/{project.slug}/requirements/{target.pk}/split/", {"at": 14}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["first"]["text"], response.json()["second"]["text"]) == (
        "The pump shall",
        "start within two seconds.",
    )


def test_another_organizations_segment_cannot_be_corrected(
    editor_api: APIClient, member_of: Callable[..., object]
) -> None:
    foreign = ProjectFactory()
    document = ingested(member_of(foreign, Role.EDITOR), foreign)
    target = document.requirements.get(external_id="PMP-1")
    before = (list(Requirement.objects.values_list("text", "is_requirement")), AuditEvent.objects.count())

    responses = [
        editor_api.post(f"/api/v1/projects/{foreign.slug}/requirements/{target.pk}/{action}/", body)
        for action, body in (
            ("mark", {"is_requirement": False}),
            ("external-id", {"external_id": "X"}),
            ("merge-next", {}),
            ("split", {"at": 3}),
        )
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert (
        list(Requirement.objects.values_list("text", "is_requirement")),
        AuditEvent.objects.count(),
    ) == before
    assert SegmentCorrection.objects.count() == 0


def test_the_page_corrects_a_segment_and_comes_back_to_it(
    editor_browser: Client, editor: object, project: Project
) -> None:
    document = ingested(editor, project)
    target = document.requirements.get(external_id="PMP-2")
    page = f"/p/{project.slug}/documents/{document.pk}/"
    assert 'class="segment-correct"' in editor_browser.get(page).content.decode()

    response = editor_browser.post(
        f"{page}correct/id", {"requirement": target.pk, "external_id": "PMP-2a", "query": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{page}#segment-{target.pk}"
    target.refresh_from_db()
    assert target.external_id == "PMP-2a"


def test_a_split_point_not_in_the_text_is_refused_on_the_page(
    editor_browser: Client, editor: object, project: Project
) -> None:
    document = ingested(editor, project)
    target = document.requirements.get(external_id="PMP-2")
    page = f"/p/{project.slug}/documents/{document.pk}/"

    response = editor_browser.post(
        f"{page}correct/split", {"requirement": target.pk, "split_before": "nowhere"}, follow=True
    )

    assert "type the words the second part starts with" in response.content.decode()
    assert document.requirements.count() == 3
    assert SegmentCorrection.objects.count() == 0


def test_a_viewer_sees_no_correction_controls(
    editor: object, project: Project, member_of: Callable[..., object]
) -> None:
    document = ingested(editor, project)
    viewer = Client()
    viewer.force_login(member_of(project, Role.VIEWER))  # type: ignore[arg-type]

    html = viewer.get(f"/p/{project.slug}/documents/{document.pk}/").content.decode()

    assert "segment-correct" not in html


def test_parser_warnings_are_stored_and_shown(
    editor_browser: Client, editor: object, project: Project
) -> None:
    # Given a document with an ID given twice and an empty table
    document = ingested(editor, project, duplicate=True)

    # Then the warnings are stored with it, served by the API and shown on its page
    assert document.parse_warnings == [
        "1 ID appears more than once: PMP-2 (2 times). Check the document, or correct the IDs below.",
    ]
    html = editor_browser.get(f"/p/{project.slug}/documents/{document.pk}/").content.decode()
    assert "1 ID appears more than once: PMP-2 (2 times)." in html


def test_a_correction_the_last_reading_could_not_make_again_is_shown(
    editor_browser: Client, editor: object, project: Project
) -> None:
    document = ingested(editor, project)
    page = f"/p/{project.slug}/documents/{document.pk}/"
    assert 'id="parse-warnings"' not in editor_browser.get(page).content.decode()

    for text, applied in (("The valve shall close.", False), ("PMP-1: The pump shall start.", True)):
        SegmentCorrection.objects.create(
            document=document,
            revision=document.parsed_revision,
            kind=CorrectionKind.MARK,
            order=0,
            text=text,
            is_requirement=False,
            applied=applied,
        )

    html = editor_browser.get(page).content.decode()
    assert (
        "A correction could not be made again after the last reading: marked requirement or informative "
        "on “The valve shall close.”, which the document no longer has."
    ) in html
    assert "The pump shall start.”" not in html
