"""HTML specifications (.html, .htm) into segments, with lxml's HTML parser reading the markup.

HTML marks its structure as Word does: ``<h1>``-``<h6>`` are headings, ``<li>`` are list items (numbered in
an ``<ol>``, bulleted in a ``<ul>``), ``<table>`` rows are table rows. The page is read as a flow of those
blocks and ``structured_flow`` turns it into segments with the same rules as a Word document.

Nothing in the page runs or is fetched: scripts, styles, forms and embedded objects are dropped unread, the
parser does not touch the network, and comments and processing instructions are removed. The upload size
limit applies before the file is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from .classify_segment import SegmentClassifier
from .docx_numbering import NumberLabel
from .errors import CorruptedFile, EmptyDocument
from .structured_flow import FlowParagraph, FlowTable, flow_segments
from .types import DocumentKind, ParsedDocument

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Elements whose content is not document text: never read, never run.
_SKIPPED = frozenset(
    {
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "video",
        "audio",
        "select",
        "button",
        "textarea",
        "nav",
        "form",
    }
)
# Elements that start a new block; everything else (span, b, a, em, font ...) runs inline in its block.
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "header",
        "footer",
        "aside",
        "blockquote",
        "pre",
        "address",
        "center",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "caption",
        "hr",
        "fieldset",
        "details",
        "summary",
        "legend",
        "ul",
        "ol",
        "li",
        "table",
        *_HEADINGS,
    }
)
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def parse_html(
    path: Path, *, classify: SegmentClassifier, on_progress: Callable[[int, int], None] | None = None
) -> ParsedDocument:
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, recover=True
    )
    try:
        tree = lxml.html.parse(str(path), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, OSError) as exc:
        raise CorruptedFile(
            "The HTML page could not be read. Save it again from its application (or print it to PDF) "
            "and upload that."
        ) from exc
    root = tree.getroot()
    if root is None:
        raise EmptyDocument("The HTML page contains no text to split into requirements.")
    reader = _FlowReader()
    reader.read(root)
    warnings: list[str] = []
    segments = list(flow_segments(reader.blocks, classify, warnings))
    if on_progress is not None:
        on_progress(1, 1)
    if not segments:
        raise EmptyDocument("The HTML page contains no paragraphs of text to split into requirements.")
    return ParsedDocument(kind=DocumentKind.HTML, segments=segments, warnings=warnings)


@dataclass
class _FlowReader:
    """Walks the element tree in document order, collecting inline text into paragraphs."""

    blocks: list[FlowParagraph | FlowTable] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)
    _tables: int = 0

    def read(self, element: Any) -> None:
        self._children(element)
        self._flush()

    def _children(self, element: Any) -> None:
        if element.text:
            self._pending.append(element.text)
        for child in element:
            self._element(child)
            if child.tail:
                self._pending.append(child.tail)

    def _element(self, element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED:
            return
        if tag == "br":
            # A line break inside a paragraph is a space; two in a row separate paragraphs.
            if self._pending and self._pending[-1] == "\n":
                self._flush()
            else:
                self._pending.append("\n")
            return
        if tag not in _BLOCKS:
            self._children(element)
            return
        self._flush()
        if tag in _HEADINGS:
            self._paragraph(_text(element), heading_level=_HEADINGS[tag])
        elif tag == "table":
            self._table(element)
        elif tag in ("ul", "ol"):
            self._list(element, level=0)
        else:
            self._children(element)
            self._flush()

    def _flush(self) -> None:
        text = " ".join("".join(self._pending).split())
        self._pending.clear()
        if text:
            self._paragraph(text)

    def _paragraph(
        self,
        text: str,
        *,
        heading_level: int | None = None,
        number: NumberLabel | None = None,
        starts_list: bool = False,
    ) -> None:
        text = " ".join(text.split())
        if text:
            self.blocks.append(
                FlowParagraph(
                    text=text,
                    heading_level=heading_level,
                    number=number,
                    list_style=number is not None,
                    page=None,
                    starts_list=starts_list,
                )
            )

    def _list(self, element: Any, *, level: int) -> None:
        ordered = element.tag.lower() == "ol"
        kind = element.get("type", "1") if ordered else ""
        value = _int(element.get("start"), 1)
        first = True
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() != "li":
                if isinstance(item.tag, str) and item.tag.lower() in ("ul", "ol"):
                    self._list(item, level=level + 1)  # a nested list written without its <li>
                continue
            value = _int(item.get("value"), value)
            own = _format(value, kind) if ordered else ""
            number = NumberLabel(label=f"{own}." if ordered else "", level=level, bullet=not ordered, own=own)
            nested = [
                child for child in item if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol")
            ]
            self._paragraph(_text(item, leave_out=nested), number=number, starts_list=first and level == 0)
            first = False
            for child in nested:
                self._list(child, level=level + 1)
            value += 1

    def _table(self, element: Any) -> None:
        rows: list[list[str]] = []
        for row in element.iter("tr"):
            # Rows of a table nested in a cell belong to that cell's text, not to this table.
            if _nearest_table(row) is not element:
                continue
            rows.append(
                [
                    _text(cell)
                    for cell in row
                    if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")
                ]
            )
        if any(any(row) for row in rows):
            self._tables += 1
            self.blocks.append(FlowTable(index=self._tables, rows=rows, page=None))


def _nearest_table(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and (not isinstance(parent.tag, str) or parent.tag.lower() != "table"):
        parent = parent.getparent()
    return parent


def _text(element: Any, *, leave_out: list[Any] | None = None) -> str:
    """The element's text with scripts and styles (and ``leave_out``) left out, whitespace collapsed."""
    parts: list[str] = []
    skipped = set(map(id, leave_out or []))

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag and tag not in _SKIPPED and id(child) not in skipped:
                if tag in ("br", "p", "div", "li", "tr", "td", "th"):
                    parts.append(" ")
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _format(value: int, kind: str) -> str:
    if kind in ("a", "A") and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter.upper() if kind == "A" else letter
    if kind in ("i", "I") and value >= 1:
        roman = ""
        for number, letters in _ROMAN:
            while value >= number:
                roman += letters
                value -= number
        return roman.upper() if kind == "I" else roman
    return str(value)
