"""Every way an upload can be unusable ends in a specific error with a message for the uploader."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from documents.parsers import (
    ContentTypeMismatch,
    CorruptedFile,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    NoTextLayer,
    UnsafeArchive,
    UnsupportedFormat,
    parse_document,
)
from documents.parsers.archive_guard import ArchiveLimits, check_archive

from .pdf_factory import SpecPdf, blank_pdf
from .workbook_factory import requirements_workbook

LIMIT = 10_000_000


def _spec(path: Path, **options: str | None) -> Path:
    return (
        SpecPdf(path, **options)  # type: ignore[arg-type]
        .heading("1 Scope")
        .paragraph("The pump shall start within two seconds of a start command.")
        .save()
    )


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = _spec(tmp_path / "locked.pdf", password="secret")

    with pytest.raises(EncryptedDocument) as raised:
        parse_document(path, filename="locked.pdf", max_bytes=LIMIT)

    assert "password-protected" in raised.value.user_message


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    path = SpecPdf(tmp_path / "scan.pdf", header=None, footer=None).image_only_page().save()

    with pytest.raises(NoTextLayer) as raised:
        parse_document(path, filename="scan.pdf", max_bytes=LIMIT)

    assert "OCR" in raised.value.user_message


def test_truncated_pdf(tmp_path: Path) -> None:
    path = _spec(tmp_path / "spec.pdf")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(CorruptedFile) as raised:
        parse_document(path, filename="spec.pdf", max_bytes=LIMIT)

    assert "incomplete" in raised.value.user_message


def test_corrupted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")

    with pytest.raises(CorruptedFile) as raised:
        parse_document(path, filename="broken.pdf", max_bytes=LIMIT)

    assert "damaged" in raised.value.user_message


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = requirements_workbook(tmp_path / "reqs.xlsx")
    path.write_bytes(path.read_bytes()[:2000])

    with pytest.raises(CorruptedFile) as raised:
        parse_document(path, filename="reqs.xlsx", max_bytes=LIMIT)

    assert "cut short" in raised.value.user_message


def test_pdf_named_as_workbook(tmp_path: Path) -> None:
    path = _spec(tmp_path / "reqs.xlsx")

    with pytest.raises(ContentTypeMismatch) as raised:
        parse_document(path, filename="reqs.xlsx", max_bytes=LIMIT)

    assert raised.value.user_message == (
        "The file is named 'reqs.xlsx', which suggests an Excel workbook (.xlsx), but its content is "
        "a PDF document. Rename it with the right extension or upload the intended file."
    )


def test_workbook_named_as_pdf(tmp_path: Path) -> None:
    path = requirements_workbook(tmp_path / "reqs.pdf")

    with pytest.raises(ContentTypeMismatch):
        parse_document(path, filename="reqs.pdf", max_bytes=LIMIT)


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("The pump shall start.", encoding="utf-8")

    with pytest.raises(UnsupportedFormat) as raised:
        parse_document(path, filename="notes.md", max_bytes=LIMIT)

    assert "Files ending in .md are not supported" in raised.value.user_message


def test_binary_garbage_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 10)

    with pytest.raises(UnsupportedFormat):
        parse_document(path, filename="data.csv", max_bytes=LIMIT)


def test_xlsx_zip_bomb(tmp_path: Path) -> None:
    # Given a workbook with an extra part of 20 MB of zeros, which deflate squeezes about 1000 times
    path = requirements_workbook(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (20 * 1024 * 1024))

    with pytest.raises(UnsafeArchive) as raised:
        parse_document(path, filename="bomb.xlsx", max_bytes=LIMIT)

    assert "zip bomb" in raised.value.user_message


def test_xlsx_with_huge_xml_part(tmp_path: Path) -> None:
    # Given a sheet part larger than the per-part limit (limits scaled down so the test stays small)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<sheetData>" + "<row/>" * 50_000 + "</sheetData>")
    path = tmp_path / "huge.xlsx"
    path.write_bytes(buffer.getvalue())

    with pytest.raises(UnsafeArchive) as raised:
        check_archive(path, ArchiveLimits(max_member_bytes=100_000))

    assert "'xl/worksheets/sheet1.xml' expands to" in raised.value.user_message


def test_xlsx_expanding_beyond_total_limit(tmp_path: Path) -> None:
    path = requirements_workbook(tmp_path / "reqs.xlsx")

    with pytest.raises(UnsafeArchive) as raised:
        check_archive(path, ArchiveLimits(max_total_bytes=1_000))

    assert raised.value.user_message.endswith(
        "of data, above the 1000 bytes limit. Split the workbook into smaller files."
    )


def test_encrypted_office_file(tmp_path: Path) -> None:
    # Given an OLE2 container holding an EncryptedPackage stream, as Excel writes a protected xlsx
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le")
    )

    with pytest.raises(EncryptedDocument):
        parse_document(path, filename="locked.xlsx", max_bytes=LIMIT)


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")

    with pytest.raises(EmptyDocument) as raised:
        parse_document(path, filename="empty.pdf", max_bytes=LIMIT)

    assert raised.value.user_message == "The file is empty (0 bytes)."


def test_pdf_with_only_blank_pages(tmp_path: Path) -> None:
    path = blank_pdf(tmp_path / "blank.pdf", pages=2)

    with pytest.raises(NoTextLayer):
        parse_document(path, filename="blank.pdf", max_bytes=LIMIT)


def test_workbook_without_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)

    with pytest.raises(EmptyDocument) as raised:
        parse_document(path, filename="empty.xlsx", max_bytes=LIMIT)

    assert raised.value.user_message == "The workbook has no rows with text in its visible sheets."


def test_csv_with_only_a_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("ID,Requirement\n", encoding="utf-8")

    with pytest.raises(EmptyDocument):
        parse_document(path, filename="empty.csv", max_bytes=LIMIT)


def test_file_above_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"ID,Requirement\n" + b"R-1,The pump shall start.\n" * 50_000)

    with pytest.raises(FileTooLarge) as raised:
        parse_document(path, filename="big.csv", max_bytes=1024 * 1024)

    assert raised.value.user_message == (
        "The file is 1.2 MB, above the 1 MB upload limit. "
        "Split the document or ask an administrator to raise the limit."
    )
