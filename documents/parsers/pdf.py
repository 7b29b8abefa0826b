"""PDF documents into segments: PDFium for text and rulings, then layout rules, then segmentation."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .classify_segment import SegmentClassifier, is_requirements_section
from .clauses import clause_text_size, list_item, split_clause, starts_item
from .errors import CorruptedFile, EmptyDocument, EncryptedDocument, NoTextLayer
from .headings import SectionTracker, reads_as_title
from .id_scheme import trust_the_id_scheme
from .passages import passage_segment, reflag, unflag_listing_entry
from .pdf_blocks import Block, Heading, Paragraph, Vocabulary, build_blocks, dash_continues
from .pdf_cells import attach_cell_lines, cell_paragraphs
from .pdf_furniture import remove_page_furniture
from .pdf_layout import dominant_size, measure
from .pdf_lines import Line, page_lines
from .pdf_rows import join_numbered_rows, numbered_table_rows
from .pdf_tables import PdfTable, find_tables
from .requirement_ids import learn_prefixes, looks_like_id, split_id
from .tabular import TableLayout, detect_layout, row_segment
from .types import BBox, DocumentKind, ParsedDocument, Segment

ProgressCallback = Callable[[int, int], None]
# A truncated upload loses the end of the file, where every PDF writes its end-of-file marker.
_EOF_MARKER = b"%%EOF"
_TRAILER_WINDOW = 4096
_MIN_WORDS = 3
_MAX_TITLE_WORDS = 6
# A paragraph of this many words after a numbered heading is its section's text, not a label under a clause.
_MIN_PROSE_WORDS = 12
# Points below the clause text size from which a line belongs to a table or a figure rather than the body.
_SMALLER = 1.0


def parse_pdf(
    path: Path, *, classify: SegmentClassifier, on_progress: ProgressCallback | None = None
) -> ParsedDocument:
    _check_complete(path)
    document = _open(path)
    try:
        pages, tables, sizes = _read_pages(document, on_progress)
    finally:
        document.close()
    if not any(pages):
        raise NoTextLayer()
    warnings = []
    blank = [str(index + 1) for index, lines in enumerate(pages) if not lines]
    if blank:
        # Usually scanned pages inside an otherwise digital document: their content is missing.
        warnings.append(
            f"{len(blank)} of {len(pages)} pages have no text layer (scanned?): {_page_list(blank)}."
        )
    vocabulary = Vocabulary(line for lines in pages for line in lines)
    pages = remove_page_furniture(
        pages, heights=[height for _, height in sizes], body_size=dominant_size(pages)
    )
    pages = [join_numbered_rows(lines, vocabulary) for lines in pages]
    layout = measure(pages, [width for width, _ in sizes])
    clause_size = clause_text_size([line for lines in pages for line in lines])
    blocks = list(build_blocks(_reading_order(pages, tables), layout, vocabulary, clause_size=clause_size))
    unread_tables: list[int] = []
    segments = list(
        _segments(blocks, classify, vocabulary, clause_size=clause_size, unread_tables=unread_tables)
    )
    if unread_tables:
        count = len(unread_tables)
        on_pages = sorted(set(unread_tables))
        where = f"page {on_pages[0]}" if len(on_pages) == 1 else _page_list([str(page) for page in on_pages])
        warnings.append(
            f"{count} ruled table{'s' if count > 1 else ''} on {where} could not be read as rows of text "
            "(no column holds their rows' text): their content is not among the segments."
        )
    if clause_size is None:
        trust_the_id_scheme(segments)
    if not segments:
        raise EmptyDocument("The PDF contains no paragraphs of text to split into requirements.")
    return ParsedDocument(kind=DocumentKind.PDF, segments=segments, page_count=len(pages), warnings=warnings)


def _has_words(value: str) -> bool:
    return any(char.isalnum() for char in value)


def _page_list(pages: list[str]) -> str:
    shown = ", ".join(pages[:10])
    return f"pages {shown}" + (f" and {len(pages) - 10} more" if len(pages) > 10 else "")


def _check_complete(path: Path) -> None:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - _TRAILER_WINDOW))
        tail = handle.read()
    if _EOF_MARKER not in tail:
        raise CorruptedFile(
            "The PDF is incomplete: its end is missing, so the upload was probably cut short. "
            "Upload the complete file again."
        )


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedDocument() from exc
        raise CorruptedFile(
            "The PDF is damaged and cannot be opened. Re-export it from the original application "
            "and upload it again."
        ) from exc


def _read_pages(
    document: pdfium.PdfDocument, on_progress: ProgressCallback | None
) -> tuple[list[list[Line]], list[list[PdfTable]], list[tuple[float, float]]]:
    total = len(document)
    pages: list[list[Line]] = []
    tables: list[list[PdfTable]] = []
    sizes: list[tuple[float, float]] = []
    for index in range(total):
        page = document[index]
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                lines = page_lines(textpage, page_index=index, page_height=height)
                page_tables = find_tables(page, textpage, page_index=index, page_height=height)
                attach_cell_lines(page_tables, lines, textpage, page_height=height)
                pages.append(lines)
                tables.append(page_tables)
            finally:
                textpage.close()
        finally:
            page.close()
        sizes.append((width, height))
        if on_progress is not None:
            on_progress(index + 1, total)
    return pages, tables, sizes


def _reading_order(pages: list[list[Line]], tables: list[list[PdfTable]]) -> Iterator[Line | PdfTable]:
    """Lines outside tables in PDFium's order, each table where its first line was."""
    for lines, page_tables in zip(pages, tables, strict=True):
        pending = list(page_tables)
        for line in lines:
            owner = next(
                (table for table in page_tables if table.contains(line.x0, line.top, line.x1, line.bottom)),
                None,
            )
            if owner is None:
                yield line
            elif owner in pending:
                pending.remove(owner)
                yield owner
        yield from pending


