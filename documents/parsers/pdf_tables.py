"""Ruled tables found from the page's vector lines, read with PDFium.

pdfplumber finds tables well but parses the whole page with pdfminer to do it, which alone is slower than
the 3x-faster-than-pdfplumber target. Ruled tables only need the page's straight path segments (a few
hundred PDFium calls) and one bounded-text query per cell.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import pdfium_calls as calls
from .pdf_lines import Line
from .types import BBox

# Points: rulings closer than this are the same line; gaps shorter than this are the same segment.
_SNAP = 3.0
_MIN_RULING = 2.0
_MAX_FORM_DEPTH = 4

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(slots=True)
class PdfTable:
    page: int
    bbox: BBox
    rows: list[list[str]]
    row_boxes: list[BBox]
    # The ruled box of each cell by row and column (None where a merged cell left no box of its own).
    cell_boxes: list[list[BBox | None]] = field(default_factory=list)
    # The text lines of a cell by (row, column), set where the page's lines are known (see pdf_cells).
    cell_lines: dict[tuple[int, int], list[Line]] = field(default_factory=dict)

    def contains(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        """Whether a box's centre lies inside the table."""
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        return self.bbox[0] <= cx <= self.bbox[2] and self.bbox[1] <= cy <= self.bbox[3]


@dataclass(slots=True)
class _Ruling:
    position: float  # y of a horizontal ruling, x of a vertical one
    start: float
    end: float


def find_tables(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, *, page_index: int, page_height: float
) -> list[PdfTable]:
    horizontal, vertical = _rulings(page, page_height)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    cells = _cells(horizontal, vertical)
    tables = []
    for group in _connected(cells):
        table = _read_table(_outermost(group), textpage, page_index=page_index, page_height=page_height)
        if table is not None:
            tables.append(table)
    return tables


def _rulings(page: pdfium.PdfPage, page_height: float) -> tuple[list[_Ruling], list[_Ruling]]:
    reader = _SegmentReader(page_height)
    reader.read(page.raw, _IDENTITY, depth=0, count=calls.page_object_count, get=calls.page_object)
    return _merge(reader.horizontal), _merge(reader.vertical)


