"""Upload and ingest services: revisions, bad input, interrupted ingests, re-ingest, delete, roles."""

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Document, DocumentRevision, DocumentStatus, Requirement
from documents.parsers.errors import (
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
)
from documents.services import ingest
from documents.services.ingest import GENERIC_FAILURE_MESSAGE, document_ingest
from documents.services.lifecycle import document_delete, document_reingest
from documents.services.upload import UploadResult, UploadTooLarge, document_upload
from models_app.annotations.models import Annotation
from models_app.taxonomy.models import Label
from selko.audit.models import AuditEvent
from selko.errors import Conflict, PermissionDenied
from selko.rows import rows_insert
from selko.tenancy.models import Project, Role
from tests.documents.ingest_files import (
    huge_xml_xlsx,
    requirements_xlsx,
    scanned_pdf,
    spec_pdf,
    zip_bomb_docx,
    zip_bomb_xlsx,
)
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def stored_files(media: Path) -> list[str]:
    folder = media / "documents"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def upload(user: object, project: Project, name: str, data: bytes) -> UploadResult:
    return document_upload(user=user, project=project, upload=SimpleUploadedFile(name, data), filename=name)


def upload_and_ingest(user: object, project: Project, name: str, data: bytes) -> Document:
    result = upload(user, project, name, data)
    if result.document.status == DocumentStatus.UPLOADED:
        # With its findings and summary, as a worker leaves it once the follow-up task has run.
        document_ingest(document_id=result.document.pk, revision_id=result.revision.pk, findings_now=True)
    result.document.refresh_from_db()
    return result.document


def requirement_rows(document: Document) -> list[tuple[object, ...]]:
    return list(
        document.requirements.order_by("order").values_list(
            "order", "external_id", "section_path", "is_requirement", "page", "sheet", "row", "column"
        )
    )


def test_a_pdf_upload_is_stored_under_a_uuid_name_and_ingested_into_ordered_requirements(
    project: Project, editor: object, media: Path
) -> None:
    result = upload(editor, project, "Braking spec.pdf", spec_pdf())

    assert result.created_revision is True
    assert result.document.status == DocumentStatus.UPLOADED
    assert result.revision.number == 1
    stored = stored_files(media)
    assert len(stored) == 1 and stored[0].endswith(".pdf") and len(stored[0]) == 32 + 4

    document = document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)

    assert document is not None
    document.refresh_from_db()
    assert (document.status, document.error_message, document.kind) == (DocumentStatus.PARSED, "", "pdf")
    assert (document.page_count, document.row_count, document.requirement_count) == (2, None, 4)
    assert (document.progress_done, document.progress_total, document.ingest_attempts) == (2, 2, 1)
    assert document.parsed_revision_id == result.revision.pk
    assert requirement_rows(document) == [
        (1, "REQ-001", ["1 Braking"], True, 1, "", None, ""),
        (2, "REQ-002", ["1 Braking"], True, 1, "", None, ""),
        (3, "REQ-003", ["2 Doors"], True, 2, "", None, ""),
        (4, "REQ-004", ["2 Doors"], True, 2, "", None, ""),
        (5, "", ["2 Doors"], False, 2, "", None, ""),
    ]
    first = document.requirements.get(order=1)
    assert first.text == "The train shall apply the emergency brake when the driver presses the red button."
    assert first.section_key == "1 Braking"
    assert len(first.bbox) == 4
    project.refresh_from_db()
    assert project.statistics["documents"] == 1
    assert project.statistics["requirements"] == 4
    assert project.statistics["informative"] == 1
    event = AuditEvent.objects.get(action="document.uploaded")
    assert (event.project, event.actor, event.details["revision"]) == (project, editor, 1)


def test_a_workbook_is_ingested_with_sheet_row_and_column(project: Project, editor: object) -> None:
    document = upload_and_ingest(editor, project, "requirements.xlsx", requirements_xlsx())

    assert (document.status, document.kind, document.row_count, document.page_count) == (
        "parsed",
        "xlsx",
        4,
        None,
    )
    assert requirement_rows(document) == [
        (1, "SYS-1", ["Requirements"], True, None, "Requirements", 2, "B"),
        (2, "SYS-2", ["Requirements"], True, None, "Requirements", 3, "B"),
        (3, "SYS-3", ["Requirements"], True, None, "Requirements", 4, "B"),
    ]
    assert document.requirements.get(order=1).attributes == {"Component": "Security"}