_TERMINAL_PUNCTUATION = re.compile(r"[.;:!?][\"\u201d')]*$")


def _segments(
    blocks: list[Block],
    classify: SegmentClassifier,
    vocabulary: Vocabulary,
    *,
    clause_size: float | None,
    unread_tables: list[int],
) -> Iterator[Segment]:
    """The document's segments in reading order; the page of each table none could be read from is added
    to ``unread_tables``."""
    clauses = clause_size is not None
    sections = SectionTracker()
    order = 0
    previous_table: tuple[PdfTable, TableLayout] | None = None
    # Where the document numbers its paragraphs, their clause numbers are their IDs, lettered items
    # under a clause are traced as "<clause>.<letter>", and every paragraph from the first numbered one on
    # is part of a clause: the author made the whole body traceable, not only sentences with "shall".
    clause: str | None = None
    in_body = False
    prefixes = learn_prefixes(
        line.text for block in blocks if isinstance(block, Paragraph) for line in block.lines
    )
    # The last item of a numbered list table, while nothing else has followed it: its page may end mid-item.
    open_item: Segment | None = None
    # A clause's sentence announcing a list ("List of the modes:"), while its list runs on: short lines
    # under it ("Shunting (SH)", "M_AXLELOAD") are the items of a list laid out without markers.
    listing = ""
    # An ID printed in a heading ("3.1.4.2 Determine H/C Mode (SRS-010)") names the requirement under it.
    heading_id = _HeadingId()
    for position, block in enumerate(blocks):
        if not isinstance(block, PdfTable):
            open_item = None
        if not isinstance(block, Paragraph):
            listing = ""
        if isinstance(block, Heading):
            if block.number is not None:
                sections.enter_numbered(block.number, size=block.size)
                clause = block.number.number
                in_body = False
                if (
                    clauses
                    and _is_leaf_clause(block.number.number, blocks, position + 1)
                    and not _prose_follows(blocks, position + 1)
                ):
                    yield _leaf_clause_segment(block, sections, classify, order=order)
                    order += 1
                    in_body = True
            else:
                sections.enter_unnumbered(" ".join(block.title.split()), size=block.size)
            heading_id.enter(block.title, sections.path)
        elif isinstance(block, Paragraph):
            stem = ""
            # Text set smaller than the clauses (a table drawn without rulings, labels of a figure) is not
            # a paragraph of the body: only its own wording can make it a requirement.
            body_text = clause_size is not None and block.lines[0].size >= clause_size - _SMALLER
            for lines, text in _pieces(block, vocabulary, enumerated=clauses):
                external_id: str | None = None
                attributes: dict[str, str] = {}
                item = list_item(text)
                if item is not None and not (item.bullet or clauses or stem or len(lines) < len(block.lines)):
                    item = None  # "1. Introduction" opening a paragraph, not an item of a list
                if clauses:
                    external_id, text = split_clause(text)
                    if external_id is not None:
                        clause, in_body, listing = external_id, True, ""
                unmarked_item = bool(
                    listing
                    and body_text
                    and item is None
                    and external_id is None
                    and (len(text.split()) < _MIN_WORDS or not _reads_as_prose(text))
                )
                if unmarked_item:
                    attributes["list stem"] = listing
                if external_id is None and item is not None:
                    text = item.text
                    if stem:
                        attributes["list stem"] = stem
                    if clauses and clause is not None and item.label is not None:
                        external_id = f"{clause}.{item.label}"
                if external_id is None and lines[0].label is not None:
                    # A numbered requirement list: the number is the row's own ID.
                    external_id = lines[0].label
                if external_id is None:
                    external_id, text = split_id(text, prefixes)
                if item is None:
                    stem = text if text.rstrip().endswith(":") else ""
                if clauses and not unmarked_item:
                    # A list with markers is that stem's list; lines after it are not unmarked items.
                    listing = stem if in_body and body_text and item is None else ""
                # Labels scattered over a drawing come out as one- and two-word "paragraphs"; no requirement
                # or useful note is that short without an ID.
                if external_id is None and len(text.split()) < _MIN_WORDS and not (unmarked_item or item):
                    continue
                segment = passage_segment(
                    text,
                    order=order,
                    classify=classify,
                    sections=sections,
                    has_id=(external_id is not None and lines[0].label is None)
                    or (in_body and body_text and (_reads_as_prose(text) or unmarked_item)),
                    in_requirements=is_requirements_section(sections.path),
                    context=attributes.get("list stem", ""),
                    external_id=external_id,
                    page=lines[0].page + 1,
                    bbox=_union([line for line in lines if line.page == lines[0].page]),
                    attributes=attributes,
                )
                if clauses and not body_text and external_id is None and not _reads_as_prose(text):
                    # A row of a table drawn without rulings in the small print ("4 M_ACK Indicates
                    # whether the message must be acknowledged"): data about a field, not a requirement.
                    segment.is_requirement, segment.obligation = False, ""
                heading_id.claim(segment)
                yield segment
                order += 1
        elif (numbered := numbered_table_rows(block.rows, block.row_boxes)) is not None:
            in_requirements = is_requirements_section(sections.path)
            for position, row in enumerate(numbered):
                if not row.text:
                    continue
                if position == 0 and row.label is None and _continues_item(open_item, row.text, block.page):
                    # The list runs over a page break and its last item with it: this row ends that item.
                    assert open_item is not None
                    open_item.text = f"{open_item.text} {row.text}"
                    # Numbered like its list, as when it was first read.
                    reflag(open_item, classify=classify, in_requirements=True)
                    continue
                if row.label is None and _is_title_row(row.text):
                    # A title row inside the list ("Help Module"): it names the items below it.
                    sections.enter_unnumbered(row.text, size=0.0)
                    continue
                open_item = passage_segment(
                    row.text,
                    order=order,
                    classify=classify,
                    sections=sections,
                    has_id=False,
                    in_requirements=in_requirements or row.label is not None,
                    external_id=row.label,
                    page=block.page + 1,
                    bbox=row.bbox,
                )
                yield open_item
                order += 1
            continue
        else:
            open_item = None
            layout = _table_layout(block, previous_table)
            read = 0
            if layout is not None:
                previous_table = (block, layout)
                in_requirements = is_requirements_section(sections.path)
                for segment in _table_segments(
                    block, layout, classify, first_order=order, in_requirements=in_requirements
                ):
                    unflag_listing_entry(segment, sections)
                    segment.section_path = sections.path
                    segment.section_title = sections.title
                    order += 1
                    read += 1
                    yield segment
            if not read and any(_has_words(value) for row in block.rows[1:] for value in row):
                # Its text is in no paragraph either (lines inside a table are the table's).
                unread_tables.append(block.page + 1)