class _SegmentReader:
    """The rulings among a page's straight path segments, in page space. A table-heavy page has thousands
    of path segments, each read through ctypes: the out-parameters are made once per page, not once per
    call, and the calls go through plain-pointer prototypes (see pdfium_calls)."""

    def __init__(self, page_height: float) -> None:
        self.horizontal: list[_Ruling] = []
        self.vertical: list[_Ruling] = []
        self._height = page_height
        self._x, self._y = ctypes.c_float(), ctypes.c_float()
        self._point_at = (ctypes.byref(self._x), ctypes.byref(self._y))
        self._box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
        self._box_at = tuple(ctypes.byref(value) for value in self._box)

    def read(self, parent, matrix: Matrix, *, depth: int, count, get) -> None:  # type: ignore[no-untyped-def]
        # A page holds thousands of objects, most of them text: the loop's names are bound once.
        type_of, from_bounds = calls.object_type, self._ruling_from_bounds
        path_kind, form_kind = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
        for index in range(count(parent)):
            obj = get(parent, index)
            kind = type_of(obj)
            if kind == path_kind:
                if not from_bounds(obj, matrix):
                    self._read_path(obj, _compose(_matrix(obj), matrix))
            elif kind == form_kind and depth < _MAX_FORM_DEPTH:
                # Some producers draw whole tables inside a form XObject with its own coordinate system.
                self.read(
                    obj,
                    _compose(_matrix(obj), matrix),
                    depth=depth + 1,
                    count=calls.form_object_count,
                    get=calls.form_object,
                )

    def _ruling_from_bounds(self, obj, parent: Matrix) -> bool:  # type: ignore[no-untyped-def]
        """Settle a path from its box alone where the box decides it, one call instead of four per segment:
        a box shorter than a ruling both ways (the dots, bullets and glyph-like marks that make up a third
        of a table-heavy page's path segments) holds none; a box under a point thin one way and a ruling
        long the other (a drawn line, or a thin filled bar, the two ways tables draw their rules) is one
        ruling along its middle. The box holds every point of the path and its stroke, so no ruling is
        lost; a rotated box is read segment by segment."""
        if not calls.object_bounds(obj, *self._box_at):
            return False
        box = self._box
        left, bottom, right, top = box[0].value, box[1].value, box[2].value, box[3].value
        # The box is in the parent's space (a form XObject's): its extent on the page both ways.
        a, b, c, d, e, f = parent
        width, height = right - left, top - bottom
        if abs(a) * width + abs(c) * height < _MIN_RULING and abs(b) * width + abs(d) * height < _MIN_RULING:
            return True
        if b or c:
            return False
        x0, x1 = sorted((a * left + e, a * right + e))
        y0, y1 = sorted((d * bottom + f, d * top + f))
        if y1 - y0 < 1.0 and x1 - x0 >= _MIN_RULING:
            self.horizontal.append(_Ruling(self._height - (y0 + y1) / 2, x0, x1))
            return True
        if x1 - x0 < 1.0 and y1 - y0 >= _MIN_RULING:
            self.vertical.append(_Ruling((x0 + x1) / 2, self._height - y1, self._height - y0))
            return True
        return False

    def _read_path(self, path, matrix: Matrix) -> None:  # type: ignore[no-untyped-def]
        x, y = self._x, self._y
        x_at, y_at = self._point_at
        a, b, c, d, e, f = matrix
        segment_at, point_of = calls.path_segment, calls.segment_point
        kind_of, closes = calls.segment_type, calls.segment_closes
        moveto, lineto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
        add = self._add
        start: tuple[float, float] | None = None
        previous: tuple[float, float] | None = None
        for index in range(calls.path_segment_count(path)):
            segment = segment_at(path, index)
            point_of(segment, x_at, y_at)
            px, py = x.value, y.value
            point = (a * px + c * py + e, b * px + d * py + f)
            kind = kind_of(segment)
            if kind == moveto:
                start = point
            elif kind == lineto and previous is not None:
                add(previous, point)
            # Bezier pieces belong to drawings and rounded frames, not to table grids: skipped.
            previous = point
            if closes(segment) and start is not None:
                add(point, start)
                previous = start

    def _add(self, begin: tuple[float, float], end: tuple[float, float]) -> None:
        """Keep a segment that is a horizontal or a vertical ruling (top-left origin)."""
        x0, y0 = begin
        x1, y1 = end
        top0, top1 = self._height - y0, self._height - y1
        if abs(top0 - top1) < 1.0 and abs(x1 - x0) >= _MIN_RULING:
            self.horizontal.append(_Ruling((top0 + top1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) < 1.0 and abs(top1 - top0) >= _MIN_RULING:
            self.vertical.append(_Ruling((x0 + x1) / 2, min(top0, top1), max(top0, top1)))


def _matrix(obj) -> Matrix:  # type: ignore[no-untyped-def]
    raw = pdfium_c.FS_MATRIX()
    if not calls.object_matrix(obj, ctypes.byref(raw)):
        return _IDENTITY
    return (raw.a, raw.b, raw.c, raw.d, raw.e, raw.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _merge(rulings: list[_Ruling]) -> list[_Ruling]:
    """Snap nearly collinear rulings together and join the pieces of a dashed or split line."""
    merged: list[_Ruling] = []
    rulings.sort(key=lambda ruling: ruling.position)
    clusters: list[list[_Ruling]] = []
    for ruling in rulings:
        if clusters and ruling.position - clusters[-1][0].position <= _SNAP:
            clusters[-1].append(ruling)
        else:
            clusters.append([ruling])
    for cluster in clusters:
        position = sum(ruling.position for ruling in cluster) / len(cluster)
        cluster.sort(key=lambda ruling: ruling.start)
        current = _Ruling(position, cluster[0].start, cluster[0].end)
        for ruling in cluster[1:]:
            if ruling.start <= current.end + _SNAP:
                current.end = max(current.end, ruling.end)
            else:
                merged.append(current)
                current = _Ruling(position, ruling.start, ruling.end)
        merged.append(current)
    return merged


def _cells(horizontal: list[_Ruling], vertical: list[_Ruling]) -> list[BBox]:
    """The smallest ruled rectangles, found from where horizontal and vertical rulings cross."""
    # Each crossing remembers which rulings pass through it, so "is there a line between these two
    # crossings" is a set intersection.
    h_at: dict[tuple[float, float], set[int]] = {}
    v_at: dict[tuple[float, float], set[int]] = {}
    for h_index, h in enumerate(horizontal):
        for v_index, v in enumerate(vertical):
            if (
                h.start - _SNAP <= v.position <= h.end + _SNAP
                and v.start - _SNAP <= h.position <= v.end + _SNAP
            ):
                point = (v.position, h.position)
                h_at.setdefault(point, set()).add(h_index)
                v_at.setdefault(point, set()).add(v_index)
    xs_on_y: dict[float, list[float]] = {}
    ys_on_x: dict[float, list[float]] = {}
    for x, y in h_at:
        xs_on_y.setdefault(y, []).append(x)
        ys_on_x.setdefault(x, []).append(y)
    cells: list[BBox] = []
    for (x, y), h_ids in h_at.items():
        v_ids = v_at[(x, y)]
        below = sorted(y2 for y2 in ys_on_x[x] if y2 > y and v_ids & v_at[(x, y2)])
        right = sorted(x2 for x2 in xs_on_y[y] if x2 > x and h_ids & h_at[(x2, y)])
        cell = _first_closed(x, y, below, right, h_at, v_at)
        if cell is not None and cell[2] - cell[0] >= _SNAP and cell[3] - cell[1] >= _SNAP:
            cells.append(cell)
    return cells


def _first_closed(
    x: float,
    y: float,
    below: list[float],
    right: list[float],
    h_at: dict[tuple[float, float], set[int]],
    v_at: dict[tuple[float, float], set[int]],
) -> BBox | None:
    for y2 in below:
        for x2 in right:
            corner = (x2, y2)
            if corner in h_at and v_at[(x2, y)] & v_at[corner] and h_at[(x, y2)] & h_at[corner]:
                return (x, y, x2, y2)
    return None


def _connected(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables: two cells belong together when they share a corner."""
    parent = list(range(len(cells)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[tuple[float, float], int] = {}
    for index, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x1, top), (x0, bottom), (x1, bottom)):
            if corner in owner:
                parent[find(index)] = find(owner[corner])
            else:
                owner[corner] = index
    groups: dict[int, list[BBox]] = {}
    for index, cell in enumerate(cells):
        groups.setdefault(find(index), []).append(cell)
    return list(groups.values())


# Above this many cells a table is a grid (mode tables, packet layouts) whose boxes do not nest; checking
# every pair there would cost more than the rest of the page.
_MAX_NESTING_CHECK = 400


def _outermost(cells: list[BBox]) -> list[BBox]:
    """The cells that lie inside no other cell of the table.

    A shaded or framed area inside a cell draws a box of its own; read as a cell it repeats part of the
    cell's text in a column of its own ("... links should Avoiding link overload: ... links should").
    """
    if len(cells) > _MAX_NESTING_CHECK:
        return cells
    return [
        cell
        for cell in cells
        if not any(
            other != cell
            and other[0] <= cell[0] + 1
            and other[1] <= cell[1] + 1
            and other[2] >= cell[2] - 1
            and other[3] >= cell[3] - 1
            for other in cells
        )
    ]


# Narrower than a padded character: no cell holds text in that.
_MIN_CELL_WIDTH = 8.0
# Points the text query keeps below a cell's top ruling. PDFium returns every character whose box touches
# the area, and where a row breaks across pages the line cut off above the ruling leaves its descenders
# inside the cell ("human g g capabilities"); a cell's own first line sits further down than that.
_TOP_INSET = 2.0


def _read_table(
    cells: list[BBox], textpage: pdfium.PdfTextPage, *, page_index: int, page_height: float
) -> PdfTable | None:
    columns = sorted({cell[0] for cell in cells})
    tops = sorted({cell[1] for cell in cells})
    # A single ruled box is a frame around text, and a one-row strip is usually part of a figure.
    if len(columns) < 2 or len(tops) < 2:
        return None
    reader = _BoundedText(textpage)
    rows: list[list[str]] = []
    row_boxes: list[BBox] = []
    cell_boxes: list[list[BBox | None]] = []
    for top in tops:
        row_cells = sorted(cell for cell in cells if cell[1] == top)
        values = [""] * len(columns)
        boxes: list[BBox | None] = [None] * len(columns)
        for x0, cell_top, x1, bottom in row_cells:
            if x1 - x0 < _MIN_CELL_WIDTH:
                # A gutter between two rulings. PDFium returns every character whose box touches an area,
                # so a gutter holds the first letters of the next cell's lines where they overhang it.
                continue
            text = reader.read(
                left=x0 + 0.5,
                bottom=page_height - bottom + 0.5,
                right=x1 - 0.5,
                top=page_height - cell_top - _TOP_INSET,
            )
            values[columns.index(x0)] = clean_cell_text(text)
            boxes[columns.index(x0)] = (x0, cell_top, x1, bottom)
        rows.append(values)
        cell_boxes.append(boxes)
        row_boxes.append(
            (row_cells[0][0], top, max(cell[2] for cell in row_cells), max(cell[3] for cell in row_cells))
        )
    bbox = (columns[0], tops[0], max(cell[2] for cell in cells), max(cell[3] for cell in cells))
    groups = _column_groups(cell_boxes, columns, right=bbox[2])
    if groups is not None:
        rows, cell_boxes = _regrouped(rows, cell_boxes, groups)
    return PdfTable(page=page_index, bbox=bbox, rows=rows, row_boxes=row_boxes, cell_boxes=cell_boxes)


def _column_groups(
    cell_boxes: list[list[BBox | None]], columns: list[float], *, right: float
) -> list[range] | None:
    """The table's real columns as runs of grid columns, where rows do not line up; None where they do.

    Some writers draw the header's cells inset from the body's (a box inside each header cell): the
    rulings then make a grid column of each sliver, the header's text lands in other grid columns than the
    body's, and no column holds both a header and its values. Each row says where a column must end: between
    two of its cells. The fewest cuts that satisfy every row (the earliest cut that still lies in the most
    ranges, taken greedily) give the columns every row agrees on.
    """
    bounds = [*columns, right]
    ranges: list[tuple[int, int]] = []  # a cut before grid column k, for some k in [start, end]
    for boxes in cell_boxes:
        owners = [_owner(boxes, (bounds[k] + bounds[k + 1]) / 2) for k in range(len(columns))]
        last: tuple[int, int | None] | None = None  # (grid column, owner) of the last owned column
        for k, owner in enumerate(owners):
            if owner is None:
                continue
            if last is not None and last[1] != owner:
                ranges.append((last[0] + 1, k))
            last = (k, owner)
    cuts: list[int] = []
    for start, end in sorted(ranges, key=lambda span: span[1]):
        if not cuts or cuts[-1] < start:
            cuts.append(end)
    groups = [range(a, b) for a, b in zip([0, *cuts], [*cuts, len(columns)], strict=True)]
    # Rows line up where, in every column, all the rows' cells start at the same grid column.
    for group in groups:
        starts = {k for boxes in cell_boxes for k in group if boxes[k] is not None}
        if len(starts) > 1:
            return groups
    return None


def _owner(boxes: list[BBox | None], x: float) -> int | None:
    """The grid column where the row's cell covering ``x`` starts."""
    for k, box in enumerate(boxes):
        if box is not None and box[0] <= x <= box[2]:
            return k
    return None


def _regrouped(
    rows: list[list[str]], cell_boxes: list[list[BBox | None]], groups: list[range]
) -> tuple[list[list[str]], list[list[BBox | None]]]:
    new_rows = [[" ".join(row[k] for k in group if row[k]) for group in groups] for row in rows]
    new_boxes: list[list[BBox | None]] = []
    for boxes in cell_boxes:
        merged: list[BBox | None] = []
        for group in groups:
            present = [box for box in (boxes[k] for k in group) if box is not None]
            merged.append(
                (
                    min(box[0] for box in present),
                    min(box[1] for box in present),
                    max(box[2] for box in present),
                    max(box[3] for box in present),
                )
                if present
                else None
            )
        new_boxes.append(merged)
    return new_rows, new_boxes


class _BoundedText:
    """The text inside a rectangle of the page. pypdfium2 asks PDFium twice, once for the length and once
    for the text, and each time PDFium walks every character of the page; one call into a buffer large
    enough for any cell does it once."""

    _CAPACITY = 8192

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self._textpage = textpage
        self._buffer = (ctypes.c_ushort * self._CAPACITY)()

    def read(self, *, left: float, bottom: float, right: float, top: float) -> str:
        count = calls.bounded_text(self._textpage.raw, left, top, right, bottom, self._buffer, self._CAPACITY)
        if count >= self._CAPACITY:
            return self._textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        # PDFium copies the text's terminating NUL too where the buffer has room for it.
        text = ctypes.string_at(self._buffer, 2 * max(count, 0)).decode("utf-16-le", errors="ignore")
        return text.removesuffix("\x00")


def clean_cell_text(text: str) -> str:
    # Inside a cell a line-end hyphen (U+FFFE or U+0002 from PDFium) splits a word or a compound, and
    # keeping the hyphen never loses information.
    text = text.replace("\ufffe", "-\n").replace("\x02", "-\n")
    lines = [line.strip() for line in text.splitlines()]
    joined = ""
    for line in lines:
        if not line:
            continue
        if joined.endswith("-") and not joined.endswith(" -"):
            joined += line
        else:
            joined = f"{joined} {line}" if joined else line
    return joined
