"""Segments from documents that mark their own structure (Word, HTML): headings, list items and tables.

The readers turn their format into a flow of ``FlowParagraph`` and ``FlowTable`` blocks; the rules here
turn that flow into segments the same way for every such format: section paths from headings, clause
numbers where the document numbers its paragraphs, list items with their stem as context, IDs learned from
the document, and tables read row by row like spreadsheets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .classify_segment import SegmentClassifier, is_requirements_section
from .clauses import list_item, split_clause
from .docx_numbering import NumberLabel
from .headings import NumberedHeading, SectionTracker, match_numbered, reads_as_title
from .passages import passage_segment, reflag, unflag_listing_entry
from .requirement_ids import learn_prefixes, split_id
from .tabular import detect_layout, row_segment
from .types import Segment

_MIN_WORDS = 3
# Where this many body paragraphs open with a clause number, the document numbers its paragraphs.
_MIN_NUMBERED = 5
_MIN_SHARE = 0.1
_MIN_SENTENCE_WORDS = 4


@dataclass(slots=True)
class FlowParagraph:
    text: str
    heading_level: int | None  # 1 for "Heading 1"; None for body text
    number: NumberLabel | None  # its automatic number (Word numbering, an HTML list), when it has one
    list_style: bool  # a "List ..." style or a list element: an item even without a number
    page: int | None
    # The first item of a list the markup closes and opens explicitly (HTML <ul>, <ol>): a stem written
    # before an earlier list does not introduce this one.
    starts_list: bool = False


@dataclass(slots=True)
class FlowTable:
    index: int  # 1-based among the document's tables
    rows: list[list[str]]
    page: int | None


def _numbers_paragraphs(blocks: list[FlowParagraph | FlowTable]) -> bool:
    """Whether the document starts its paragraphs with clause numbers ("2.5.1.2 The balise is ...")."""
    numbered = sentences = deep = 0
    for block in blocks:
        if not isinstance(block, FlowParagraph) or block.heading_level is not None:
            continue
        number, rest = split_clause(_printed(block))
        if number is None:
            continue
        numbered += 1
        if len(rest.split()) >= _MIN_SENTENCE_WORDS and not reads_as_title(rest):
            sentences += 1
            deep += number.count(".") >= 2
    return deep >= 2 * _MIN_NUMBERED or (sentences >= _MIN_NUMBERED and sentences >= _MIN_SHARE * numbered)


def _printed(block: FlowParagraph) -> str:
    """The paragraph as printed, its automatic number in front."""
    if block.number is None or block.number.bullet or not block.number.label:
        return block.text
    return f"{block.number.label} {block.text}"


def flow_segments(
    blocks: list[FlowParagraph | FlowTable], classify: SegmentClassifier, warnings: list[str]
) -> Iterator[Segment]:
    sections = SectionTracker()
    clauses = _numbers_paragraphs(blocks)
    prefixes = learn_prefixes(
        block.text for block in blocks if isinstance(block, FlowParagraph) and block.heading_level is None
    )
    clause: str | None = None
    in_body = False
    stem = ""
    previous_was_item = False
    # The latest item at each list level: an item of a nested list is read with its parent item as stem
    # ("The pump shall report:" > "its pressure at:" > "the inlet").
    parents: dict[int, tuple[str, str]] = {}  # level -> (item text, item text with its stems before it)
    order = 0
    for block in blocks:
        if isinstance(block, FlowTable):
            in_requirements = is_requirements_section(sections.path)
            for segment in _table_segments(block, classify, first_order=order, warnings=warnings):
                if in_requirements and not segment.is_requirement:
                    # A table under "... Requirements" holds requirements even where they say "will".
                    reflag(segment, classify=classify, in_requirements=True)
                unflag_listing_entry(segment, sections)
                segment.section_path = sections.path
                segment.section_title = sections.title
                order += 1
                yield segment
            stem = ""
            parents.clear()
            continue
        if not block.text:
            continue
        if block.heading_level is not None:
            _enter_heading(sections, block)
            heading = match_numbered(_printed(block))
            clause = heading.number if heading is not None else None
            stem = ""
            parents.clear()
            continue
        text = block.text
        external_id: str | None = None
        attributes: dict[str, str] = {}
        is_item, item_label, text = _item(block)
        if block.starts_list and previous_was_item:
            stem = ""
        previous_was_item = is_item
        if clauses and not is_item:
            external_id, text = split_clause(_printed(block))
            if external_id is not None:
                clause, in_body = external_id, True
        level = block.number.level if is_item and block.number is not None else None
        if level is not None:
            parents = {depth: text for depth, text in parents.items() if depth < level}
        elif not is_item:
            parents.clear()
        parent = parents.get(level - 1) if level else None
        if external_id is None and is_item:
            if parent is not None:
                attributes["list stem"] = parent[0]
            elif stem:
                attributes["list stem"] = stem
            if clauses and clause is not None and item_label is not None:
                external_id = f"{clause}.{item_label}"
            elif not clauses and item_label is not None and item_label.isdigit() and not stem:
                external_id = item_label  # a numbered requirement list: the number is the item's ID
        if external_id is None:
            external_id, text = split_id(text, prefixes)
        # A nested item is read with every stem above it, its parent item's own stems included.
        context = parent[1] if parent is not None else attributes.get("list stem", "")
        if level is not None:
            parents[level] = (text, f"{context} {text}" if context else text)
        if not is_item:
            stem = text if text.rstrip().endswith(":") else ""
        if external_id is None and not is_item and len(text.split()) < _MIN_WORDS:
            continue
        in_requirements = is_requirements_section(sections.path)
        has_id = (external_id is not None and not (is_item and external_id == item_label)) or (
            in_body and not text[:1].isdigit() and not reads_as_title(text)
        )
        yield passage_segment(
            text,
            order=order,
            classify=classify,
            sections=sections,
            has_id=has_id,
            in_requirements=in_requirements,
            context=context,
            external_id=external_id,
            page=block.page,
            attributes=attributes,
        )
        order += 1


def _item(block: FlowParagraph) -> tuple[bool, str | None, str]:
    """(is an item, its own letter or number ("a", "3"; None for a bullet), its text less a typed marker)."""
    if block.number is not None:
        return True, (None if block.number.bullet else block.number.own or None), block.text
    typed = list_item(block.text)
    # A marker typed by hand ("a) ...", "• ..."); "1. Scope" typed by hand is as often a title as an item.
    if typed is not None and (typed.bullet or (typed.label is not None and not typed.label.isdigit())):
        return True, typed.label, typed.text
    return block.list_style, None, block.text


def _enter_heading(sections: SectionTracker, block: FlowParagraph) -> None:
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
    table: FlowTable, classify: SegmentClassifier, *, first_order: int, warnings: list[str]
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