# "(SRS -010)" closing a heading: PDFium may split the ID at its hyphen.
_HEADING_ID = re.compile(r"\((?P<id>[^()\s]+(?:\s*[-_/.]\s*[^()\s]+)*)\)\s*$")


class _HeadingId:
    """The ID a heading gives the requirement under it: taken by the first requirement without its own
    ID in that heading's sections; later ones there carry it as an attribute, so no two share an ID."""

    def __init__(self) -> None:
        self._id: str | None = None
        self._section = ""
        self._claimed = False

    def enter(self, title: str, path: list[str]) -> None:
        match = _HEADING_ID.search(title)
        found = re.sub(r"\s+", "", match.group("id")) if match else None
        if found is not None and looks_like_id(found):
            self._id, self._section, self._claimed = found, path[-1], False
        elif self._section not in path:
            self._id = None

    def claim(self, segment: Segment) -> None:
        if self._id is None or not segment.is_requirement or segment.external_id is not None:
            return
        if self._section not in segment.section_path:
            self._id = None
            return
        if self._claimed:
            segment.attributes["heading ID"] = self._id
        else:
            segment.external_id, self._claimed = self._id, True


def _continues_item(item: Segment | None, text: str, page: int) -> bool:
    """Whether ``text``, first row of a list table on 0-based ``page``, ends ``item`` from the page before.

    A row broken by a page break goes on in an unnumbered row at the top of the next page: an unfinished
    sentence, or any row that is not a title naming the items below it.
    """
    if item is None or item.external_id is None or item.page != page:  # item.page is 1-based
        return False
    return not _TERMINAL_PUNCTUATION.search(item.text) or text[:1].islower() or not _is_title_row(text)