def test_the_same_name_becomes_a_new_revision_whose_requirements_replace_the_old(
    project: Project, editor: object
) -> None:
    first = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx())
    old_ids = set(first.requirements.values_list("id", flat=True))

    second = upload_and_ingest(
        editor, project, "reqs.xlsx", requirements_xlsx(rows=[["N-1", "It shall work.", "X"]])
    )

    assert second.pk == first.pk
    assert second.current_revision.number == 2
    assert list(second.requirements.values_list("external_id", "text")) == [("N-1", "It shall work.")]
    assert not Requirement.objects.filter(id__in=old_ids).exists()
    assert Document.objects.filter(project=project).count() == 1


def test_identical_bytes_are_recognised_and_not_stored_or_parsed_again(
    project: Project, editor: object, media: Path, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    document = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx())
    requirement_ids = list(document.requirements.values_list("id", flat=True))

    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        again = upload(editor, project, "reqs.xlsx", requirements_xlsx())

    assert again.created_revision is False
    assert again.revision.number == 1
    assert callbacks == []  # no ingest task queued
    assert DocumentRevision.objects.filter(document=document).count() == 1
    assert len(stored_files(media)) == 1
    assert list(document.requirements.values_list("id", flat=True)) == requirement_ids


def test_an_upload_queues_the_ingest_task_only_after_commit(
    project: Project,
    editor: object,
    django_capture_on_commit_callbacks: Callable[..., object],
    monkeypatch: object,
) -> None:
    queued: list[tuple[int, int]] = []
    from documents import tasks

    monkeypatch.setattr(tasks.ingest_document_task, "delay", lambda *args: queued.append(args))  # type: ignore[attr-defined]

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = upload(editor, project, "spec.pdf", spec_pdf())

    assert queued == [(result.document.pk, result.revision.pk)]


