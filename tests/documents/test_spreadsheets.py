"""Excel, legacy Excel and CSV: header below title rows, column roles, hidden content, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.parsers import LegacyFormatUnsupported, parse_document

from .workbook_factory import ROWS, requirements_workbook, with_cached_formula


def test_xlsx_header_is_found_below_title_note_and_blank_rows(tmp_path: Path) -> None:
    # Given a workbook with a merged title, a note and a blank row above the header
    path = requirements_workbook(tmp_path / "reqs.xlsx")

    # When it is parsed
    document = parse_document(path, filename="reqs.xlsx", max_bytes=10_000_000)

    # Then every data row is a requirement with its ID, text, provenance and other columns as attributes
    assert [(s.external_id, s.text, s.sheet, s.row, s.column) for s in document.segments] == [
        (row[0], row[2], "Pump", number, "C") for number, row in enumerate(ROWS, start=5)
    ]
    first = document.segments[0]
    assert first.attributes == {"Summary": "Start", "Rationale": "Operators expect it.", "Component": "Pump"}
    assert first.section_path == ["Pump", "Start"]
    assert first.section_title == "Start"
    assert all(segment.is_requirement for segment in document.segments)
    # The blank row has no cells, so the file holds no row for it
    assert document.row_count == 6


def test_xlsx_hidden_rows_and_sheets_are_skipped(tmp_path: Path) -> None:
    path = requirements_workbook(tmp_path / "reqs.xlsx", hidden_row=6, hidden_sheet=True)

    document = parse_document(path, filename="reqs.xlsx", max_bytes=10_000_000)

    assert [segment.external_id for segment in document.segments] == ["PMP-001", "PMP-003"]
    assert document.warnings == ["Sheet 'Internal' is hidden and was skipped."]


def test_xlsx_formula_cells_give_their_cached_value(tmp_path: Path) -> None:
    path = with_cached_formula(
        requirements_workbook(tmp_path / "reqs.xlsx"),
        cell="C5",
        formula='"The pump shall "&amp;"start."',
        cached="The pump shall start.",
    )

    document = parse_document(path, filename="reqs.xlsx", max_bytes=10_000_000)

    assert document.segments[0].text == "The pump shall start."


def test_csv_is_read_with_its_delimiter_and_header(tmp_path: Path) -> None:
    # Given a semicolon-separated export with a Description column and IDs embedded in no column
    path = tmp_path / "export.csv"
    path.write_text(
        "Identifier;Description;Priority\n"
        "SRS-001;The logger shall write one record per second.;High\n"
        "SRS-002;Records are kept in UTC.;Low\n"
        ";;\n"
        "SRS-003;The logger must compress records older than a day.;Medium\n",
        encoding="utf-8",
    )

    document = parse_document(path, filename="export.csv", max_bytes=10_000_000)

    assert [(s.external_id, s.text, s.is_requirement, s.row, s.attributes) for s in document.segments] == [
        ("SRS-001", "The logger shall write one record per second.", True, 2, {"Priority": "High"}),
        ("SRS-002", "Records are kept in UTC.", True, 3, {"Priority": "Low"}),
        ("SRS-003", "The logger must compress records older than a day.", True, 5, {"Priority": "Medium"}),
    ]


def test_csv_in_windows_code_page_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("ID,Text\nREQ-1,The display shall show \u00b0C and \u00b5s.\n".encode("cp1252"))

    document = parse_document(path, filename="export.csv", max_bytes=10_000_000)

    assert document.segments[0].text == "The display shall show \u00b0C and \u00b5s."


def test_text_column_is_chosen_by_content_when_no_header_names_it(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Key,Owner,Wording\n"
        "A-100,Ann,The valve shall close when power is lost.\n"
        "A-101,Bob,The valve shall report its position every second.\n",
        encoding="utf-8",
    )

    document = parse_document(path, filename="export.csv", max_bytes=10_000_000)

    assert [(s.external_id, s.column, s.attributes) for s in document.segments] == [
        ("A-100", "C", {"Owner": "Ann"}),
        ("A-101", "C", {"Owner": "Bob"}),
    ]


def test_short_ids_of_an_id_column_and_several_in_a_cell_make_their_rows_requirements(tmp_path: Path) -> None:
    # Given an export whose ID column holds the author's short IDs, one row tracing to several, and a
    # row number column beside it
    path = tmp_path / "export.csv"
    path.write_text(
        "No,Req ID,Description\n"
        "1,UI1,The dashboard will list the open permits.\n"
        "2,EW11b RW16 SR20,Track the movement of lapsed quantities in an area.\n"
        "3,,Permits are renewed every five years.\n",
        encoding="utf-8",
    )

    document = parse_document(path, filename="export.csv", max_bytes=10_000_000)

    # Then a row with an ID is a requirement whatever its wording; a row without one is read by its words
    assert [(s.external_id, s.is_requirement) for s in document.segments] == [
        ("UI1", True),
        ("EW11b RW16 SR20", True),
        (None, False),
    ]


def test_damaged_legacy_xls_is_refused_with_conversion_advice(tmp_path: Path) -> None:
    # Given a file with the OLE2 signature of a legacy workbook but no workbook inside
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)

    with pytest.raises(LegacyFormatUnsupported) as raised:
        parse_document(path, filename="old.xls", max_bytes=10_000_000)

    assert "save it as .xlsx" in raised.value.user_message
