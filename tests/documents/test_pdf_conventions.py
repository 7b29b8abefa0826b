"""Conventions a PDF teaches about itself: lists laid out without markers, dashes and letters that only
look like list markers, and an ID scheme that says which passages are requirements."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

from documents.parsers import ParsedDocument, parse_document

from .pdf_factory import BODY_FONT, BODY_SIZE, LEFT, RIGHT, SpecPdf, numbered_clauses


def _parse(path: Path) -> ParsedDocument:
    return parse_document(path, filename=path.name, max_bytes=10_000_000)


def test_short_lines_under_a_clause_announcing_a_list_are_its_items(tmp_path: Path) -> None:
    # Given a document that numbers its clauses, with a clause announcing a list printed without markers
    spec = numbered_clauses(SpecPdf(tmp_path / "spec.pdf").heading("3 Modes"), "3.1", 6)
    spec.paragraph("3.1.7 List of the modes:").paragraph("Full Supervision (FS)").paragraph("Shunting (SH)")
    spec.paragraph("3.1.8 The pump controller shall start in Shunting mode after a reset of the panel.")

    # When it is parsed
    document = _parse(spec.save())

    # Then each short line is an item of the list, kept even when it has two words, and traced like it
    items = [s for s in document.segments if s.attributes.get("list stem") == "List of the modes:"]
    assert [(s.text, s.is_requirement) for s in items] == [
        ("Full Supervision (FS)", True),
        ("Shunting (SH)", True),
    ]


def _full(head: str, tail: str = "") -> str:
    """``head`` and ``tail`` with short words between them filling a line of the body to its right
    margin, as the lines of a justified paragraph do."""
    while True:
        longer = f"{head} of {tail}".strip()
        if stringWidth(longer, BODY_FONT, BODY_SIZE) > RIGHT - LEFT:
            return f"{head} {tail}".strip()
        head = f"{head} of"


def test_a_dash_or_a_letter_opening_a_wrapped_line_stays_in_its_sentence(tmp_path: Path) -> None:
    # Given clauses whose wrapped lines start with a dash and with "o)" although no list is meant
    spec = numbered_clauses(SpecPdf(tmp_path / "spec.pdf").heading("3 Display"), "3.1", 6)
    spec.line(_full("3.1.7 The controller shall display the train speed"))
    spec.line(_full("to the driver", "(this list is not exhaustive"))
    spec.line("\u2013 refer to chapter 4.7 of this specification).").line("")
    spec.line(_full("3.1.8 Clauses 3.11.9.1, 3.12.5.1, 3.12.5.2, 3.12.5.4, 3.12.5.5, 3.12.5.6"))
    spec.line("o) shall not apply.")

    # When it is parsed
    document = _parse(spec.save())

    # Then each clause is one segment with its whole sentence
    by_id = {s.external_id: s.text for s in document.segments}
    assert by_id["3.1.7"].endswith("exhaustive \u2013 refer to chapter 4.7 of this specification).")
    assert by_id["3.1.8"].endswith(" o) shall not apply.")
    assert "3.1.8.o" not in by_id


def _tagged(spec: SpecPdf, count: int) -> SpecPdf:
    for number in range(1, count + 1):
        spec.paragraph(f"REQ-{number}: The system shall record event number {number} in the audit log.")
    return spec


def test_where_the_author_tags_every_requirement_an_untagged_will_describes(tmp_path: Path) -> None:
    # Given requirements that all carry an ID, and a "will" sentence without one in the same section
    spec = _tagged(SpecPdf(tmp_path / "spec.pdf").heading("3 Functional Requirements"), 12)
    spec.paragraph("For the user interface, common GUI standards will be followed throughout the product.")

    # When it is parsed
    document = _parse(spec.save())

    # Then the tagged ones are requirements and the untagged "will" is description
    flags = {s.text[:20]: s.is_requirement for s in document.segments}
    assert flags["For the user interfa"] is False
    assert sum(s.is_requirement for s in document.segments) == 12


def test_an_untagged_shall_stays_a_requirement_unless_the_author_left_out_almost_none(tmp_path: Path) -> None:
    # Given twelve tagged requirements and one untagged "shall" sentence in a requirements section
    spec = _tagged(SpecPdf(tmp_path / "spec.pdf").heading("3 Functional Requirements"), 12)
    spec.paragraph("The system shall keep the audit log for ninety days on the local disk.")

    # When it is parsed
    document = _parse(spec.save())

    # Then a dozen is too few to call the author thorough: the "shall" stays a requirement
    assert [s.text for s in document.segments if s.is_requirement and not s.external_id] == [
        "The system shall keep the audit log for ninety days on the local disk."
    ]


def test_a_short_bulleted_item_is_kept(tmp_path: Path) -> None:
    # Given a clause whose list has a two-word item
    spec = numbered_clauses(SpecPdf(tmp_path / "spec.pdf").heading("3 Display"), "3.1", 6)
    spec.paragraph("3.1.7 The display shall indicate whether the function is executed")
    spec.paragraph("\u2022 automatically, or").paragraph("\u2022 when the driver is requested to act.")

    # When it is parsed
    texts = [s.text for s in _parse(spec.save()).segments]

    # Then both items are segments: the bullet says they are content, not scraps of a drawing
    assert texts[-2:] == ["automatically, or", "when the driver is requested to act."]


def test_numbered_entries_of_a_references_section_are_citations_not_requirements(tmp_path: Path) -> None:
    # Given a document that numbers its paragraphs, with a numbered list of references before its clauses
    spec = SpecPdf(tmp_path / "spec.pdf").heading("1 Introduction").heading("1.4 References")
    spec.paragraph("1.4.1 ANSI/IEEE Std 830-1998, IEEE Recommended Practice for Software Requirements")
    spec.paragraph("1.4.2 EVLA Memo No. 15, Scientific Requirements for the EVLA Real-Time System")
    spec = numbered_clauses(spec.heading("3 Requirements").heading("3.1 Pumps"), "3.1", 8)

    # When it is parsed
    document = _parse(spec.save())

    # Then each reference keeps its number but is informative, and the clauses stay requirements
    flags = {s.external_id: s.is_requirement for s in document.segments if s.external_id}
    assert {key: flags[key] for key in ("1.4.1", "1.4.2")} == {"1.4.1": False, "1.4.2": False}
    assert [flags[f"3.1.{n}"] for n in range(1, 9)] == [True] * 8


def test_a_table_row_written_with_will_obliges_where_its_section_holds_requirements(tmp_path: Path) -> None:
    # Given the same "Purpose / Processing" table once under a description and once under requirements
    rows = [
        ["Item", "Description"],
        ["Processing", "The component will wait until the user selects a button on the menu."],
        ["Outputs", "The component will display the main menu of the game to the user."],
    ]
    spec = SpecPdf(tmp_path / "spec.pdf").heading("2 Overall Description").table(rows, widths=[80, 340])
    spec.heading("3 Functional Requirements").table(rows, widths=[80, 340])

    # When it is parsed
    document = _parse(spec.save())

    # Then the rows oblige under the requirements heading only, as its paragraphs would
    flags = [(s.section_path[-1], s.is_requirement, s.obligation) for s in document.segments]
    assert flags == [
        ("2 Overall Description", False, ""),
        ("2 Overall Description", False, ""),
        ("3 Functional Requirements", True, "declarative"),
        ("3 Functional Requirements", True, "declarative"),
    ]


def test_a_table_of_contents_drawn_as_a_table_lists_entries_not_requirements(tmp_path: Path) -> None:
    # Given a table of contents drawn as a ruled table of module codes, before a requirements table
    contents = [["No", "Module"], ["A1", "REGISTRATION"], ["A2", "INVESTIGATION"]]
    requirements = [["ID", "Requirement"], ["REG-101", "The system shall register a complaint."]]
    spec = SpecPdf(tmp_path / "spec.pdf").heading("Table of Contents").table(contents, widths=[60, 300])
    spec.heading("1 Registration Requirements").table(requirements, widths=[60, 300])

    # When it is parsed
    document = _parse(spec.save())

    # Then the contents' rows keep their codes but are informative; the requirement stays one
    assert [(s.external_id, s.is_requirement) for s in document.segments] == [
        ("A1", False),
        ("A2", False),
        ("REG-101", True),
    ]


def test_a_numbered_list_under_a_numbered_heading_is_a_list_not_new_chapters(tmp_path: Path) -> None:
    # Given a use case's numbered steps in the body font, each on a line of its own, under "3.7.2.1"
    spec = SpecPdf(tmp_path / "spec.pdf").heading("3.7 Modify group").heading("3.7.2.1 Basic Data Flow")
    spec.paragraph("1. User opens KeePass and selects modify group")
    spec.paragraph("2. User types the new name")
    spec.paragraph("3. User selects OK")
    spec.heading("3.7.3 Functional Requirements")
    spec.paragraph("REQ-9: A name is required in order for the group to be renamed.")

    # When it is parsed
    document = _parse(spec.save())

    # Then the steps are segments of their section, and the requirement keeps its own section
    steps = [s for s in document.segments if "User " in s.text]
    assert [s.section_path[-1] for s in steps] == ["3.7.2.1 Basic Data Flow"] * 3
    requirement = next(s for s in document.segments if s.external_id == "REQ-9")
    assert requirement.section_path[-1] == "3.7.3 Functional Requirements"