BAD_INPUTS = [
    pytest.param(
        "locked.pdf",
        lambda: spec_pdf(password="secret"),
        EncryptedDocument().user_message,
        id="encrypted-pdf",
    ),
    pytest.param("scan.pdf", scanned_pdf, NoTextLayer().user_message, id="scanned-pdf"),
    pytest.param(
        "cut.pdf",
        lambda: spec_pdf()[:900],
        "The PDF is incomplete: its end is missing, so the upload was probably cut short. "
        "Upload the complete file again.",
        id="truncated-pdf",
    ),
    pytest.param(
        "cut.xlsx",
        lambda: requirements_xlsx()[:2000],
        "The file looks like an Office document but its zip structure is damaged or incomplete "
        "(was the upload cut short?). Upload the original file again.",
        id="truncated-xlsx",
    ),
    pytest.param(
        "garbage.pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40,
        "The PDF is incomplete: its end is missing, so the upload was probably cut short. "
        "Upload the complete file again.",
        id="corrupted-pdf",
    ),
    pytest.param(
        "renamed.pdf",
        requirements_xlsx,
        "The file is named 'renamed.pdf', which suggests a PDF document, but its content is an Excel "
        "workbook (.xlsx). Rename it with the right extension or upload the intended file.",
        id="extension-mismatch",
    ),
    pytest.param(
        "bomb.xlsx",
        zip_bomb_xlsx,
        "The workbook part 'xl/worksheets/sheet1.xml' is compressed 1,020 times, which only a zip bomb does. "
        "The file was refused; re-save it in Excel and upload it again.",
        id="zip-bomb",
    ),
    pytest.param(
        "huge.xlsx",
        huge_xml_xlsx,
        "The workbook part 'xl/worksheets/sheet1.xml' expands to 3,072 MB of data, above the 1,024 MB limit. "
        "Split the workbook into smaller files.",
        id="huge-xml",
    ),
    pytest.param(
        "bomb.docx",
        zip_bomb_docx,
        "The document part 'word/document.xml' is compressed 1,019 times, which only a zip bomb does. "
        "The file was refused; save it again in its application and upload it again.",
        id="zip-bomb-docx",
    ),
    pytest.param(
        "legacy.rtf",
        lambda: b"{\\rtf1\\ansi The pump shall start.\\par}",
        "RTF documents (.rtf) are read through a document converter (LibreOffice), and none is configured "
        "on this server. Open the file in Word or LibreOffice, save it as .docx (or PDF) and upload that; or "
        "ask an administrator to install LibreOffice on the ingest workers and set SELKO_CONVERTER=soffice.",
        id="rtf-without-converter",
    ),
    pytest.param("empty.pdf", lambda: b"", EmptyDocument().user_message, id="empty-file"),
    pytest.param(
        "headings.pdf",
        lambda: spec_pdf([("1 Scope", [])], note=""),
        None,  # the parser's wording for a PDF without paragraphs; checked to be non-empty below
        id="empty-pdf",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_INPUTS)
def test_bad_input_ends_failed_with_a_clear_message_and_writes_no_requirement(
    project: Project, editor: object, name: str, make: Callable[[], bytes], message: str | None
) -> None:
    good = upload_and_ingest(editor, project, "good.xlsx", requirements_xlsx())
    good_requirements = list(good.requirements.values_list("id", "text"))

    bad = upload_and_ingest(editor, project, name, make())

    assert bad.status == DocumentStatus.FAILED
    if message is not None:
        assert bad.error_message == message
    else:
        assert bad.error_message.startswith("The PDF contains no")
    assert bad.requirements.count() == 0
    assert bad.requirement_count == 0
    good.refresh_from_db()
    assert good.status == DocumentStatus.PARSED
    assert list(good.requirements.values_list("id", "text")) == good_requirements


def test_a_wrong_file_is_refused_at_upload_without_queueing_an_ingest(
    project: Project, editor: object, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        result = upload(editor, project, "renamed.pdf", requirements_xlsx())

    assert callbacks == []
    assert result.document.status == DocumentStatus.FAILED
    assert result.document.error_message.startswith("The file is named 'renamed.pdf', which suggests a PDF")


def test_a_file_above_the_limit_is_refused_at_upload_and_nothing_is_stored(
    project: Project, editor: object, media: Path, settings: object
) -> None:
    settings.SELKO_MAX_UPLOAD_BYTES = 1000  # type: ignore[attr-defined]

    with pytest.raises(UploadTooLarge) as refused:
        upload(editor, project, "spec.pdf", spec_pdf())

    assert refused.value.http_status == 413
    assert refused.value.message.startswith("The file is ")
    assert "the upload limit is 1000 bytes" in refused.value.message
    assert Document.objects.count() == 0
    assert stored_files(media) == []
    assert AuditEvent.objects.filter(action="document.uploaded").count() == 0


def test_a_file_above_a_limit_lowered_after_upload_fails_at_parse(
    project: Project, editor: object, settings: object
) -> None:
    result = upload(editor, project, "spec.pdf", spec_pdf())
    settings.SELKO_MAX_UPLOAD_BYTES = 1000  # type: ignore[attr-defined]

    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)

    result.document.refresh_from_db()
    assert result.document.status == DocumentStatus.FAILED
    assert result.document.error_message.startswith("The file is ")
    assert result.document.error_message.endswith(
        "above the 1000 bytes upload limit. Split the document or ask an administrator to raise the limit."
    )
    assert result.document.requirements.count() == 0


def test_a_failed_new_revision_keeps_the_requirements_of_the_last_good_one(
    project: Project, editor: object
) -> None:
    first = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())
    kept = list(first.requirements.values_list("id", flat=True))

    second = upload_and_ingest(editor, project, "spec.pdf", spec_pdf()[:900])

    assert second.status == DocumentStatus.FAILED
    assert second.current_revision.number == 2
    assert second.parsed_revision.number == 1
    assert list(second.requirements.values_list("id", flat=True)) == kept


def test_an_unexpected_error_fails_the_document_with_a_generic_message_and_logs_it(
    project: Project, editor: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    result = upload(editor, project, "spec.pdf", spec_pdf())

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(ingest, "parse_document", broken)
    with caplog.at_level(logging.ERROR, logger="documents.services"):
        document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)

    result.document.refresh_from_db()
    assert (result.document.status, result.document.error_message) == (
        DocumentStatus.FAILED,
        GENERIC_FAILURE_MESSAGE,
    )
    assert result.document.requirements.count() == 0
    assert "parser bug" in caplog.text


def test_a_requirements_write_that_fails_midway_leaves_nothing_half_written(
    project: Project, editor: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())
    kept = list(first.requirements.values_list("id", "text"))
    second = upload(editor, project, "spec.pdf", spec_pdf(note="Another note for the doors."))

    def fail_after_writing(**kwargs: Any) -> int:
        rows_insert(**kwargs)
        raise ValueError("disk full")

    monkeypatch.setattr(ingest, "rows_insert", fail_after_writing)
    document_ingest(document_id=second.document.pk, revision_id=second.revision.pk)

    first.refresh_from_db()
    assert (first.status, first.error_message) == (DocumentStatus.FAILED, GENERIC_FAILURE_MESSAGE)
    assert list(first.requirements.values_list("id", "text")) == kept


