"""PDF parsing rules on small generated specs whose layout is known exactly."""

from __future__ import annotations

from pathlib import Path

from documents.parsers import ParsedDocument, parse_document

from .pdf_factory import SpecPdf

LONG_REQUIREMENT = (
    "When the inlet pressure drops below the configured minimum for more than two seconds, the pump "
    "controller shall stop the pump, close the inlet valve and raise a low-pressure alarm on the operator "
    "panel within one hundred milliseconds."
)


def _parse(path: Path) -> ParsedDocument:
    return parse_document(path, filename=path.name, max_bytes=10_000_000)


def test_numbered_headings_give_section_path_and_ids_are_split_off(tmp_path: Path) -> None:
    # Given a spec with numbered headings, IDs in front of requirements and rationale paragraphs
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("3 Safety", size=14)
        .heading("3.2 Braking")
        .paragraph("REQ-12: The brake controller shall engage the brake within 200 ms of a stop command.")
        .paragraph(
            "Rationale: the brake controller shall be quick because stopping distance grows with delay."
        )
        .heading("3.3 Pressure")
        .paragraph(f"[R-3] {LONG_REQUIREMENT}")
        .save()
    )

    # When it is parsed
    document = _parse(path)

    # Then each paragraph is a segment under its heading, with its ID split off
    assert [
        (s.external_id, s.section_path, s.section_title, s.is_requirement) for s in document.segments
    ] == [
        ("REQ-12", ["3 Safety", "3.2 Braking"], "Braking", True),
        (None, ["3 Safety", "3.2 Braking"], "Braking", False),
        ("R-3", ["3 Safety", "3.3 Pressure"], "Pressure", True),
    ]
    assert (
        document.segments[0].text
        == "The brake controller shall engage the brake within 200 ms of a stop command."
    )
    assert document.segments[2].text == LONG_REQUIREMENT
    assert document.page_count == 1


def test_running_header_footer_and_page_numbers_are_removed(tmp_path: Path) -> None:
    # Given three pages that each carry the same header and a footer with the page number
    sentences = [
        "The controller shall log every start of the pump in the event journal.",
        "The controller shall keep the event journal for at least ninety days.",
        "The operator panel shall show the last ten journal entries.",
    ]
    spec = SpecPdf(tmp_path / "spec.pdf").heading("1 Scope")
    for page, sentence in enumerate(sentences):
        if page:
            spec.new_page()
        spec.paragraph(sentence)

    # When it is parsed
    document = _parse(spec.save())

    # Then no segment contains header, footer or page number text
    assert [(segment.text, segment.page) for segment in document.segments] == [
        (sentence, page) for page, sentence in enumerate(sentences, start=1)
    ]


def test_paragraph_is_joined_across_a_page_break(tmp_path: Path) -> None:
    # Given a paragraph whose first line fills the width and whose rest is on the next page
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("1 Scope")
        .paragraph(LONG_REQUIREMENT, page_break_after=1)
        .save()
    )

    # When it is parsed
    document = _parse(path)

    # Then it is one segment, on the page where it starts
    assert [(segment.text, segment.page) for segment in document.segments] == [(LONG_REQUIREMENT, 1)]


def test_line_end_hyphenation_is_repaired_but_compounds_keep_their_hyphen(tmp_path: Path) -> None:
    # Given "allo-cated" split by the typesetter (the document writes "allocated" elsewhere) and
    # "command-specified" split at its own hyphen (the document writes it hyphenated elsewhere)
    spec = SpecPdf(tmp_path / "spec.pdf").heading("1 Memory")
    spec.paragraph("Buffers are allocated at start-up and the command-specified limit applies.")
    spec.line("The memory manager shall release every buffer that was previously allo-")
    spec.line("cated to a task when the task ends, and shall reject any further command-")
    spec.line("specified allocation.")
    document = _parse(spec.save())

    # Then the first hyphen is removed and the second kept
    assert document.segments[1].text == (
        "The memory manager shall release every buffer that was previously allocated to a task when the task "
        "ends, and shall reject any further command-specified allocation."
    )


