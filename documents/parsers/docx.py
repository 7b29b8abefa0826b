"""Word documents (.docx) into segments, with python-docx reading the XML.

Word says what PDFs only suggest: a heading is a paragraph in a heading style (or with an outline level),
a list item is a numbered or bulleted paragraph, a table is a table. Section paths come from the headings
(their automatic numbers redone by ``docx_numbering``), clause numbers and IDs from the same rules as PDFs,
and tables are read row by row like spreadsheets.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .archive_guard import check_archive
from .classify_segment import SegmentClassifier, requirement_obligation
from .clauses import list_item, split_clause
from .docx_numbering import Numbering, NumberLabel
from .errors import CorruptedFile, EmptyDocument
from .headings import NumberedHeading, SectionTracker, match_numbered, reads_as_title
from .requirement_ids import learn_prefixes, split_id
from .tabular import detect_layout, row_segment
from .types import DocumentKind, ParsedDocument, Segment

_HEADING_STYLE = re.compile(r"^heading\s*(?P<level>[1-9])$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "subtitle"})
_LIST_STYLE = re.compile(r"^list\b", re.IGNORECASE)
_REQUIREMENTS_SECTION = re.compile(r"\brequirements?\b", re.IGNORECASE)
_MIN_WORDS = 3
# Where this many body paragraphs open with a clause number, the document numbers its paragraphs.
_MIN_NUMBERED = 5
_MIN_SHARE = 0.1
_MIN_SENTENCE_WORDS = 4
_BODY_OUTLINE_LEVEL = 9


@dataclass(slots=True)
class _Paragraph:
    text: str
    heading_level: int | None  # 1 for "Heading 1"; None for body text
    number: NumberLabel | None  # Word's automatic number, when the paragraph has one
    list_style: bool  # a "List ..." style: an item even without automatic numbering
    page: int | None


@dataclass(slots=True)
class _Table:
    index: int  # 1-based among the document's tables
    rows: list[list[str]]
    page: int | None


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
    segments = list(_segments(blocks, classify, warnings))
    if on_progress is not None:
        on_progress(1, 1)
    if not segments:
        raise EmptyDocument("The Word document contains no paragraphs of text to split into requirements.")
    return ParsedDocument(kind=DocumentKind.DOCX, segments=segments, warnings=warnings)


def _blocks(document: Any) -> Iterator[_Paragraph | _Table]:
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
            yield _Table(index=tables, rows=_table_rows(block), page=page if paged else None)
            page += _page_breaks(block._tbl)
            continue
        paragraph: Paragraph = block
        text = " ".join(paragraph.text.split())
        style = styles.chain(paragraph)
        number = _number(paragraph, style, numbering)
        yield _Paragraph(
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


def _numbers_paragraphs(blocks: list[_Paragraph | _Table]) -> bool:
    """Whether the document starts its paragraphs with clause numbers ("2.5.1.2 The balise is ...")."""
    numbered = sentences = deep = 0
    for block in blocks:
        if not isinstance(block, _Paragraph) or block.heading_level is not None:
            continue
        number, rest = split_clause(_printed(block))
        if number is None:
            continue
        numbered += 1
        if len(rest.split()) >= _MIN_SENTENCE_WORDS and not reads_as_title(rest):
            sentences += 1
            deep += number.count(".") >= 2
    return deep >= 2 * _MIN_NUMBERED or (sentences >= _MIN_NUMBERED and sentences >= _MIN_SHARE * numbered)


def _printed(block: _Paragraph) -> str:
    """The paragraph as printed, its automatic number in front."""
    if block.number is None or block.number.bullet or not block.number.label:
        return block.text
    return f"{block.number.label} {block.text}"


def _segments(
    blocks: list[_Paragraph | _Table], classify: SegmentClassifier, warnings: list[str]
) -> Iterator[Segment]:
    sections = SectionTracker()
    clauses = _numbers_paragraphs(blocks)
    prefixes = learn_prefixes(
        block.text for block in blocks if isinstance(block, _Paragraph) and block.heading_level is None
    )
    clause: str | None = None
    in_body = False
    stem = ""
    order = 0
    for block in blocks:
        if isinstance(block, _Table):
            in_requirements = _REQUIREMENTS_SECTION.search(" ".join(sections.path)) is not None
            for segment in _table_segments(block, classify, first_order=order, warnings=warnings):
                if in_requirements and not segment.is_requirement:
                    # A table under "... Requirements" holds requirements even where they say "will".
                    segment.is_requirement = classify(segment.text, has_id=False, in_requirements=True)
                    segment.obligation = requirement_obligation(
                        segment.text, is_requirement=segment.is_requirement
                    )
                segment.section_path = sections.path
                segment.section_title = sections.title
                order += 1
                yield segment
            stem = ""
            continue
        if not block.text:
            continue
        if block.heading_level is not None:
            _enter_heading(sections, block)
            heading = match_numbered(_printed(block))
            clause = heading.number if heading is not None else None
            stem = ""
            continue
        text = block.text
        external_id: str | None = None
        attributes: dict[str, str] = {}
        is_item, item_label, text = _item(block)
        if clauses and not is_item:
            external_id, text = split_clause(_printed(block))
            if external_id is not None:
                clause, in_body = external_id, True
        if external_id is None and is_item:
            if stem:
                attributes["list stem"] = stem
            if clauses and clause is not None and item_label is not None:
                external_id = f"{clause}.{item_label}"
            elif not clauses and item_label is not None and item_label.isdigit() and not stem:
                external_id = item_label  # a numbered requirement list: the number is the item's ID
        if external_id is None:
            external_id, text = split_id(text, prefixes)
        if not is_item:
            stem = text if text.rstrip().endswith(":") else ""
        if external_id is None and not is_item and len(text.split()) < _MIN_WORDS:
            continue
        in_requirements = _REQUIREMENTS_SECTION.search(" ".join(sections.path)) is not None
        wording = f"{attributes['list stem']} {text}" if attributes else text
        has_id = (external_id is not None and not (is_item and external_id == item_label)) or (
            in_body and not text[:1].isdigit() and not reads_as_title(text)
        )
        flag = classify(wording, has_id=has_id, in_requirements=in_requirements)
        yield Segment(
            text=text,
            order=order,
            is_requirement=flag,
            obligation=requirement_obligation(wording, is_requirement=flag),
            section_path=sections.path,
            section_title=sections.title,
            external_id=external_id,
            page=block.page,
            attributes=attributes,
        )
        order += 1


def _item(block: _Paragraph) -> tuple[bool, str | None, str]:
    """(is an item, its own letter or number ("a", "3"; None for a bullet), its text less a typed marker)."""
    if block.number is not None:
        return True, (None if block.number.bullet else block.number.own or None), block.text
    typed = list_item(block.text)
    # A marker typed by hand ("a) ...", "• ..."); "1. Scope" typed by hand is as often a title as an item.
    if typed is not None and (typed.bullet or (typed.label is not None and not typed.label.isdigit())):
        return True, typed.label, typed.text
    return block.list_style, None, block.text


def _enter_heading(sections: SectionTracker, block: _Paragraph) -> None:
    level = block.heading_level or 1
    # Levels stand in for font sizes: a level-1 heading closes everything, a level-3 one only level 3+.
    size = float(10 - level)
    heading = match_numbered(_printed(block))
    if heading is not None:
        sections.enter_numbered(heading, size=size)
    elif block.number is not None and not block.number.bullet and block.number.label:
        sections.enter_numbered(NumberedHeading(block.number.label.rstrip("."), block.text), size=size)
    else:
        sections.enter_unnumbered(block.text, size=size)


def _table_segments(
    table: _Table, classify: SegmentClassifier, *, first_order: int, warnings: list[str]
) -> Iterator[Segment]:
    filled = [(position, row) for position, row in enumerate(table.rows) if any(row)]
    if not filled:
        return
    layout = detect_layout([row for _, row in filled])
    if layout is None:
        warnings.append(f"Table {table.index} could not be read: it has no column of text.")
        return
    start = 0 if layout.header_index is None else layout.header_index + 1
    order = first_order
    for position, values in filled[start:]:
        segment = row_segment(values, layout.roles, order=order, classify=classify)
        if segment is None:
            continue
        segment.sheet = f"Table {table.index}"
        segment.row = position + 1
        segment.page = table.page
        order += 1
        yield segment