def test_an_ingest_interrupted_by_a_dead_worker_runs_again_on_redelivery(
    project: Project, editor: object
) -> None:
    result = upload(editor, project, "spec.pdf", spec_pdf())
    # What a worker killed mid-parse leaves behind: `parsing`, one attempt, half the progress.
    Document.objects.filter(pk=result.document.pk).update(
        status=DocumentStatus.PARSING, ingest_attempts=1, progress_done=1, progress_total=2
    )

    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)

    result.document.refresh_from_db()
    assert (result.document.status, result.document.ingest_attempts) == (DocumentStatus.PARSED, 2)
    assert result.document.requirements.count() == 5


def test_a_document_that_keeps_killing_workers_fails_after_the_redelivery_cap(
    project: Project, editor: object, settings: object
) -> None:
    settings.CELERY_MAX_REDELIVERIES = 2  # type: ignore[attr-defined]
    result = upload(editor, project, "spec.pdf", spec_pdf())
    Document.objects.filter(pk=result.document.pk).update(status=DocumentStatus.PARSING, ingest_attempts=3)

    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)

    result.document.refresh_from_db()
    assert result.document.status == DocumentStatus.FAILED
    assert result.document.error_message == (
        "The worker processing this document stopped 3 times; try re-ingesting or contact your administrator."
    )
    assert result.document.requirements.count() == 0


def test_a_document_stuck_in_parsing_can_be_re_ingested(
    project: Project, editor: object, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    result = upload(editor, project, "spec.pdf", spec_pdf())
    long_ago = timezone.now() - timedelta(hours=1)
    Document.objects.filter(pk=result.document.pk).update(
        status=DocumentStatus.PARSING, ingest_attempts=1, updated_at=long_ago
    )

    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        document = document_reingest(user=editor, document=Document.objects.get(pk=result.document.pk))

    assert (document.status, document.ingest_attempts, document.error_message) == ("uploaded", 0, "")
    assert len(callbacks) == 1
    document_ingest(document_id=document.pk, revision_id=result.revision.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PARSED
    assert AuditEvent.objects.filter(action="document.reingested", target_id=str(document.pk)).count() == 1


def test_re_ingest_is_refused_while_a_parse_is_making_progress(project: Project, editor: object) -> None:
    result = upload(editor, project, "spec.pdf", spec_pdf())
    Document.objects.filter(pk=result.document.pk).update(status=DocumentStatus.PARSING, ingest_attempts=1)

    with pytest.raises(Conflict):
        document_reingest(user=editor, document=Document.objects.get(pk=result.document.pk))

    result.document.refresh_from_db()
    assert (result.document.status, result.document.ingest_attempts) == (DocumentStatus.PARSING, 1)
    assert AuditEvent.objects.filter(action="document.reingested").count() == 0


def test_a_duplicate_delivery_and_a_superseded_revision_do_nothing(project: Project, editor: object) -> None:
    first = upload(editor, project, "reqs.xlsx", requirements_xlsx())
    document_ingest(document_id=first.document.pk, revision_id=first.revision.pk)
    ids = list(Requirement.objects.values_list("id", flat=True))

    assert document_ingest(document_id=first.document.pk, revision_id=first.revision.pk) is None
    second = upload(editor, project, "reqs.xlsx", requirements_xlsx(rows=[["B-1", "It shall be fast.", "X"]]))
    assert document_ingest(document_id=first.document.pk, revision_id=first.revision.pk) is None

    assert list(Requirement.objects.values_list("id", flat=True)) == ids
    assert Document.objects.get(pk=second.document.pk).status == DocumentStatus.UPLOADED


def test_labels_survive_a_re_ingest_for_unchanged_requirements(project: Project, editor: object) -> None:
    document = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx())
    label = Label.objects.create(project=project, name="Security")
    sys1 = document.requirements.get(external_id="SYS-1")
    Annotation.objects.create(project=project, requirement=sys1, label=label, value=True, user=editor)
    Annotation.objects.create(
        project=project, requirement=document.requirements.get(external_id="SYS-3"), label=label, value=False
    )
    changed = [WORKBOOK_ROW for WORKBOOK_ROW in requirements_xlsx_rows()]
    changed[2] = ["SYS-3", "The user interface shall display the time in local time.", "UI"]

    document = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx(rows=changed))

    assert list(
        Annotation.objects.values_list("requirement__external_id", "label__name", "value", "user")
    ) == [("SYS-1", "Security", True, editor.pk)]


