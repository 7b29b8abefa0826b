"""The text rules on their own: requirement IDs, requirement-or-informative, heading shapes, sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.parsers.classify_segment import is_reference_matter, is_requirement
from documents.parsers.headings import NumberedHeading, SectionTracker, match_numbered, reads_as_title
from documents.parsers.pdf_blocks import continues_outline
from documents.parsers.requirement_ids import looks_like_id, split_id
from documents.parsers.sniff import sniff_kind
from documents.parsers.tabular import column_letter, find_header
from documents.parsers.types import DocumentKind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("REQ-12 The pump shall start.", ("REQ-12", "The pump shall start.")),
        ("SRS-001: The pump shall start.", ("SRS-001", "The pump shall start.")),
        ("cES1014.1 The cFE shall log.", ("cES1014.1", "The cFE shall log.")),
        ("[R-3] The pump shall start.", ("R-3", "The pump shall start.")),
        ("The pump shall start. [R-3]", ("R-3", "The pump shall start.")),
        (
            "R-WP2/D2.6-02-047.01 The SFM shall be modelled.",
            ("R-WP2/D2.6-02-047.01", "The SFM shall be modelled."),
        ),
        ("EN-50128 applies to railway software.", (None, "EN-50128 applies to railway software.")),
        ("V1.4 of the document is final.", (None, "V1.4 of the document is final.")),
        ("D2.5 defines the benchmark.", (None, "D2.5 defines the benchmark.")),
        ("2012-2015 was the project period.", (None, "2012-2015 was the project period.")),
    ],
)
def test_requirement_ids(text: str, expected: tuple[str | None, str]) -> None:
    assert split_id(text) == expected


def test_bare_numbers_are_not_requirement_ids() -> None:
    assert [looks_like_id(value) for value in ["12", "#1", "Req001", "TC-1", "REQ-1"]] == [
        False,
        False,
        True,
        False,
        True,
    ]


@pytest.mark.parametrize(
    ("text", "has_id", "expected"),
    [
        ("The pump shall start within 2 s.", False, True),
        ("The operator must confirm the alarm.", False, True),
        ("The logger is required to keep 90 days of records.", False, True),
        ("The reset types include: power-on and processor reset.", True, True),
        ("Rationale: the pump shall start quickly because operators wait.", False, False),
        ("Rationale: the pump shall start quickly because operators wait.", True, False),
        ("Note: the controller shall be calibrated yearly.", False, False),
        ("Pump means the centrifugal pump P-101.", False, False),
        ("If the specified table is defined as Dump Only then the command shall be rejected.", True, True),
        ("This chapter describes the interfaces.", False, False),
        # A numbered clause about the document itself is informative even where it quotes a "shall".
        ("This chapter defines the versions that trackside shall be allowed to operate.", True, False),
        # ... but read with a list item after its colon it introduces the item, which stands on its own.
        ("This section covers the following situations: Train is running on level 1", True, True),
        ("This document describes the modes. The pump shall start within 2 s.", False, True),
        # Captions label a figure or table whatever verbs they repeat; a clause naming a table is no caption.
        ("Figure 18: Passing an area where the regenerative brake shall be inhibited", True, False),
        ("Table 7.4.2.13 (Packet Number 51) shall be replaced with:", True, True),
        # A pronoun that "refers to" something defines no term.
        ("This refers to the following data: Driver ID, level and train data.", True, True),
        ("End of mission refers to the situation where the trackside stops the train.", True, False),
        # "a means to" after a modal is no glossary term being defined.
        ("There must be a means to update the case diagnosis manually.", True, True),
        ("Intentionally deleted.", True, False),
    ],
)
def test_requirement_or_informative(text: str, has_id: bool, expected: bool) -> None:
    assert is_requirement(text, has_id=has_id) is expected


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["1 Introduction", "References"], True),
        (["Definitions, Acronyms, and Abbreviations"], True),
        (["Applicable and referenced documents"], True),
        (["Revision History"], True),
        (["Table of Contents"], True),
        (["Glossary of terms"], True),
        (["Annex 2: Bibliography"], True),
        (["APPENDIX A - GLOSSARY"], True),
        (["Appendix C - Interface requirements"], False),
        (["Appendix A: Requirements Traceability Matrix"], False),
        # A clause-numbered specification defines its concepts in normative clauses.
        (["5 Procedures", "Definitions"], False),
        (["Terms and definitions"], False),
        (["Reference architecture"], False),
        (["Functional Requirements", "Document import"], False),
        (["Definitions and requirements"], False),
    ],
)
def test_sections_that_list_references_short_forms_or_changes(titles: list[str], expected: bool) -> None:
    assert is_reference_matter(titles) is expected


@pytest.mark.parametrize(
    ("current", "number", "expected"),
    [
        (None, "1", True),
        ("3.7.2.1", "3.7.2.1.1", True),
        ("3.7.2.1", "3.7.2.2", True),
        ("3.7.2.1", "3.8", True),
        ("3.7.2.1", "4", True),
        ("1.3", "2.0", True),
        ("A.1", "1", True),  # not all digits: not judged
        ("3.7.2.1", "1", False),  # the first item of a numbered list under it
        ("3.7.2.1", "2", False),
        ("2.4", "11", False),
        ("3.7.2.1", "3.7.2.1", False),
    ],
)
def test_a_body_font_heading_continues_the_outline(current: str | None, number: str, expected: bool) -> None:
    assert continues_outline(current, number) is expected


def test_numbered_heading_shapes() -> None:
    assert match_numbered("3.2.1 Braking Distance") == NumberedHeading("3.2.1", "Braking Distance")
    assert match_numbered("2. DOCUMENTS & TERMINOLOGY") == NumberedHeading("2", "DOCUMENTS & TERMINOLOGY")
    assert match_numbered("A.1 Glossary") == NumberedHeading("A.1", "Glossary")
    assert match_numbered("A user shall log in.") is None
    assert match_numbered("2012 was a good year") is None


def test_a_sentence_ending_inside_its_quote_is_no_title() -> None:
    assert reads_as_title("End of procedure")
    assert not reads_as_title("End of Procedure, if there is no session.\u201d")
    assert not reads_as_title("End of procedure (see 5.4).")


def test_section_tracker_nests_numbered_and_unnumbered_headings() -> None:
    sections = SectionTracker()
    sections.enter_numbered(NumberedHeading("3", "Safety"), size=14)
    sections.enter_numbered(NumberedHeading("3.2", "Braking"), size=13)
    sections.enter_unnumbered("Emergency brake", size=11)
    assert sections.path == ["3 Safety", "3.2 Braking", "Emergency brake"]
    sections.enter_numbered(NumberedHeading("3.3", "Pressure"), size=13)
    assert (sections.path, sections.title) == (["3 Safety", "3.3 Pressure"], "Pressure")
    sections.enter_numbered(NumberedHeading("4", "Interfaces"), size=14)
    assert sections.path == ["4 Interfaces"]


def test_header_row_is_the_one_naming_columns() -> None:
    rows = [
        ["Pump controller requirements", "", ""],
        ["Exported 2024-05-01", "", ""],
        ["", "", ""],
        ["ID", "Requirement", "Owner"],
        ["P-1", "The pump shall start.", "Ann"],
    ]
    assert find_header(rows) == 3


def test_column_letters() -> None:
    assert [column_letter(index) for index in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n...", DocumentKind.PDF),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, DocumentKind.XLS),
        ("ID;Text\nR-1;Le syst\u00e8me doit d\u00e9marrer.\n".encode(), DocumentKind.CSV),
    ],
)
def test_kind_is_sniffed_from_content(tmp_path: Path, content: bytes, kind: DocumentKind) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(content)

    assert sniff_kind(path) is kind
