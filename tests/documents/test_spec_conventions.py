"""Conventions real specifications use, learned from the document: clause numbers, ID schemes, lists,
obligation wording, numbered requirement lists and running furniture that varies from page to page."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.parsers import ParsedDocument, Segment, parse_document
from documents.parsers.classify_segment import Obligation, is_requirement, obligation
from documents.parsers.evaluation import RowFilter, TruthRow, id_matches, score
from documents.parsers.pdf_rows import numbered_table_rows
from documents.parsers.requirement_ids import learn_prefixes, split_id

from .pdf_factory import SpecPdf


def _parse(path: Path) -> ParsedDocument:
    return parse_document(path, filename=path.name, max_bytes=10_000_000)


def _clause_spec(path: Path) -> Path:
    spec = SpecPdf(path).heading("2.5 Balise Groups")
    for number in range(1, 7):
        spec.paragraph(f"2.5.1.{number} The balise group number {number} shall be read by the on-board unit.")
    spec.line("2.5.1.7 The driver may select one of the following modes:")
    spec.line("a) the shunting mode, when the train is at standstill;", x=100)
    spec.line("b) the staff responsible mode.", x=100)
    spec.paragraph("This unnumbered paragraph continues clause 2.5.1.7 with more detail.")
    spec.paragraph("2.5.1.8 Note: balise groups are described in chapter 3.")
    return spec.save()


def test_clause_numbers_are_ids_where_the_document_numbers_its_paragraphs(tmp_path: Path) -> None:
    # Given a spec that starts every paragraph with its clause number and letters list items under it
    document = _parse(_clause_spec(tmp_path / "spec.pdf"))

    # Then each clause number is the segment's ID, removed from its text; items are "<clause>.<letter>"
    assert [(segment.external_id, segment.text, segment.is_requirement) for segment in document.segments] == [
        *[
            (f"2.5.1.{number}", f"The balise group number {number} shall be read by the on-board unit.", True)
            for number in range(1, 7)
        ],
        ("2.5.1.7", "The driver may select one of the following modes:", True),
        ("2.5.1.7.a", "the shunting mode, when the train is at standstill;", True),
        ("2.5.1.7.b", "the staff responsible mode.", True),
        # The body of a clause-numbered document is traceable text, but notes stay informative
        (None, "This unnumbered paragraph continues clause 2.5.1.7 with more detail.", True),
        ("2.5.1.8", "Note: balise groups are described in chapter 3.", False),
    ]
    assert document.segments[7].attributes == {
        "list stem": "The driver may select one of the following modes:"
    }


def test_a_numbered_heading_with_nothing_numbered_under_it_is_a_clause_of_its_own(tmp_path: Path) -> None:
    # Given a clause-numbered spec where some numbered headings hold only a table (a message layout)
    spec = SpecPdf(tmp_path / "spec.pdf").heading("8.4 Rules")
    for number in range(1, 6):
        spec.paragraph(f"8.4.{number} Each message number {number} shall be sent as a whole by the RBC.")
    spec.heading("8.6 Definition of Radio Messages", size=14)
    spec.heading("8.6.1 Message 129: Validated Train Data", size=12)
    spec.table([["Field", "Variable"], ["1", "NID_MESSAGE"], ["2", "L_MESSAGE"]], [60.0, 200.0])
    spec.heading("8.6.2 Message 130: Request for Shunting", size=12)
    spec.table([["Field", "Variable"], ["1", "NID_MESSAGE"]], [60.0, 200.0])
    # and a paragraph whose clause number lost the tab after it
    spec.paragraph("8.6.2.1When the driver selects shunting, the on-board shall send message 130.")
    document = _parse(spec.save())

    # Then the heading with only a table under it is a clause traced by its number; the headings with
    # clauses under them only group them, and the glued number is still read as the clause's ID
    clauses = [(segment.external_id, segment.text) for segment in document.segments if segment.external_id]
    assert ("8.6.1", "Message 129: Validated Train Data") in clauses
    assert ("8.6.2.1", "When the driver selects shunting, the on-board shall send message 130.") in clauses
    assert not any(segment.text in ("Rules", "Definition of Radio Messages") for segment in document.segments)
    assert not any(number == "8.6.2" for number, _ in clauses)
    leaf = next(segment for segment in document.segments if segment.external_id == "8.6.1")
    assert leaf.section_path[-1] == "8.6.1 Message 129: Validated Train Data"


def test_small_table_text_in_a_clause_numbered_body_is_not_a_requirement_by_position(tmp_path: Path) -> None:
    # Given a clause-numbered spec with a message layout drawn without rulings in a smaller font
    spec = SpecPdf(tmp_path / "spec.pdf").heading("8.4 Rules")
    for number in range(1, 6):
        spec.paragraph(f"8.4.{number} Each message number {number} shall be sent as a whole by the RBC.")
    spec.line("Optional packets   Refer to section 8.4.4.4 of this document.", size=8.0)
    spec.line("Padding   If required by the length of the message.", size=8.0)
    spec.paragraph("The padding bits are sent after the last packet of the message body.")
    document = _parse(spec.save())

    # Then the table lines are informative while an unnumbered body paragraph is still traceable
    flags = {segment.text: segment.is_requirement for segment in document.segments}
    assert flags["The padding bits are sent after the last packet of the message body."] is True
    assert not any(flag for text, flag in flags.items() if "Padding" in text or "Optional packets" in text)


def test_a_clause_number_after_a_full_line_that_ends_a_sentence_opens_a_clause(tmp_path: Path) -> None:
    # Given a clause-numbered spec where a clause's last line fills the width and ends its sentence
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from .pdf_factory import BODY_FONT, BODY_SIZE, LEFT, RIGHT

    spec = SpecPdf(tmp_path / "spec.pdf").heading("5.9 On Sight")
    for number in range(1, 6):
        spec.paragraph(f"5.9.{number} The on-board equipment shall supervise On Sight area {number}.")

    def full_line(text: str) -> str:
        words = text.split()
        while stringWidth(" ".join(words), BODY_FONT, BODY_SIZE) < RIGHT - LEFT - 12:
            words.insert(-1, "again")
        return " ".join(words)

    first = full_line("5.9.6 Once the acknowledgement request is displayed, it stays on the screen")
    last = full_line("and is not taken back if the train leaves the rectangle") + "."
    spec.line(first)
    spec.line(last)
    spec.line("5.9.7 Until the on-board equipment has switched to OS mode, it shall supervise the area.")
    document = _parse(spec.save())

    # Then the next clause is a segment of its own, not the end of the previous one
    texts = {segment.external_id: segment.text for segment in document.segments}
    assert texts["5.9.6"].endswith(last)
    assert texts["5.9.7"].startswith("Until the on-board equipment has switched to OS mode")


def test_a_short_numbered_line_in_the_clause_font_is_a_clause_not_a_heading(tmp_path: Path) -> None:
    # Given a data dictionary: clauses in the body font, most text in smaller tables, and one variable's
    # clause printed without the tab after its number
    spec = SpecPdf(tmp_path / "spec.pdf").heading("7.5 Definitions of Variables")
    for number in range(1, 6):
        spec.paragraph(f"7.5.1.{number} The variable number {number} shall be coded as given below.")
        for row in range(8):
            spec.line(f"Length of variable {row}   Minimum 0   Maximum 255   Resolution 1", size=8.0)
    spec.line("7.5.1.6.1Q_CONFTEXTDISPLAY")
    spec.line("Name   Qualifier for text confirmation versus end of text display", size=8.0)
    document = _parse(spec.save())

    # Then the glued number is the clause's ID and the variable's name its text
    assert ("7.5.1.6.1", "Q_CONFTEXTDISPLAY") in [
        (segment.external_id, segment.text) for segment in document.segments
    ]


def test_numbers_are_not_ids_where_the_document_numbers_only_its_headings(tmp_path: Path) -> None:
    # Given a spec with numbered headings and a sentence that happens to start with a number
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("3 Power")
        .heading("3.2 Supply")
        .paragraph("The sensor shall accept any supply voltage between the two limits given below.")
        .paragraph("3.5 V is the lowest supply voltage at which the sensor shall still report.")
        .save()
    )

    document = _parse(path)

    # Then no segment gets an ID, and the number stays in the text
    assert [(segment.external_id, segment.text) for segment in document.segments] == [
        (None, "The sensor shall accept any supply voltage between the two limits given below."),
        (None, "3.5 V is the lowest supply voltage at which the sensor shall still report."),
    ]
    assert document.segments[0].section_path == ["3 Power", "3.2 Supply"]


def test_id_prefixes_are_learned_from_the_document(tmp_path: Path) -> None:
    # Given an SRS whose items carry prefixes that no fixed list knows, used consistently
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("2.5 Operating Environment")
        .paragraph("OE-1: Web Store shall operate with the following web browsers only.")
        .paragraph("OE-2: Web Store shall operate on a server running the current versions of Linux.")
        .heading("2.7 User Documentation")
        .paragraph("UD-1: The system shall provide an online help page for every screen.")
        .paragraph("UD-2: Shall deliver a printed tutorial with every licence sold.")
        .paragraph("ISO-9001: The quality system follows the standard, which is cited here once.")
        .save()
    )

    document = _parse(path)

    # Then OE-n and UD-n are IDs, removed from the text; the cited standard is not an ID
    assert [(segment.external_id, segment.text[:28]) for segment in document.segments] == [
        ("OE-1", "Web Store shall operate with"),
        ("OE-2", "Web Store shall operate on a"),
        ("UD-1", "The system shall provide an "),
        ("UD-2", "Shall deliver a printed tuto"),
        (None, "ISO-9001: The quality system"),
    ]


def test_learned_prefixes_need_capitals_and_several_numbers() -> None:
    texts = ["FR-1: a", "FR-2: b", "Figure 3: c", "Figure 4: d", "Step 1 - e", "Step 2 - f", "XY-1: g"]
    assert learn_prefixes(texts) == frozenset({"fr"})


def test_zero_padded_numbers_opening_paragraphs_are_learned_as_bare_ids() -> None:
    texts = [f"{number:04d} The system allows users to log in. Priority 1" for number in range(180, 260, 10)]
    # Too few, or not padded: a count or a year, not an ID scheme.
    assert learn_prefixes(texts[:4]) == frozenset()
    years = ["2012 was a good year.", "2013 was better.", "1999 was long ago."] * 3
    assert learn_prefixes(years) == frozenset()
    assert learn_prefixes(texts) == frozenset({"0000"})


@pytest.mark.parametrize(
    ("text", "prefixes", "expected"),
    [
        ("0260 Username Priority 1", frozenset({"0000"}), ("0260", "Username Priority 1")),
        ("1010 The system denies access.", frozenset({"0000"}), ("1010", "The system denies access.")),
        ("1010 The system denies access.", frozenset(), (None, "1010 The system denies access.")),
        ("10100 users at most.", frozenset({"0000"}), (None, "10100 users at most.")),
        ("REQ_001 The pump shall stop.", frozenset(), ("REQ_001", "The pump shall stop.")),
        ("The pump shall stop. [SSS033]", frozenset(), ("SSS033", "The pump shall stop.")),
        ("(SRS-001) The pump shall stop.", frozenset(), ("SRS-001", "The pump shall stop.")),
        ("FUN-01 The pump shall stop.", frozenset({"fun"}), ("FUN-01", "The pump shall stop.")),
        ("NFR 1 \u2014 The pump shall stop.", frozenset({"nfr"}), ("NFR 1", "The pump shall stop.")),
        ("OE-1: The pump shall stop.", frozenset({"oe"}), ("OE-1", "The pump shall stop.")),
        ("OE-1: The pump shall stop.", frozenset(), (None, "OE-1: The pump shall stop.")),
        ("EN-50128 applies to the software.", frozenset(), (None, "EN-50128 applies to the software.")),
        ("V1.4 adds the braking curves.", frozenset(), (None, "V1.4 adds the braking curves.")),
        ("2012-03-07 is the release date.", frozenset(), (None, "2012-03-07 is the release date.")),
    ],
)
def test_id_forms(text: str, prefixes: frozenset[str], expected: tuple[str | None, str]) -> None:
    assert split_id(text, prefixes) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pump shall stop.", Obligation.MANDATORY),
        ("The operator must confirm the alarm.", Obligation.MANDATORY),
        ("The logger is required to keep 90 days of records.", Obligation.MANDATORY),
        ("When the door opens, the controller shall stop the train.", Obligation.MANDATORY),
        ("While in standby, the unit shall poll the bus every second.", Obligation.MANDATORY),
        ("The solution should provide context-sensitive help.", Obligation.RECOMMENDED),
        ("It is recommended that logs are rotated daily.", Obligation.RECOMMENDED),
        ("The driver may select the shunting mode.", Obligation.OPTIONAL),
        ("The system will send a confirmation e-mail.", Obligation.DECLARATIVE),
        ("The system sends a confirmation e-mail.", None),
    ],
)
def test_obligation_forms(text: str, expected: Obligation | None) -> None:
    assert obligation(text) == expected


@pytest.mark.parametrize(
    ("text", "in_requirements", "expected"),
    [
        ("The solution should provide context-sensitive help.", False, True),
        ("The system will send a confirmation e-mail.", False, False),
        ("The system will send a confirmation e-mail.", True, True),
        ("The driver may select the shunting mode.", False, False),
        ("The driver may select the shunting mode.", True, True),
        ("The system sends a confirmation e-mail.", True, False),
        ("Intentionally deleted.", True, False),
    ],
)
def test_section_context_decides_what_wording_cannot(
    text: str, in_requirements: bool, expected: bool
) -> None:
    assert is_requirement(text, has_id=False, in_requirements=in_requirements) is expected


def test_will_obliges_in_a_requirements_section_and_obligation_is_stored(tmp_path: Path) -> None:
    path = (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("1 Overview")
        .paragraph("The store will be reachable from every browser that the customers use today.")
        .heading("2 Functional Requirements")
        .paragraph("The store will send a confirmation e-mail after every order that is placed.")
        .paragraph("The store should show the delivery date before the order is confirmed.")
        .save()
    )

    document = _parse(path)

    assert [(segment.is_requirement, segment.obligation) for segment in document.segments] == [
        (False, ""),
        (True, "declarative"),
        (True, "recommended"),
    ]


def test_running_footers_that_vary_from_page_to_page_are_removed(tmp_path: Path) -> None:
    # Given a footer whose issue number and date change on every page
    spec = SpecPdf(tmp_path / "spec.pdf", footer="ISSUE : 3.{page}.0 DATE : 0{page}/03/2012")
    for number, unit in enumerate(("pump", "valve", "heater", "fan"), start=1):
        spec.heading(f"{number} The {unit.title()}").paragraph(
            f"The {unit} shall report its status every second."
        )
        spec.new_page()
    document = _parse(spec.save())

    # Then no segment is page furniture
    assert [segment.text for segment in document.segments] == [
        f"The {unit} shall report its status every second." for unit in ("pump", "valve", "heater", "fan")
    ]


def test_a_numbered_list_in_two_columns_is_read_one_item_per_row() -> None:
    # Given a table without rulings between its rows: the number in one column, wrapped text in the next,
    # and a title row; each text line is a row of its own and the wrapped cell reaches down over two rows
    rows = [
        ["Help Module", ""],
        ["1.", "The solution should provide detailed help material for all the"],
        ["", "possible actions on all user interfaces."],
        ["2.", "The help should be accessible offline."],
    ]
    boxes = [(90.0, 164.0, 527.0, 178.0), (90.0, 178.0, 527.0, 223.0), (90.0, 201.0, 527.0, 223.0)]
    boxes.append((90.0, 223.0, 527.0, 252.0))

    items = numbered_table_rows(rows, boxes)

    assert items is not None
    assert [(item.label, item.text) for item in items] == [
        (None, "Help Module"),
        (
            "1",
            "The solution should provide detailed help material for all the possible actions on all user "
            "interfaces.",
        ),
        ("2", "The help should be accessible offline."),
    ]


def test_where_requirements_carry_ids_untagged_prose_outside_requirement_sections_is_informative(
    tmp_path: Path,
) -> None:
    # Given a spec whose requirements are all tagged REQ-n, and a user-guide sentence with "must"
    spec = SpecPdf(tmp_path / "spec.pdf").heading("1 Product Overview")
    spec.paragraph("To open a database you must use every key source that was used to create it.")
    spec.heading("2 Functional Requirements")
    for number in range(1, 11):
        spec.paragraph(f"REQ-{number}: The tool must check key source number {number} before opening.")
    document = _parse(spec.save())

    # Then the tagged passages are the requirements and the untagged sentence is informative
    assert [(segment.external_id, segment.is_requirement) for segment in document.segments] == [
        (None, False),
        *[(f"REQ-{number}", True) for number in range(1, 11)],
    ]


def test_scoring_follows_the_data_readme() -> None:
    # Given segments and truth rows: one exact, one with its ID kept in the truth text, one unprinted ID
    segments = [
        Segment(text="The balise shall be read.", order=0, is_requirement=True, external_id="2.5.1"),
        Segment(text="Password fields must match", order=1, is_requirement=True, external_id="REQ-13"),
        Segment(text="Trains stop.", order=2, is_requirement=False),
        Segment(text="An invented requirement shall exist.", order=3, is_requirement=True),
    ]
    truth = [
        TruthRow(line=1, id="2.5.1", text="The  balise shall be READ"),
        TruthRow(line=2, id="13", text="REQ-13: Password fields must match"),
        TruthRow(line=3, id="2.5.1[2]", text="Trains stop."),
        TruthRow(line=4, id="2.5.2", text="Never printed."),
    ]

    result = score(segments, truth)

    assert (result.rows, result.found, result.id_rows, result.id_equal, result.flagged) == (4, 3, 3, 2, 2)
    assert (result.flagged_segments, result.extra) == (3, 1)
    assert [miss["why"] for miss in result.misses] == ["not flagged", "not found"]
    # A requirement of the document that is not scored (a table cell's object) is not an invented one
    known = [TruthRow(line=9, id="2.5[t]1.[r][2]", text="An invented requirement shall exist.")]
    assert score(segments, truth, known).extra == 0


def test_truth_filters() -> None:
    row = {"id": "4.1[2].[t]*", "label": "Table", "project_id": "SUBSET-026-v3.3.0-chapter4"}
    assert RowFilter.parse("label=Table").accepts(row)
    assert not RowFilter.parse(r"id!~\[t\]").accepts(row)
    assert RowFilter.parse("project_id~chapter[45]").accepts(row)
    assert not RowFilter.parse("label!=Table").accepts(row)
    assert id_matches("REQ-7", "7") and id_matches("1.", "1") and not id_matches("REQ-17", "7")


def _ruled_list_page(canvas: object, rows: list[tuple[str, str]], *, gutter: bool) -> None:
    """A ruled numbered list on one page: number column, an optional 6 pt gutter, text column."""
    top = 700.0
    columns = (70.0, 100.0, 106.0, 500.0) if gutter else (70.0, 100.0, 500.0)
    text_x = columns[-2] - 1.5  # the first letter overhangs into the column on its left
    for index, (number, text) in enumerate(rows):
        y = top - 30 * index
        canvas.setFont("Helvetica", 11)  # type: ignore[attr-defined]
        if number:
            canvas.drawString(75, y - 18, number)  # type: ignore[attr-defined]
        canvas.drawString(text_x, y - 18, text)  # type: ignore[attr-defined]
        canvas.line(70, y, 500, y)  # type: ignore[attr-defined]
    bottom = top - 30 * len(rows)
    canvas.line(70, bottom, 500, bottom)  # type: ignore[attr-defined]
    for x in columns:
        canvas.line(x, top, x, bottom)  # type: ignore[attr-defined]
    canvas.showPage()  # type: ignore[attr-defined]


def test_a_numbered_list_table_over_a_page_break_keeps_its_items_whole(tmp_path: Path) -> None:
    # Given a ruled numbered list with a narrow gutter column, whose last item runs onto the next page
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "list.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    _ruled_list_page(
        canvas,
        [
            ("1.", "The system must keep an audit trail of every change."),
            ("2.", "The system should provide role-based control for the functions within"),
        ],
        gutter=True,
    )
    _ruled_list_page(
        canvas,
        [
            ("", "the system."),
            ("3.", "The system must show who made each change."),
            ("4.", "The system must log in."),
        ],
        gutter=True,
    )
    canvas.save()

    document = _parse(path)

    # Then no letter leaks into the gutter, and item 2 is one segment that ends on the second page
    assert [(segment.external_id, segment.text) for segment in document.segments] == [
        ("1", "The system must keep an audit trail of every change."),
        ("2", "The system should provide role-based control for the functions within the system."),
        ("3", "The system must show who made each change."),
        ("4", "The system must log in."),
    ]
