"""The lines of each ruled table cell, and a cell's text cut into its paragraphs.

A cell's text comes from one bounded-text query (see pdf_tables), which loses where its lines sit. A cell
holding several paragraphs ("If ... go to D3" / "If ... go to S2") or a bulleted list then reads as one
run-on passage. Given its lines with their geometry, a cell follows the paragraph rules of the body text:
a wider gap opens a paragraph, a bullet or enumerator opens an item, and a finished sentence whose line
stopped short of the column's edge ends one.

PDFium joins the text of cells that share a baseline into one line ("S0 The Start of Mission ..." runs
from the ID cell into the text cell); such a line is cut at the cell borders from its characters' boxes.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pypdfium2 as pdfium

from .clauses import starts_item
from .pdf_lines import CharReader, Line
from .pdf_tables import PdfTable
from .types import BBox

# Points a line may overhang its cell's ruling and still be read as inside it.
_SLACK = 1.0
# Paragraph spacing, in font sizes, that tells two paragraphs from two lines of one.
_SPACING = 0.25
# Share of a column's line pairs a pitch needs to count as its line spacing.
_COMMON = 0.25
_TERMINAL = re.compile(r"[.;:!?][\"\u201d')]*$")


def attach_cell_lines(
    tables: list[PdfTable], lines: list[Line], textpage: pdfium.PdfTextPage, *, page_height: float
) -> None:
    """Give each table of the page the lines of its cells (``PdfTable.cell_lines``)."""
    if not tables:
        return
    reader = CharReader(textpage, page_height)
    for table in tables:
        cells = [
            (box, row, column)
            for row, boxes in enumerate(table.cell_boxes)
            for column, box in enumerate(boxes)
            if box is not None
        ]
        for line in lines:
            if not table.contains(line.x0, line.top, line.x1, line.bottom):
                continue
            middle = (line.top + line.bottom) / 2
            beside = [cell for cell in cells if cell[0][1] - _SLACK <= middle <= cell[0][3] + _SLACK]
            owner = next((cell for cell in beside if _inside(line, cell[0])), None)
            if owner is not None:
                table.cell_lines.setdefault((owner[1], owner[2]), []).append(line)
                continue
            for piece, (_, row, column) in _cut(line, beside, reader):
                table.cell_lines.setdefault((row, column), []).append(piece)


def cell_paragraphs(table: PdfTable, row: int, column: int) -> list[str]:
    """The paragraphs and list items of one cell; the cell's text alone where its lines cannot tell."""
    value = table.rows[row][column]
    lines = table.cell_lines.get((row, column), [])
    if len(lines) < 2:
        return [value]
    lines = sorted(lines, key=lambda line: (round(line.top), line.x0))
    column_cells = [cell for (_, other), cell in table.cell_lines.items() if other == column]
    right_edge = max(line.x1 for cell in column_cells for line in cell)
    box = table.cell_boxes[row][column] if row < len(table.cell_boxes) else None
    if box is not None:
        # Where no line of the column fills it (short paragraphs only), the ruling less the padding
        # the text keeps on the left is where a line would have wrapped.
        padding = max(0.0, min(line.x0 for line in lines) - box[0])
        right_edge = max(right_edge, box[2] - padding)
    # Lines of one paragraph sit one pitch apart, a paragraph's spacing adds to it. The column's own
    # pitches tell it (a page-wide measure would mix in the body's): the smallest one common enough not
    # to be an accident, since short paragraphs can make the spaced pitch the most frequent.
    pitches = Counter(
        round(2 * (after.baseline - before.baseline)) / 2
        for cell in column_cells
        for before, after in itertools.pairwise(sorted(cell, key=lambda line: line.baseline))
        if after.baseline - before.baseline > 0.5 * after.size
    )
    total = sum(pitches.values())
    pitch = min((value for value, count in pitches.items() if count >= _COMMON * total), default=0.0)
    paragraphs = [lines[0].text]
    for previous, line in itertools.pairwise(lines):
        if _opens_paragraph(previous, line, right_edge=right_edge, pitch=pitch):
            paragraphs.append(line.text)
        elif previous.ends_with_hyphen and paragraphs[-1].endswith("-"):
            # As in the cell's text: a hyphen at a line end inside a cell is kept (pdf_tables).
            paragraphs[-1] += line.text
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
    # The lines must say what the cell says; where they do not (a glyph overhanging a ruling, text the
    # bounded query clipped), the cell stays one passage.
    if "".join("".join(paragraphs).split()) != "".join(value.split()):
        return [value]
    return paragraphs


