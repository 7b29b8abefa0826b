"""`manage.py ingest`: the same upload and ingest services, run synchronously from the command line."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from documents.models import Document, DocumentStatus
from selko.tenancy.models import Project
from tests.documents.ingest_files import requirements_xlsx, spec_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    spec = tmp_path / "spec.pdf"
    spec.write_bytes(spec_pdf())
    sheet = tmp_path / "reqs.xlsx"
    sheet.write_bytes(requirements_xlsx())
    return [spec, sheet]


def test_ingest_prints_requirements_extent_and_seconds_per_file(
    project: Project, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("ingest", *map(str, files), "--project", project.slug)

    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit(",", 1)[0] for line in lines] == [
        f"{files[0]}: 4 requirements, 2 pages",
        f"{files[1]}: 3 requirements, 4 rows",
    ]
    assert all(line.endswith(" s") for line in lines)
    assert sorted(Document.objects.values_list("name", "status")) == [
        ("reqs.xlsx", DocumentStatus.PARSED),
        ("spec.pdf", DocumentStatus.PARSED),
    ]


def test_ingest_json_reports_each_file_and_recognises_unchanged_files(
    project: Project, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("ingest", str(files[1]), "--project", project.slug)
    capsys.readouterr()

    call_command("ingest", str(files[1]), "--project", project.slug, "--json")

    report = json.loads(capsys.readouterr().out)
    (result,) = report["files"]
    assert report["project"] == project.slug
    assert {
        k: result[k] for k in ("name", "revision", "unchanged", "status", "requirements", "rows", "pages")
    } == {
        "name": "reqs.xlsx",
        "revision": 1,
        "unchanged": True,
        "status": "parsed",
        "requirements": 3,
        "rows": 4,
        "pages": None,
    }
    assert isinstance(result["seconds"], float)


def test_ingest_reports_a_bad_file_and_exits_with_an_error(
    project: Project, files: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(spec_pdf()[:900])

    with pytest.raises(CommandError, match="1 of 2 files could not be imported"):
        call_command("ingest", str(broken), str(files[1]), "--project", project.slug)

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{broken}: FAILED: The PDF is incomplete")
    assert Document.objects.get(name="reqs.xlsx").status == DocumentStatus.PARSED
    assert Document.objects.get(name="broken.pdf").requirements.count() == 0


def test_ingest_refuses_an_unknown_project(files: list[Path], db: None) -> None:
    with pytest.raises(CommandError, match="No project with slug 'nope'"):
        call_command("ingest", str(files[0]), "--project", "nope")
    assert Document.objects.count() == 0
