"""Layouts met in specifications the rules were not tuned on: each rule learns from the document itself."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

from documents.parsers import ParsedDocument, parse_document

from .pdf_factory import BODY_FONT, BODY_SIZE, LEFT, RIGHT, SpecPdf


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