def _is_title_row(text: str) -> bool:
    """A title row inside a numbered list ("Help Module"): a few words, not a sentence."""
    return len(text.split()) <= _MAX_TITLE_WORDS and not text.endswith(".")


def _is_leaf_clause(number: str, blocks: list[Block], start: int) -> bool:
    """Whether no numbered clause or heading nests under clause ``number`` before the next one that does not.

    In a document that numbers its paragraphs, every number is a traceable object. A numbered heading
    with clauses under it only groups them; one with nothing numbered under it (only a table, a figure
    or a few unnumbered lines: "8.6.1 Message 129: Validated Train Data" above the message's layout) is
    itself the clause that the table or figure belongs to.
    """
    for block in blocks[start:]:
        if isinstance(block, Heading):
            if block.number is None:
                continue
            return not block.number.number.startswith(f"{number}.")
        if isinstance(block, Paragraph):
            found, _ = split_clause(block.text)
            if found is not None:
                return not found.startswith(f"{number}.")
    return True


def _prose_follows(blocks: list[Block], start: int) -> bool:
    """Whether an unnumbered paragraph of sentences comes next: the text of a numbered heading's section.

    Under "2.1 Product Perspective" the paragraphs say what the section holds, as in any document that
    numbers its headings; a numbered heading is a traceable clause of its own only where a table, a figure
    or a few labels follow it."""
    following = blocks[start] if start < len(blocks) else None
    if not isinstance(following, Paragraph):
        return False
    number, text = split_clause(following.text)
    return number is None and len(text.split()) >= _MIN_PROSE_WORDS and _reads_as_prose(text)


def _leaf_clause_segment(
    heading: Heading, sections: SectionTracker, classify: SegmentClassifier, *, order: int
) -> Segment:
    assert heading.number is not None
    return passage_segment(
        " ".join(heading.number.title.split()),
        order=order,
        classify=classify,
        sections=sections,
        has_id=True,
        in_requirements=False,
        external_id=heading.number.number,
        page=heading.lines[0].page + 1,
        bbox=_union([line for line in heading.lines if line.page == heading.lines[0].page]),
    )


def _reads_as_prose(text: str) -> bool:
    """A sentence, not a caption, a title or a line of a table drawn without rulings ("1 Q_UPDOWN 1 ...")."""
    return not text[:1].isdigit() and not reads_as_title(text)