def _opens_paragraph(previous: Line, line: Line, *, right_edge: float, pitch: float) -> bool:
    if starts_item(line.text, enumerated=True):
        return True
    if pitch and line.baseline - previous.baseline > pitch + _SPACING * line.size:
        return True  # space before or after a paragraph: single-spaced lines sit exactly ``pitch`` apart
    # A finished sentence on a line its successor's first word would have fitted on ended there.
    room = right_edge - previous.x1
    fits = 0.3 * line.size + line.first_word_width < room - 0.5 * line.size
    return bool(_TERMINAL.search(previous.text)) and fits and not previous.ends_with_hyphen


def _inside(line: Line, box: BBox) -> bool:
    return box[0] - _SLACK <= line.x0 and line.x1 <= box[2] + _SLACK


def _cut(
    line: Line, cells: list[tuple[BBox, int, int]], reader: CharReader
) -> list[tuple[Line, tuple[BBox, int, int]]]:
    """The pieces of a line that runs across cells, each with the cell it lies in.

    The characters of a line run left to right, so each border between two cells is found by bisection:
    a few character boxes per border instead of one per character.
    """
    if line.first_char < 0 or not cells:
        return []
    cells = sorted(cells, key=lambda cell: cell[0][0])
    text = line.text

    def centre(offset: int) -> float:
        while offset > 0 and text[offset].isspace():
            offset -= 1  # a space goes with the word before it
        left, _, right, _ = reader.box(line.first_char + offset)
        return (left + right) / 2

    bounds = [0]
    for cell in cells[:-1]:
        low, high = bounds[-1], len(text)
        while low < high:
            middle = (low + high) // 2
            if centre(middle) <= cell[0][2]:
                low = middle + 1
            else:
                high = middle
        bounds.append(low)
    bounds.append(len(text))
    pieces = []
    for cell, start, end in zip(cells, bounds, bounds[1:], strict=False):
        piece = _piece(line, start, end, reader)
        if piece is not None:
            pieces.append((piece, cell))
    return pieces


def _piece(line: Line, start: int, end: int, reader: CharReader) -> Line | None:
    """Characters ``start`` to ``end`` (exclusive) of ``line`` as a line of their own."""
    chunk = line.text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    first = start + len(chunk) - len(chunk.lstrip())
    last = first + len(stripped) - 1
    word = stripped.split()[0]
    x0 = reader.box(line.first_char + first)[0]
    # Built field by field rather than with dataclasses.replace, which costs several times more and runs
    # for every piece of every line that crosses cells.
    return Line(
        text=stripped,
        page=line.page,
        x0=x0,
        top=line.top,
        x1=max(x0, reader.box(line.first_char + last)[2]),
        bottom=line.bottom,
        size=line.size,
        font=line.font,
        bold=line.bold,
        first_word_x1=max(x0, reader.box(line.first_char + first + len(word) - 1)[2]),
        ends_with_hyphen=line.ends_with_hyphen and last == len(line.text) - 1,
        label=line.label,
        first_char=line.first_char + first,
        last_char=line.first_char + last,
        # Cells of one row need not share a baseline (vertically centred cells).
        baseline=reader.baseline(line.first_char + first),
    )
