"""Remove running headers, footers and page numbers: lines that repeat at the edges of most pages."""

from __future__ import annotations

import math
import re
from collections import Counter

from .pdf_lines import Line

# How many lines at the top and bottom of a page can belong to a running header or footer.
_EDGE_LINES = 3
# Running headers and footers live in the outer quarter of the page, never in the middle.
_REPEAT_BAND = 0.25
# Repetition cannot be seen on a one-page document, but small print in the outer margin band is where
# every word processor puts headers and footers.
_MARGIN_BAND = 0.08
# Headers and footers laid out as tables (reference, issue, date, title, page) run to more lines than
# _EDGE_LINES; everything in this outer band is a candidate too.
_FURNITURE_BAND = 0.1
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?(?:#|[ivx]{1,6})(?:\s*(?:of|/)\s*#)?$|^[-\u2013\u2014]\s*#\s*[-\u2013\u2014]$"
    # Numbered per chapter or appendix: "3 - 2", "2-14", "A-1".
    r"|^(?:page\s*)?(?:#|[a-z])\s?[-\u2013\u2014]\s?#$",
    re.IGNORECASE,
)
# Table-of-contents entries: a title, a run of leader dots, a page number.
_TOC_ENTRY = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|(?:\u2026\s?){2,}\s*\d+\s*$")


def _key(line: Line) -> str:
    # Page numbers and dates change from page to page while the rest of the header stays the same.
    return " ".join(_DIGITS.sub("#", line.text.lower()).split())


def _in_band(line: Line, page_height: float, band: float) -> bool:
    return line.bottom < page_height * band or line.top > page_height * (1 - band)


def _edges(lines: list[Line], page_heights: list[float]) -> list[Line]:
    if len(lines) <= 2 * _EDGE_LINES:
        return lines
    middle = lines[_EDGE_LINES:-_EDGE_LINES]
    banded = [line for line in middle if _in_band(line, page_heights[line.page], _FURNITURE_BAND)]
    return lines[:_EDGE_LINES] + banded + lines[-_EDGE_LINES:]


def remove_page_furniture(
    pages: list[list[Line]], *, heights: list[float], body_size: float
) -> list[list[Line]]:
    """Each page's lines without running headers, footers, page numbers and TOC leader lines."""
    page_count = sum(1 for lines in pages if lines)
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(line) for line in _edges(lines, heights)})
    # Half the pages: title pages and chapter openers often drop the header, so "all" would miss it.
    threshold = max(2, math.ceil(page_count * 0.5))
    cleaned = []
    for lines in pages:
        edge_ids = {id(line) for line in _edges(lines, heights)}
        kept = []
        for line in lines:
            if id(line) in edge_ids:
                key = _key(line)
                height = heights[line.page]
                if _in_band(line, height, _REPEAT_BAND) and (
                    counts[key] >= threshold or _PAGE_NUMBER.match(key)
                ):
                    continue
                if _in_band(line, height, _MARGIN_BAND) and line.size < body_size - 0.5:
                    continue
            if _TOC_ENTRY.search(line.text):
                continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned
