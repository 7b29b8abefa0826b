"""ReqIF files through upload, the ingest task's service and `manage.py ingest`: hostile or broken files
end failed with a clear message and write nothing; a real export lands with its IDs and sections."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from documents.models import Document, DocumentStatus
from documents.services.ingest import document_ingest
from documents.services.upload import document_upload
from selko.tenancy.models import Project
from tests.documents.conftest import SHARED_DATA
from tests.documents.ingest_files import requirements_xlsx
from tests.documents.parsers.reqif_factory import brakes_spec, node, reqif_file, requirement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def _ingest(user: object, project: Project, name: str, data: bytes) -> Document:
    result = document_upload(user=user, project=project, upload=SimpleUploadedFile(name, data), filename=name)
    if result.document.status == DocumentStatus.UPLOADED:
        document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)
    result.document.refresh_from_db()
    return result.document


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("module.reqif", b"<" + b" " * (50 * 1024 * 1024))
    return buffer.getvalue()


def _entity_attack() -> bytes:
    prolog = '<!DOCTYPE REQ-IF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    objects = [requirement("O-1", "BRK-1", "<xhtml:div>&b;</xhtml:div>")]
    return reqif_file(objects, [node("O-1")], prolog=prolog).encode()


def _missing_object() -> bytes:
    return reqif_file(
        [requirement("O-1", "BRK-1", "<xhtml:div>x</xhtml:div>")], [node("GONE", node("O-1"))]
    ).encode()


BAD_REQIF = [
    pytest.param(
        "attack.reqif", _entity_attack, "The ReqIF file declares a DOCTYPE or entities", id="entities"
    ),
    pytest.param(
        "bomb.reqifz", _zip_bomb, "The ReqIF archive part 'module.reqif' is compressed", id="zip-bomb"
    ),
    pytest.param(
        "gap.reqif", _missing_object, "The specification hierarchy entry 'H-GONE'", id="missing-object"
    ),
    pytest.param("empty.reqif", lambda: reqif_file([], []).encode(), "The ReqIF file holds no", id="empty"),
    pytest.param(
        "notes.reqif", lambda: b"ID;Text\nR1;The pump shall start.\n", "The file is named", id="not-xml"
    ),
]


@pytest.mark.parametrize(("name", "make", "message_start"), BAD_REQIF)
def test_a_bad_reqif_ends_failed_with_a_clear_message_and_writes_nothing(
    project: Project, editor: object, name: str, make: Callable[[], bytes], message_start: str
) -> None:
    good = _ingest(editor, project, "good.xlsx", requirements_xlsx())
    good_requirements = list(good.requirements.values_list("id", "text"))

    bad = _ingest(editor, project, name, make())

    assert bad.status == DocumentStatus.FAILED
    assert bad.error_message.startswith(message_start)
    assert bad.requirements.count() == 0
    assert bad.requirement_count == 0
    assert list(good.requirements.values_list("id", "text")) == good_requirements


def test_a_reqif_upload_lands_with_ids_sections_and_attributes(project: Project, editor: object) -> None:
    document = _ingest(editor, project, "brakes.reqif", brakes_spec().encode())

    assert (document.status, document.kind, document.requirement_count) == (DocumentStatus.PARSED, "reqif", 3)
    assert list(
        document.requirements.order_by("order").values_list("external_id", "section_path", "is_requirement")
    ) == [
        ("O-H1", ["Braking"], False),
        ("BRK-1", ["Braking"], True),
        ("O-H2", ["Braking", "Emergency braking"], False),
        ("BRK-2", ["Braking", "Emergency braking"], True),
        ("BRK-3", [], True),
    ]
    assert document.requirements.get(external_id="BRK-1").attributes["Status"] == "approved"


def test_manage_py_ingest_imports_a_strictdoc_export(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = SHARED_DATA / "reqif" / "examples__04_convert_reqif_to_json__sample2_sdoc.reqif"
    if not path.is_file():
        pytest.skip(f"ReqIF sample not found at {path} (the ../shared folder beside the checkout)")

    call_command("ingest", str(path), "--project", project.slug)

    document = Document.objects.get(project=project)
    assert (document.status, document.requirement_count) == (DocumentStatus.PARSED, 8)
    assert capsys.readouterr().out.startswith(f"{path}: 8 requirements, 18 rows")