def test_list_items_become_segments_with_their_stem_as_context(tmp_path: Path) -> None:
    # Given a requirement whose sentence ends with a colon and is followed by bullet items
    spec = SpecPdf(tmp_path / "spec.pdf").heading("2 Reports")
    spec.line("The controller shall report the following values:")
    spec.line("\u2022 the inlet pressure;")
    spec.line("\u2022 the outlet pressure.")
    spec.paragraph("This paragraph explains how operators read the report.")
    document = _parse(spec.save())

    # Then each item is a requirement of its own, without its bullet, with the stem kept as context
    assert [(segment.text, segment.is_requirement, segment.attributes) for segment in document.segments] == [
        ("The controller shall report the following values:", True, {}),
        ("the inlet pressure;", True, {"list stem": "The controller shall report the following values:"}),
        ("the outlet pressure.", True, {"list stem": "The controller shall report the following values:"}),
        ("This paragraph explains how operators read the report.", False, {}),
    ]


def test_unnumbered_headings_are_found_by_font(tmp_path: Path) -> None:
    # Given headings without numbers, set in a larger bold font
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("Safety Requirements", size=16)
        .heading("Braking", size=13)
        .paragraph("The brake controller shall engage the brake within 200 ms of a stop command.")
        .save()
    )

    document = _parse(path)

    assert [(s.section_path, s.section_title) for s in document.segments] == [
        (["Safety Requirements", "Braking"], "Braking")
    ]


def test_table_row_with_requirement_text_becomes_a_requirement_with_attributes(tmp_path: Path) -> None:
    # Given a ruled table with an ID column, a requirement column and a priority column
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("4 Interfaces")
        .paragraph("The table below lists the interface requirements of the controller.")
        .table(
            [
                ["ID", "Requirement", "Priority"],
                ["IF-001", "The controller shall expose a Modbus TCP server.", "High"],
                ["IF-002", "The controller shall accept time from an NTP source.", "Low"],
            ],
            widths=[60, 300, 60],
        )
        .save()
    )

    document = _parse(path)

    rows = [s for s in document.segments if s.attributes]
    assert [(s.external_id, s.text, s.attributes, s.is_requirement, s.section_title) for s in rows] == [
        (
            "IF-001",
            "The controller shall expose a Modbus TCP server.",
            {"Priority": "High"},
            True,
            "Interfaces",
        ),
        (
            "IF-002",
            "The controller shall accept time from an NTP source.",
            {"Priority": "Low"},
            True,
            "Interfaces",
        ),
    ]
    # The table's text is not repeated as paragraphs
    assert len(document.segments) == 3
    assert all(segment.page == 1 and segment.bbox is not None for segment in document.segments)


def test_table_drawn_as_boxes_or_as_filled_bars_reads_like_a_ruled_grid(tmp_path: Path) -> None:
    # Given the same table drawn with grid lines, as a closed rectangle per cell, and as thin filled bars
    rows = [
        ["ID", "Requirement", "Priority"],
        ["IF-001", "The controller shall expose a Modbus TCP server.", "High"],
        ["IF-002", "The controller shall accept time from an NTP source.", "Low"],
    ]
    ruled = SpecPdf(tmp_path / "ruled.pdf").table(rows, widths=[60, 300, 60]).save()
    boxed = SpecPdf(tmp_path / "boxed.pdf").table(rows, widths=[60, 300, 60], boxed=True).save()
    bars = SpecPdf(tmp_path / "bars.pdf").table(rows, widths=[60, 300, 60], bars=True).save()

    first, again = _parse(boxed), _parse(boxed)

    def rows_of(document: ParsedDocument) -> list[tuple[str | None, str, dict[str, str], object]]:
        # A bar's box comes from PDFium in single precision: the same to a hundredth of a point.
        return [
            (s.external_id, s.text, s.attributes, tuple(round(v, 2) for v in s.bbox or ()))
            for s in document.segments
        ]

    assert rows_of(first) == rows_of(again) == rows_of(_parse(ruled)) == rows_of(_parse(bars))
    assert [s.external_id for s in first.segments] == ["IF-001", "IF-002"]


