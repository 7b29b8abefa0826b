"""Plain data returned by the parsers; no Django here so the core stays testable on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .classify_segment import requirement_obligation


class DocumentKind(StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"
    XLS = "xls"
    CSV = "csv"
    REQIF = "reqif"  # .reqif XML and .reqifz zip alike
    DOCX = "docx"
    HTML = "html"  # .html and .htm
    # Read through a converter (LibreOffice) into .docx when one is configured.
    DOC = "doc"
    RTF = "rtf"
    ODT = "odt"


# (x0, top, x1, bottom) in PDF points with the origin at the top-left of the page, as pdfplumber reports it.
BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class Segment:
    """One requirement or informative passage, with where it came from."""

    text: str
    order: int
    is_requirement: bool
    section_path: list[str] = field(default_factory=list)
    section_title: str = ""
    external_id: str | None = None
    # PDF provenance: 1-based page of the segment's first line and the box of its lines on that page.
    page: int | None = None
    bbox: BBox | None = None
    # Spreadsheet/CSV provenance: 1-based row as the user sees it and the column letter of the text cell.
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # Table cells other than the text (PDF tables, spreadsheet columns), keyed by header.
    attributes: dict[str, str] = field(default_factory=dict)
    # mandatory / recommended / optional / declarative for requirements, empty for informative text.
    obligation: str = ""

    def __post_init__(self) -> None:
        if not self.obligation and self.is_requirement:
            self.obligation = requirement_obligation(self.text, is_requirement=True)


@dataclass(slots=True)
class ParsedDocument:
    kind: DocumentKind
    segments: list[Segment]
    page_count: int | None = None
    row_count: int | None = None
    # Things a user should know that did not stop the parse (skipped hidden sheets, pages without text...).
    warnings: list[str] = field(default_factory=list)

    @property
    def requirements(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.is_requirement]
