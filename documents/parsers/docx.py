"""Word documents (.docx) into segments, with python-docx reading the XML.

Word says what PDFs only suggest: a heading is a paragraph in a heading style (or with an outline level),
a list item is a numbered or bulleted paragraph, a table is a table. Section paths come from the headings
(their automatic numbers redone by ``docx_numbering``); ``structured_flow`` turns them into segments.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .archive_guard import check_archive
from .classify_segment import SegmentClassifier
from .docx_numbering import Numbering, NumberLabel
from .errors import CorruptedFile, EmptyDocument
from .structured_flow import FlowParagraph, FlowTable, flow_segments
from .types import DocumentKind, ParsedDocument

_HEADING_STYLE = re.compile(r"^heading\s*(?P<level>[1-9])$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "subtitle"})
_LIST_STYLE = re.compile(r"^list\b", re.IGNORECASE)
_BODY_OUTLINE_LEVEL = 9


def parse_docx(
    path: Path, *, classify: SegmentClassifier, on_progress: Callable[[int, int], None] | None = None
) -> ParsedDocument:
    check_archive(path, what="document")
    try:
        document = docx.Document(str(path))
        blocks = list(_blocks(document))
    except (OpcError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError) as exc:
        raise CorruptedFile(
            "The Word document is damaged and cannot be read. Open it in Word or LibreOffice, save it "
            "again as .docx and upload it again."
        ) from exc
    warnings: list[str] = []
    segments = list(flow_segments(blocks, classify, warnings))
    if on_progress is not None:
        on_progress(1, 1)
    if not segments:
        raise EmptyDocument("The Word document contains no paragraphs of text to split into requirements.")
    return ParsedDocument(kind=DocumentKind.DOCX, segments=segments, warnings=warnings)


def _blocks(document: Any) -> Iterator[FlowParagraph | FlowTable]:
    numbering_part = _numbering_element(document)
    numbering = Numbering(numbering_part)
    styles = _Styles(document)
    # Word writes where it broke pages the last time it laid the document out; a document written by a
    # program that never laid it out has no page numbers to give.
    paged = document.element.body.find(".//" + qn("w:lastRenderedPageBreak")) is not None
    page = 1
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            yield FlowTable(index=tables, rows=_table_rows(block), page=page if paged else None)
            page += _page_breaks(block._tbl)
            continue
        paragraph: Paragraph = block
        text = " ".join(paragraph.text.split())
        style = styles.chain(paragraph)
        number = _number(paragraph, style, numbering)
        yield FlowParagraph(
            text=text,
            heading_level=_heading_level(paragraph, style),
            number=number,
            list_style=any(_LIST_STYLE.match(name) for name, _ in style),
            page=page if paged else None,
        )
        page += _page_breaks(paragraph._p)


def _numbering_element(document: Any) -> Any | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None  # a document without lists has no numbering part


def _page_breaks(element: Any) -> int:
    return len(element.findall(".//" + qn("w:lastRenderedPageBreak")))


class _Styles:
    """Paragraph styles by ID with the styles they are based on, read once: python-docx looks a
    paragraph's style up by scanning every style, which made a 3,000-paragraph document take seconds."""

    def __init__(self, document: Any) -> None:
        self._by_id: dict[str, tuple[str, Any, str | None]] = {}
        self._default: str | None = None
        self._chains: dict[str | None, list[tuple[str, Any]]] = {}
        styles_element = document.styles.element
        for style in styles_element.findall(qn("w:style")):
            if style.get(qn("w:type")) != "paragraph":
                continue
            style_id = style.get(qn("w:styleId"), "")
            name = style.find(qn("w:name"))
            based_on = style.find(qn("w:basedOn"))
            self._by_id[style_id] = (
                _ui_name(name.get(qn("w:val"), "") if name is not None else ""),
                style,
                based_on.get(qn("w:val")) if based_on is not None else None,
            )
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self._default = style_id

    def chain(self, paragraph: Paragraph) -> list[tuple[str, Any]]:
        """(name, element) of the paragraph's style and the styles it is based on, nearest first."""
        p_pr = paragraph._p.find(qn("w:pPr"))
        p_style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
        style_id = p_style.get(qn("w:val")) if p_style is not None else self._default
        if style_id not in self._by_id:
            style_id = self._default
        cached = self._chains.get(style_id)
        if cached is None:
            cached = []
            current = style_id
            while current is not None and current in self._by_id and len(cached) < 10:
                name, element, current = self._by_id[current]
                cached.append((name, element))
            self._chains[style_id] = cached
        return cached


def _ui_name(name: str) -> str:
    # Built-in styles are stored lower-case ("heading 1"); Word shows them capitalised.
    return name[:1].upper() + name[1:] if name.islower() else name


def _outline_level(element: Any) -> int | None:
    p_pr = element.find(qn("w:pPr"))
    outline = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
    if outline is None:
        return None
    try:
        return int(outline.get(qn("w:val"), str(_BODY_OUTLINE_LEVEL)))
    except ValueError:
        return None


def _heading_level(paragraph: Paragraph, style: list[tuple[str, Any]]) -> int | None:
    own = _outline_level(paragraph._p)
    if own is not None:
        return own + 1 if own < _BODY_OUTLINE_LEVEL else None
    for name, element in style:
        if name.strip().lower() in _TITLE_STYLES:
            return None
        if match := _HEADING_STYLE.match(name.strip()):
            return int(match.group("level"))
        level = _outline_level(element)
        if level is not None:
            return level + 1 if level < _BODY_OUTLINE_LEVEL else None
    return None


def _number(paragraph: Paragraph, style: list[tuple[str, Any]], numbering: Numbering) -> NumberLabel | None:
    """The paragraph's automatic number: its own numbering, or the one its style carries."""
    elements = [paragraph._p, *(element for _, element in style)]
    for position, element in enumerate(elements):
        p_pr = element.find(qn("w:pPr"))
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        if num_pr is None:
            continue
        num = num_pr.find(qn("w:numId"))
        if num is None:
            continue
        num_id = num.get(qn("w:val"), "0")
        if num_id == "0":
            return None  # numbering switched off on purpose
        ilvl = num_pr.find(qn("w:ilvl"))
        level: int | None = None
        if ilvl is not None:
            level = int(ilvl.get(qn("w:val"), "0"))
        elif position > 0:
            # A style linked to a list level ("Heading 2" to level 1) names its level in numbering.xml.
            level = numbering.level_for_style(num_id, element.get(qn("w:styleId"), ""))
        return numbering.next_label(num_id, level or 0)
    return None


def _table_rows(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        values: list[str] = []
        previous: Any = None
        for cell in row.cells:
            # A cell spanning several grid columns comes back once per column: keep it once.
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            values.append(" ".join(cell.text.split()))
        rows.append(values)
    return rows