def test_table_cell_with_several_paragraphs_and_a_list_gives_one_segment_each(tmp_path: Path) -> None:
    # Given a procedure table whose text cells hold several paragraphs (spaced apart, or a finished
    # sentence on a short line) and a bulleted list under a stem
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("5 Procedure")
        .table(
            [
                ["ID", "Requirement"],
                [
                    "S1",
                    "If the inlet pressure is valid, the controller shall go\nto S2\n\n"
                    "If the inlet pressure is invalid, the controller shall\nraise an alarm.",
                ],
                [
                    "S2",
                    "The controller shall open the valve.\nThe controller shall report:\n"
                    "\u2022 the inlet pressure;\n\u2022 the outlet pressure.",
                ],
            ],
            widths=[40, 300],
        )
        .save()
    )

    # When it is parsed
    document = _parse(path)

    # Then each paragraph and item is a segment: the row's ID names the first, the others carry it
    rows = [(s.external_id, s.text, s.attributes, s.is_requirement) for s in document.segments]
    assert rows == [
        ("S1", "If the inlet pressure is valid, the controller shall go to S2", {}, True),
        (None, "If the inlet pressure is invalid, the controller shall raise an alarm.", {"ID": "S1"}, True),
        ("S2", "The controller shall open the valve.", {}, True),
        (None, "The controller shall report:", {"ID": "S2"}, True),
        (
            None,
            "the inlet pressure;",
            {"ID": "S2", "list stem": "The controller shall report:"},
            True,
        ),
        (
            None,
            "the outlet pressure.",
            {"ID": "S2", "list stem": "The controller shall report:"},
            True,
        ),
    ]


def test_bbox_is_in_top_left_page_coordinates(tmp_path: Path) -> None:
    path = SpecPdf(tmp_path / "spec.pdf").heading("1 Scope").paragraph(LONG_REQUIREMENT).save()

    (segment,) = _parse(path).segments

    assert segment.bbox is not None
    x0, top, x1, bottom = segment.bbox
    # The paragraph starts at the left margin, below the heading near the top of an A4 page (842 pt high)
    assert round(x0) == 72
    assert 100 < top < bottom < 200
    assert x1 <= 523.3


def test_progress_reports_every_page(tmp_path: Path) -> None:
    spec = SpecPdf(tmp_path / "spec.pdf").heading("1 Scope").paragraph(LONG_REQUIREMENT)
    spec.new_page().paragraph("The pump controller shall report its firmware version on request.")
    calls: list[tuple[int, int]] = []

    parse_document(
        spec.save(), filename="spec.pdf", on_progress=lambda done, total: calls.append((done, total))
    )

    assert calls == [(1, 2), (2, 2)]


def test_pages_without_text_are_reported(tmp_path: Path) -> None:
    # Given a digital spec with one scanned page in the middle
    spec = SpecPdf(tmp_path / "spec.pdf").heading("1 Scope").paragraph(LONG_REQUIREMENT)
    spec.new_page(furniture=False).image_only_page()
    spec.new_page().paragraph("The pump controller shall report its firmware version on request.")

    document = _parse(spec.save())

    # Then the text pages are parsed and the user is told which page has no text
    assert len(document.segments) == 2
    assert document.warnings == ["1 of 3 pages have no text layer (scanned?): pages 2."]


def test_table_whose_header_cells_are_set_in_from_its_columns_is_read_by_column(tmp_path: Path) -> None:
    # Given a requirements table whose header row is drawn as boxes set in from the body's columns, so
    # that the rulings cut each column into slivers and no grid column holds a header and its values
    rows = [
        ["Req ID", "Requirement Statement", "Use Case"],
        ["JY4 SR7", "Report on the history of irrigation credits by area.", "View Report"],
        ["SR12a", "Report on the permits that have been relocated by a holder.", "View Permit"],
    ]
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("4 Requirements")
        .table(rows, widths=[70, 280, 90], inset_header=True)
    )

    # When it is parsed
    document = _parse(path.save())

    # Then each row is a requirement with its IDs, its statement and its use case under the header's names
    assert [(s.external_id, s.text, s.attributes, s.is_requirement) for s in document.segments] == [
        ("JY4 SR7", rows[1][1], {"Use Case": "View Report"}, True),
        ("SR12a", rows[2][1], {"Use Case": "View Permit"}, True),
    ]


def test_a_table_whose_text_column_is_empty_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    # Given a field table whose only text column ("Comment") is empty in every row
    rows = [["Variable", "Length", "Comment"], ["NID_PACKET", "8", ""], ["Q_DIR", "2", ""]]
    spec = SpecPdf(tmp_path / "spec.pdf").heading("7 Packets").table(rows, widths=[120, 60, 240])
    spec.paragraph("The on-board shall read every packet it receives.")

    # When it is parsed
    document = _parse(spec.save())

    # Then the rest is read and the document's warnings say which table was not
    assert [s.text for s in document.segments if s.is_requirement] == [
        "The on-board shall read every packet it receives."
    ]
    assert not any("NID_PACKET" in s.text for s in document.segments)
    assert document.warnings == [
        "1 ruled table on page 1 could not be read as rows of text (no column holds their rows' text): "
        "their content is not among the segments."
    ]
