"""Layouts met in specifications the rules were not tuned on: each rule learns from the document itself."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

from documents.parsers import ParsedDocument, parse_document

from .pdf_factory import BODY_FONT, BODY_SIZE, BOLD_FONT, LEFT, RIGHT, SpecPdf, numbered_clauses


def _parse(path: Path) -> ParsedDocument:
    return parse_document(path, filename=path.name, max_bytes=10_000_000)


def _full(head: str, filler: str) -> str:
    """``head`` with ``filler`` repeated after it to fill a line of the body to its right margin."""
    line = head
    while stringWidth(f"{line} {filler}", BODY_FONT, BODY_SIZE) < RIGHT - LEFT:
        line = f"{line} {filler}"
    return line


# Lines of one paragraph whose glyphs differ in height: only the baselines show the lines evenly spaced.
_LINES = [
    _full("The pump controller shall display every pumping state", "by"),
    _full("so our new screen can warn users on error", "or"),
    "and it shall keep the last reported state on display.",
]


def test_fonts_set_at_size_one_and_scaled_by_the_text_matrix_read_at_their_shown_size(tmp_path: Path) -> None:
    # Given a spec whose writer sets every font at size 1 and scales it with the text matrix
    spec = SpecPdf(tmp_path / "spec.pdf", unit_fonts=True).heading("3 Pump control")
    for _ in range(6):
        for line in _LINES:
            spec.line(line)
        spec.paragraph("")

    # When it is parsed
    document = _parse(spec.save())

    # Then each wrapped paragraph is one segment under its heading, not one segment per line
    requirements = [s for s in document.segments if s.is_requirement]
    assert [s.text for s in requirements] == [" ".join(_LINES)] * 6
    assert all(s.section_path == ["3 Pump control"] for s in requirements)


def test_a_lettered_clause_numbered_in_full_is_traced_by_that_number(tmp_path: Path) -> None:
    # Given a document numbering its paragraphs, with list items numbered in full with a letter ("3.1.6.a")
    spec = numbered_clauses(SpecPdf(tmp_path / "spec.pdf").heading("3 Pump data"), "3.1", 6)
    spec.paragraph("3.1.6.a There must be a means to correct a reported state by hand after a sensor fault.")
    spec.paragraph("3.1.6.b) The pump controller shall log every correction made by hand with its author.")

    # When it is parsed
    document = _parse(spec.save())

    # Then each item is traced by its full number, without the number in its text
    lettered = [s for s in document.segments if s.external_id and s.external_id[-1].isalpha()]
    items = {s.external_id: s.text for s in lettered}
    assert items == {
        "3.1.6.a": "There must be a means to correct a reported state by hand after a sensor fault.",
        "3.1.6.b": "The pump controller shall log every correction made by hand with its author.",
    }


def _bold_line(head: str) -> str:
    """``head`` filled to the right margin in bold with long words: few enough on the line for it alone
    to look like a title."""
    line = head
    for word in ("instrumentation", "documentation", "maintenance", "records", "and", "of", "a"):
        while stringWidth(f"{line} {word}", BOLD_FONT, BODY_SIZE) < RIGHT - LEFT:
            line = f"{line} {word}"
    return line


def test_an_emphasised_introduction_over_several_lines_is_a_paragraph_not_a_heading(tmp_path: Path) -> None:
    # Given a section opening with a bold paragraph of three lines ending with a full stop
    spec = SpecPdf(tmp_path / "spec.pdf").heading("2 Data requirements")
    intro = [
        _bold_line("Pumping characteristics,"),
        _bold_line("configuration documentation,"),
        "are recorded for every installation.",
    ]
    for line in intro:
        spec.line(line, font=BOLD_FONT)
    spec.paragraph("")
    for _ in range(3):
        spec.paragraph("The pump controller shall record the running hours of every pump once a minute.")

    # When it is parsed
    document = _parse(spec.save())

    # Then the introduction is a paragraph of its own, and the section of what follows stays the heading
    texts = [s.text for s in document.segments]
    assert " ".join(intro) in texts
    assert all(s.section_path == ["2 Data requirements"] for s in document.segments)


def test_page_numbers_counted_per_chapter_are_no_text(tmp_path: Path) -> None:
    # Given pages numbered per chapter ("2 - 3", "A-1") under the text, with no running footer
    spec = SpecPdf(tmp_path / "spec.pdf", footer=None).heading("2 Pump control")
    spec.paragraph("The pump controller shall report the state of every pump to the operator panel.")
    spec.page_label("2 - 3").new_page().heading("Appendix A")
    spec.paragraph("The pump controller shall keep a log of every state it reported to the operator panel.")
    spec.page_label("A-1")

    # When it is parsed
    document = _parse(spec.save())

    # Then the page numbers are dropped with the rest of the page furniture
    assert [s.text for s in document.segments] == [
        "The pump controller shall report the state of every pump to the operator panel.",
        "The pump controller shall keep a log of every state it reported to the operator panel.",
    ]


def test_glossary_entries_in_a_numbered_body_are_informative(tmp_path: Path) -> None:
    # Given a document numbering its paragraphs, whose glossary lists "Term \u2013 meaning" entries
    spec = numbered_clauses(SpecPdf(tmp_path / "spec.pdf").heading("1 Scope"), "1.1", 6)
    spec.heading("1.2 Definitions")
    spec.paragraph("Backend \u2013 A computer system that processes the data received from the pump sensors.")
    spec.paragraph("e2e \u2013 End-to-End System (archive)")
    spec.paragraph("Standby mode \u2013 the pump controller shall keep every pump stopped in this mode.")

    # When it is parsed
    document = _parse(spec.save())

    # Then the entries that define a term are informative, and one that obliges stays a requirement
    flags = {s.text.split(" \u2013 ")[0]: s.is_requirement for s in document.segments if "\u2013" in s.text}
    assert flags == {"Backend": False, "e2e": False, "Standby mode": True}


def test_an_id_in_a_heading_names_the_requirement_under_it(tmp_path: Path) -> None:
    # Given headings ending with a requirement ID, the requirement's text in a subsection below each
    spec = SpecPdf(tmp_path / "spec.pdf").heading("3.1 Determine Pump Mode (SRS-010)")
    spec.heading("3.1.1 Introduction", size=11.0)
    spec.paragraph("The pump controller shall switch a pump to standby mode when its inlet pressure drops.")
    spec.heading("3.1.2 Processing", size=11.0)
    spec.paragraph("The pump controller shall check the inlet pressure of every pump once a second.")
    spec.heading("3.2 Report Pump State (SRS-011)")
    spec.paragraph("The pump controller shall report the state of every pump to the operator panel.")

    # When it is parsed
    document = _parse(spec.save())

    # Then the first requirement under each heading carries its ID, and the others name it
    assert [(s.external_id, s.attributes.get("heading ID")) for s in document.segments] == [
        ("SRS-010", None),
        (None, "SRS-010"),
        ("SRS-011", None),
    ]


def test_justified_paragraphs_with_wide_line_spacing_beside_wider_tables_stay_whole(tmp_path: Path) -> None:
    # Given paragraphs justified at 1.6 line spacing, and single-spaced rows running past the right margin
    text = (
        "The pump controller shall report the state of every pump to the operator panel within one second "
        "of any change, and it shall keep the last reported state on display until the operator has "
        "acknowledged it, whatever the number of pumps connected to the panel at that time."
    )
    spec = SpecPdf(tmp_path / "spec.pdf").heading("3 Pump control")
    for _ in range(3):
        spec.justified_paragraph(text)
    for row in range(12):
        columns = f"Pump {row:02d}    inlet pressure sensor    outlet pressure sensor    flow meter    "
        spec.line(columns + "x" * (24 + row))

    # When it is parsed
    document = _parse(spec.save())

    # Then each paragraph is one segment: its lines run to the text's own margin, at the text's own pitch
    assert [s.text for s in document.segments if s.is_requirement] == [text] * 3


def test_bullets_from_a_symbol_font_open_list_items(tmp_path: Path) -> None:
    # Given a list whose bullets are a letter of a symbol font, under a sentence introducing it
    spec = SpecPdf(tmp_path / "spec.pdf").heading("2 Users")
    spec.paragraph("The pump panel serves three kinds of users, each with a screen of their own.")
    users = ["Operators, who start and stop the pumps", "Engineers, who tune the pumps", "Auditors"]
    for user in users:
        spec.symbol_bullet_line(user)

    # When it is parsed
    document = _parse(spec.save())

    # Then each item is a segment of its own, without the letter standing for the bullet
    texts = [s.text for s in document.segments]
    assert texts[-3:] == users


def test_a_numbered_heading_over_prose_is_a_section_title_where_clauses_are_numbered(tmp_path: Path) -> None:
    # Given a document that numbers its requirement paragraphs in chapter 3, and whose chapter 2 numbers
    # only its headings, each over a paragraph describing the product (as IEEE 830 documents do)
    spec = SpecPdf(tmp_path / "spec.pdf").heading("2 Overall description")
    spec.heading("2.1 Product perspective", size=12.0)
    spec.paragraph(
        "The pump station controller is part of the plant automation and exchanges its data with the "
        "supervisory system over the plant network."
    )
    spec.heading("2.2 Users", size=12.0)
    spec.paragraph(
        "Operators on shift and maintenance technicians use the controller from the panel in the pump hall "
        "and from the control room."
    )
    numbered_clauses(spec.heading("3 Requirements"), "3.1", 6)

    # When it is parsed
    document = _parse(spec.save())

    # Then the headings are no requirements of their own, the description under them is informative, and
    # the numbered clauses stay requirements traced by their numbers
    chapter_2 = [s for s in document.segments if s.section_path[:1] == ["2 Overall description"]]
    assert [s.text[:24] for s in chapter_2] == ["The pump station control", "Operators on shift and m"]
    assert not any(s.is_requirement for s in chapter_2)
    clauses = [s.external_id for s in document.segments if s.is_requirement]
    assert clauses == [f"3.1.{number}" for number in range(1, 7)]