def _pieces(
    paragraph: Paragraph, vocabulary: Vocabulary, *, enumerated: bool
) -> Iterator[tuple[list[Line], str]]:
    """The paragraph cut where a list item starts: each item is a segment of its own.

    An enumerated item inside a paragraph starts a list ("a)", "1.") or goes on with the one before it;
    a wrapped line that merely begins with a letter and a bracket ("... 3.15.1.2.3.1" / "o) shall not
    apply.") does not.
    """
    starts = [0]
    first = list_item(paragraph.lines[0].text)
    previous_label = first.label if first is not None else None
    for index, line in enumerate(paragraph.lines):
        if not index or not starts_item(line.text, enumerated=enumerated):
            continue
        if dash_continues(paragraph.lines[index - 1], line):
            continue
        item = list_item(line.text)
        assert item is not None
        if item.label is not None and not _in_sequence(previous_label, item.label):
            continue
        starts.append(index)
        previous_label = item.label
    if len(starts) == 1:
        yield paragraph.lines, paragraph.text
        return
    for start, end in zip(starts, [*starts[1:], len(paragraph.lines)], strict=True):
        lines = paragraph.lines[start:end]
        text = lines[0].text
        for previous, line in itertools.pairwise(lines):
            text = vocabulary.join(text, line.text) if previous.ends_with_hyphen else f"{text} {line.text}"
        yield lines, text


_FIRST_LABELS = frozenset(("a", "A", "i", "1"))


def _in_sequence(previous: str | None, label: str) -> bool:
    """Whether item ``label`` opens a list or follows item ``previous`` ("b" after "a", "4" after "3")."""
    if label in _FIRST_LABELS or previous is None:
        return label in _FIRST_LABELS
    if label.isdigit() and previous.isdigit():
        return int(label) == int(previous) + 1
    if len(label) == 1 and len(previous) == 1:
        return ord(label) == ord(previous) + 1
    # Roman numerals ("ii" after "i") are not worth counting: a run of them is a list.
    return set(label) <= set("ivx") and set(previous) <= set("ivx")


def _table_layout(table: PdfTable, previous: tuple[PdfTable, TableLayout] | None) -> TableLayout | None:
    if previous is not None and _continues(previous[0], table):
        earlier_table, earlier = previous
        # A table running over a page break either repeats its header row or has none: rows of the
        # continuation are read with the columns found on the first page.
        header = earlier_table.rows[earlier.header_index] if earlier.header_index is not None else None
        repeated = header is not None and table.rows[0] == header
        return TableLayout(header_index=0 if repeated else None, roles=earlier.roles)
    return detect_layout(table.rows)


def _continues(earlier: PdfTable, table: PdfTable) -> bool:
    return (
        table.page == earlier.page + 1
        and len(table.rows[0]) == len(earlier.rows[0])
        and abs(table.bbox[0] - earlier.bbox[0]) < 3
        and abs(table.bbox[2] - earlier.bbox[2]) < 3
    )


def _table_segments(
    table: PdfTable,
    layout: TableLayout,
    classify: SegmentClassifier,
    *,
    first_order: int,
    in_requirements: bool,
) -> Iterator[Segment]:
    """One segment per row, or per paragraph and list item where the row's text cell holds several."""
    roles = layout.roles
    start = 0 if layout.header_index is None else layout.header_index + 1
    order = first_order
    for row in range(start, len(table.rows)):
        values = table.rows[row]
        paragraphs = cell_paragraphs(table, row, roles.text) if roles.text < len(values) else [""]
        row_id = values[roles.external_id] if roles.external_id is not None else ""
        stem = ""
        for position, paragraph in enumerate(paragraphs):
            item = list_item(paragraph) if len(paragraphs) > 1 else None
            cells = list(values)
            if roles.text < len(cells):
                cells[roles.text] = item.text if item is not None else paragraph
            if position and roles.external_id is not None:
                # The row's ID names its first paragraph; the others carry it as context.
                cells[roles.external_id] = ""
            segment = row_segment(
                cells, roles, order=order, classify=classify, in_requirements=in_requirements
            )
            if segment is None:
                continue
            if position and row_id and roles.external_id is not None:
                segment.attributes[roles.name(roles.external_id)] = row_id
            if item is not None and stem:
                segment.attributes["list stem"] = stem
                reflag(segment, classify=classify, context=stem, in_requirements=in_requirements)
            if item is None:
                stem = segment.text if segment.text.rstrip().endswith(":") else ""
            segment.page = table.page + 1
            segment.bbox = table.row_boxes[row]
            order += 1
            yield segment


def _union(lines: list[Line]) -> BBox:
    return (
        round(min(line.x0 for line in lines), 2),
        round(min(line.top for line in lines), 2),
        round(max(line.x1 for line in lines), 2),
        round(max(line.bottom for line in lines), 2),
    )
