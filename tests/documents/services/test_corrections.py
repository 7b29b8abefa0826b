"""Corrections of segments: each changes the rows at once, is audited, and survives a re-ingest."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document, DocumentStatus, Requirement, SegmentCorrection
from documents.services.corrections import (
    requirement_external_id_set,
    requirement_mark,
    requirement_merge_next,
    requirement_split,
)
from documents.services.ingest import document_ingest
from documents.services.lifecycle import document_reingest
from documents.services.upload import document_upload
from selko.audit.models import AuditEvent
from selko.errors import PermissionDenied, ValidationFailed
from selko.tenancy.models import Project, Role
from tests.documents.docx_factory import SpecDocx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def spec_docx() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return (
            SpecDocx(Path(folder) / "spec.docx")
            .heading("1 Pump Requirements", 1)
            .paragraph("PMP-1: The pump shall start within two seconds.")
            .paragraph("The pump shall stop when the tank is full. Operators like a quiet pump.")
            .paragraph("Note: the tank holds 200 litres of water.")
            .paragraph("PMP-2: The pump shall report its state every second.")
            .save()
            .read_bytes()
        )


def ingested(user: object, project: Project) -> Document:
    result = document_upload(
        user=user, project=project, upload=SimpleUploadedFile("spec.docx", spec_docx()), filename="spec.docx"
    )
    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)
    result.document.refresh_from_db()
    assert result.document.status == DocumentStatus.PARSED
    return result.document


def reingested(user: object, document: Document) -> Document:
    document_reingest(user=user, document=document)
    assert document.current_revision_id is not None
    document_ingest(document_id=document.pk, revision_id=document.current_revision_id)
    document.refresh_from_db()
    return document


def rows(document: Document) -> list[tuple[int, str, str, bool]]:
    return [
        (r.order, r.external_id, r.text, r.is_requirement) for r in document.requirements.order_by("order")
    ]


def segment(document: Document, text_start: str) -> Requirement:
    return document.requirements.get(text__startswith=text_start)


def test_marking_informative_is_audited_and_survives_a_reingest(project: Project, editor: object) -> None:
    # Given a parsed document whose first requirement is really informative
    document = ingested(editor, project)
    target = segment(document, "The pump shall start")

    # When an editor marks it informative, then re-ingests the same revision
    requirement_mark(user=editor, requirement=target, is_requirement=False)
    document.refresh_from_db()
    assert document.requirement_count == 2
    document = reingested(editor, document)

    # Then it is still informative, on the same row, and the correction was audited
    kept = segment(document, "The pump shall start")
    assert (kept.pk, kept.is_requirement, kept.obligation) == (target.pk, False, "")
    assert document.requirement_count == 2
    event = AuditEvent.objects.get(action="requirement.corrected")
    assert (event.target_id, event.details["kind"], event.details["before"]) == (str(target.pk), "mark", True)
    assert list(SegmentCorrection.objects.values_list("kind", "applied")) == [("mark", True)]


def test_an_edited_id_survives_a_reingest(project: Project, editor: object) -> None:
    document = ingested(editor, project)
    target = segment(document, "The pump shall stop")

    requirement_external_id_set(user=editor, requirement=target, external_id="  PMP-1a ")
    document = reingested(editor, document)

    kept = segment(document, "The pump shall stop")
    assert (kept.pk, kept.external_id) == (target.pk, "PMP-1a")


def test_a_merge_survives_a_reingest(project: Project, editor: object) -> None:
    document = ingested(editor, project)
    target = segment(document, "The pump shall stop")

    merged = requirement_merge_next(user=editor, requirement=target)
    after_merge = rows(document)
    document = reingested(editor, document)

    assert merged.text == (
        "The pump shall stop when the tank is full. Operators like a quiet pump. "
        "Note: the tank holds 200 litres of water."
    )
    assert (
        rows(document)
        == after_merge
        == [
            (1, "PMP-1", "The pump shall start within two seconds.", True),
            (2, "", merged.text, True),
            (3, "PMP-2", "The pump shall report its state every second.", True),
        ]
    )
    assert segment(document, "The pump shall stop").pk == target.pk


def test_a_split_survives_a_reingest(project: Project, editor: object) -> None:
    document = ingested(editor, project)
    target = segment(document, "The pump shall stop")
    at = target.text.index("Operators")

    first, second = requirement_split(user=editor, requirement=target, at=at)
    requirement_mark(user=editor, requirement=second, is_requirement=False)
    after_split = rows(document)
    document = reingested(editor, document)

    assert (
        rows(document)
        == after_split
        == [
            (1, "PMP-1", "The pump shall start within two seconds.", True),
            (2, "", "The pump shall stop when the tank is full.", True),
            (3, "", "Operators like a quiet pump.", False),
            (4, "", "Note: the tank holds 200 litres of water.", False),
            (5, "PMP-2", "The pump shall report its state every second.", True),
        ]
    )
    assert [segment(document, "The pump shall stop").pk, segment(document, "Operators").pk] == [
        first.pk,
        second.pk,
    ]


def _snapshot(document: Document) -> tuple[object, ...]:
    return (rows(document), SegmentCorrection.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize(
    ("refused", "message"),
    [
        (
            lambda user, row: requirement_split(user=user, requirement=row, at=len(row.text)),
            "Split inside the text: after its first character and before its last (45 characters), with "
            "text on both sides.",
        ),
        (
            lambda user, row: requirement_external_id_set(user=user, requirement=row, external_id="X" * 101),
            "An ID has at most 100 characters.",
        ),
    ],
)
def test_an_impossible_correction_changes_nothing(
    project: Project, editor: object, refused: Callable[..., object], message: str
) -> None:
    document = ingested(editor, project)
    row = segment(document, "The pump shall report")
    before = _snapshot(document)

    with pytest.raises(ValidationFailed) as raised:
        refused(editor, row)

    assert raised.value.message == message
    assert _snapshot(document) == before


def test_merging_the_last_segment_is_refused(project: Project, editor: object) -> None:
    document = ingested(editor, project)
    before = _snapshot(document)

    with pytest.raises(ValidationFailed):
        requirement_merge_next(user=editor, requirement=segment(document, "The pump shall report"))

    assert _snapshot(document) == before


def test_a_viewer_cannot_correct(project: Project, editor: object, member_of: Callable[..., object]) -> None:
    document = ingested(editor, project)
    viewer = member_of(project, Role.VIEWER)
    before = _snapshot(document)

    with pytest.raises(PermissionDenied) as raised:
        requirement_mark(
            user=viewer, requirement=segment(document, "The pump shall start"), is_requirement=False
        )

    assert raised.value.message == "You need the editor role to correct segments."
    assert _snapshot(document) == before