def test_a_re_ingest_keeps_the_rows_of_unchanged_requirements_in_their_new_order(
    project: Project, editor: object
) -> None:
    document = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx())
    before = dict(document.requirements.values_list("external_id", "id"))
    sys1, _, sys3 = requirements_xlsx_rows()
    changed = [sys3, ["SYS-4", "The system shall export logs daily.", "Ops"], sys1]

    document = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx(rows=changed))

    after = list(document.requirements.order_by("order").values_list("order", "external_id", "id"))
    assert [(order, external_id) for order, external_id, _ in after] == [
        (1, "SYS-3"),
        (2, "SYS-4"),
        (3, "SYS-1"),
    ]
    assert after[0][2] == before["SYS-3"] and after[2][2] == before["SYS-1"]
    assert after[1][2] not in before.values()
    assert not Requirement.objects.filter(pk=before["SYS-2"]).exists()


def test_identical_requirements_each_keep_their_own_answers_across_a_re_ingest(
    project: Project, editor: object
) -> None:
    twice = [["", "The system shall log.", "X"], ["", "The system shall log.", "Y"]]
    document = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx(rows=twice))
    label = Label.objects.create(project=project, name="Logging")
    first, second = document.requirements.order_by("order")
    Annotation.objects.create(project=project, requirement=first, label=label, value=True)
    Annotation.objects.create(project=project, requirement=second, label=label, value=False)

    document = upload_and_ingest(
        editor, project, "reqs.xlsx", requirements_xlsx(rows=[*twice, ["", "A note.", "Z"]])
    )

    assert list(
        Annotation.objects.order_by("requirement__order").values_list("requirement__order", "value")
    ) == [(1, True), (2, False)]


def requirements_xlsx_rows() -> list[list[str]]:
    from tests.documents.ingest_files import WORKBOOK_ROWS

    return [list(row) for row in WORKBOOK_ROWS]


def test_delete_removes_the_document_its_requirements_and_its_files(
    project: Project, editor: object, media: Path, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    document = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())
    upload_and_ingest(editor, project, "spec.pdf", spec_pdf(note="Revised note."))
    other = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx())
    assert len(stored_files(media)) == 3

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        document_delete(user=editor, document=document)

    assert list(Document.objects.values_list("name", flat=True)) == ["reqs.xlsx"]
    assert Requirement.objects.exclude(document=other).count() == 0
    assert len(stored_files(media)) == 1
    project.refresh_from_db()
    assert (project.statistics["documents"], project.statistics["requirements"]) == (1, 3)
    event = AuditEvent.objects.get(action="document.deleted")
    assert (event.target_repr, event.actor) == ("spec.pdf", editor)


def test_a_viewer_cannot_upload_re_ingest_or_delete_and_nothing_changes(
    project: Project, editor: object, member_of: Callable[..., object], media: Path
) -> None:
    viewer = member_of(project, Role.VIEWER)
    document = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())
    before = (Document.objects.count(), Requirement.objects.count(), AuditEvent.objects.count())

    with pytest.raises(PermissionDenied) as upload_refused:
        upload(viewer, project, "other.xlsx", requirements_xlsx())
    with pytest.raises(PermissionDenied):
        document_reingest(user=viewer, document=document)
    with pytest.raises(PermissionDenied):
        document_delete(user=viewer, document=document)

    assert upload_refused.value.message == "You need the editor role to upload documents."
    assert (Document.objects.count(), Requirement.objects.count(), AuditEvent.objects.count()) == before
    document.refresh_from_db()
    assert document.status == DocumentStatus.PARSED
    assert len(stored_files(media)) == 1


def test_documents_of_two_projects_with_the_same_name_are_separate(project: Project, editor: object) -> None:
    other_project = ProjectFactory(organization=project.organization)
    mine = upload_and_ingest(editor, project, "reqs.xlsx", requirements_xlsx())
    theirs = upload_and_ingest(editor, other_project, "reqs.xlsx", requirements_xlsx())

    assert mine.pk != theirs.pk
    assert theirs.current_revision.number == 1
    assert (mine.requirements.count(), theirs.requirements.count()) == (3, 3)
