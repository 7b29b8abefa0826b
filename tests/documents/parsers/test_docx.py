"""Word documents (.docx): headings, numbering, lists and tables give the same segments as a PDF would."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from documents.parsers import ContentTypeMismatch, CorruptedFile, DocumentKind, UnsafeArchive, parse_document
from documents.parsers.evaluation import read_truth, score

from ..docx_factory import SpecDocx

LIMIT = 10_000_000


def _parse(path: Path) -> list[tuple[str | None, str, bool, list[str]]]:
    parsed = parse_document(path, filename=path.name, max_bytes=LIMIT)
    assert parsed.kind is DocumentKind.DOCX
    return [
        (segment.external_id, segment.text, segment.is_requirement, segment.section_path)
        for segment in parsed.segments
    ]


def test_ids_sections_and_rationale(tmp_path: Path) -> None:
    # Given a spec with typed heading numbers, an ID in front of each requirement and a rationale
    path = (
        SpecDocx(tmp_path / "spec.docx")
        .heading("2 Pump Requirements", 1)
        .heading("2.1 Start", 2)
        .paragraph("PMP-101 The pump shall start within two seconds.")
        .paragraph("Rationale: operators expect the pump to answer at once.")
        .heading("2.2 Stop", 2)
        .paragraph("PMP-102 The pump shall stop when the tank is full.")
        .save()
    )

    # When it is parsed
    segments = _parse(path)

    # Then each requirement has its ID and section path, and the rationale is informative
    assert segments == [
        ("PMP-101", "The pump shall start within two seconds.", True, ["2 Pump Requirements", "2.1 Start"]),
        (
            None,
            "Rationale: operators expect the pump to answer at once.",
            False,
            ["2 Pump Requirements", "2.1 Start"],
        ),
        ("PMP-102", "The pump shall stop when the tank is full.", True, ["2 Pump Requirements", "2.2 Stop"]),
    ]


def test_automatic_heading_numbers_give_the_section_path(tmp_path: Path) -> None:
    # Given headings numbered by Word's outline list: the numbers are not in their text
    path = (
        SpecDocx(tmp_path / "spec.docx")
        .heading("Scope", 1, numbered=True)
        .paragraph("This document describes the braking system.")
        .heading("Braking", 1, numbered=True)
        .heading("Service brake", 2, numbered=True)
        .paragraph("The train shall brake at 1.2 m/s2 or more.")
        .heading("Emergency brake", 2, numbered=True)
        .paragraph("The train shall brake at 1.5 m/s2 or more.")
        .save()
    )

    # When it is parsed
    segments = _parse(path)

    # Then the section path carries the numbers Word shows
    assert [segment[3] for segment in segments] == [
        ["1 Scope"],
        ["2 Braking", "2.1 Service brake"],
        ["2 Braking", "2.2 Emergency brake"],
    ]


def test_bulleted_items_are_segments_with_their_stem(tmp_path: Path) -> None:
    # Given a stem ending in a colon and a bulleted list under it
    path = (
        SpecDocx(tmp_path / "spec.docx")
        .heading("3 Interfaces", 1)
        .paragraph("The controller shall report:")
        .paragraph("the inlet pressure;", style="List Bullet")
        .paragraph("the outlet temperature.", style="List Bullet")
        .save()
    )

    # When it is parsed
    parsed = parse_document(path, filename="spec.docx", max_bytes=LIMIT)

    # Then each item is a requirement of its own that keeps the stem as context
    assert [(s.text, s.is_requirement, s.attributes) for s in parsed.segments] == [
        ("The controller shall report:", True, {}),
        ("the inlet pressure;", True, {"list stem": "The controller shall report:"}),
        ("the outlet temperature.", True, {"list stem": "The controller shall report:"}),
    ]


def test_numbered_clauses_and_lettered_items(tmp_path: Path) -> None:
    # Given a document that numbers its paragraphs, with Word-lettered items under one clause
    builder = SpecDocx(tmp_path / "clauses.docx").heading("2 Balises", 1)
    for number in range(1, 6):
        builder.paragraph(f"2.5.1.{number} The balise group number {number} is read by the antenna unit.")
    path = (
        builder.paragraph("2.5.1.6 The on-board equipment shall reject a telegram when:")
        .lettered("its checksum is wrong;")
        .lettered("its length is not the announced one.")
        .save()
    )

    # When it is parsed
    segments = _parse(path)

    # Then clause numbers and lettered items are the IDs, and the whole body is traceable
    assert [(segment[0], segment[1], segment[2]) for segment in segments[-3:]] == [
        ("2.5.1.6", "The on-board equipment shall reject a telegram when:", True),
        ("2.5.1.6.a", "its checksum is wrong;", True),
        ("2.5.1.6.b", "its length is not the announced one.", True),
    ]
    assert [segment[0] for segment in segments[:5]] == [f"2.5.1.{n}" for n in range(1, 6)]
    assert all(segment[2] for segment in segments)


def test_requirement_table_rows_with_attributes(tmp_path: Path) -> None:
    # Given a requirement table: ID, text and priority columns
    path = (
        SpecDocx(tmp_path / "table.docx")
        .heading("4 Functional Requirements", 1)
        .table(
            [
                ["ID", "Requirement", "Priority"],
                ["FUN-01", "The system shall log every card read.", "High"],
                ["FUN-02", "The system will archive logs for ten years.", "Low"],
            ]
        )
        .save()
    )

    # When it is parsed
    parsed = parse_document(path, filename="table.docx", max_bytes=LIMIT)

    # Then each data row is a segment with its ID, the other cells as attributes, and table/row provenance
    assert [
        (s.external_id, s.text, s.is_requirement, s.attributes, s.sheet, s.row, s.column, s.section_path)
        for s in parsed.segments
    ] == [
        (
            "FUN-01",
            "The system shall log every card read.",
            True,
            {"Priority": "High"},
            "Table 1",
            2,
            "B",
            ["4 Functional Requirements"],
        ),
        (
            "FUN-02",
            "The system will archive logs for ten years.",
            True,
            {"Priority": "Low"},
            "Table 1",
            3,
            "B",
            ["4 Functional Requirements"],
        ),
    ]


def test_pages_come_from_words_last_layout(tmp_path: Path) -> None:
    # Given a document that Word laid out, with a page break between two requirements
    path = (
        SpecDocx(tmp_path / "paged.docx")
        .paragraph("REQ-001 The pump shall start within two seconds.")
        .page_break()
        .paragraph("REQ-002 The pump shall stop when the tank is full.")
        .save()
    )

    # When it is parsed
    parsed = parse_document(path, filename="paged.docx", max_bytes=LIMIT)

    # Then each segment has the page Word showed it on
    assert [(s.external_id, s.page) for s in parsed.segments] == [("REQ-001", 1), ("REQ-002", 2)]


def test_a_zip_bomb_docx_is_refused(tmp_path: Path) -> None:
    # Given a .docx whose document part expands a thousandfold
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))

    # When it is parsed, then it is refused as a possible zip bomb before any XML is read
    with pytest.raises(UnsafeArchive) as raised:
        parse_document(path, filename="bomb.docx", max_bytes=LIMIT)
    assert raised.value.user_message.startswith("The document part 'word/document.xml' is compressed")


def test_a_docx_with_broken_xml_is_refused(tmp_path: Path) -> None:
    # Given a real .docx whose document part was cut in the middle
    source = SpecDocx(tmp_path / "ok.docx").paragraph("The pump shall start.").save()
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as broken:
        for item in original.infolist():
            data = original.read(item.filename)
            broken.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)

    # When it is parsed, then it fails with a message saying what to do
    with pytest.raises(CorruptedFile) as raised:
        parse_document(path, filename="broken.docx", max_bytes=LIMIT)
    assert raised.value.user_message == (
        "The Word document is damaged and cannot be read. Open it in Word or LibreOffice, save it "
        "again as .docx and upload it again."
    )


def test_a_truncated_docx_is_refused(tmp_path: Path) -> None:
    path = SpecDocx(tmp_path / "spec.docx").paragraph("The pump shall start.").save()
    path.write_bytes(path.read_bytes()[:3000])

    with pytest.raises(CorruptedFile) as raised:
        parse_document(path, filename="spec.docx", max_bytes=LIMIT)

    assert "damaged or incomplete" in raised.value.user_message


def test_a_docx_named_pdf_is_refused(tmp_path: Path) -> None:
    path = SpecDocx(tmp_path / "spec.docx").paragraph("The pump shall start.").save()
    renamed = path.rename(tmp_path / "spec.pdf")

    with pytest.raises(ContentTypeMismatch) as raised:
        parse_document(renamed, filename="spec.pdf", max_bytes=LIMIT)

    assert "its content is a Word document (.docx)" in raised.value.user_message


def test_a_zip_that_is_no_office_document_is_still_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    path = tmp_path / "notes.docx"
    path.write_bytes(buffer.getvalue())

    with pytest.raises(Exception) as raised:
        parse_document(path, filename="notes.docx", max_bytes=LIMIT)

    assert type(raised.value).__name__ == "UnsupportedFormat"


@pytest.mark.slow
def test_nasa_spec_docx_scores_like_the_pdf(shared_documents: Path, nasa_ground_truth: Path) -> None:
    # Given the NASA specification as Word and its truth (rows with text)
    truth = [row for row in read_truth(nasa_ground_truth) if row.text.strip()]

    # When it is parsed and scored
    parsed = parse_document(shared_documents / "nasa_cfs_spec.docx", filename="nasa_cfs_spec.docx")
    result = score(parsed.segments, truth)

    # Then every requirement is found, with its ID, flagged, and nothing else is flagged
    assert (result.rows, result.found, result.id_equal, result.flagged, result.extra) == (
        1027,
        1027,
        1027,
        1027,
        0,
    )
