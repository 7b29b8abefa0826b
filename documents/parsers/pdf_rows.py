"""Numbered lists laid out as two columns: the number alone in one ("12."), the text wrapped in the next.

Word tables without rulings and hanging-indent lists come out of the text layer as a lone "12." line and,
beside it, the lines of the text cell, which the paragraph rules cannot join: they end well before the
page's right margin. Each such row becomes one line carrying its number as ``label``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from .pdf_blocks import Vocabulary
from .pdf_lines import Line
from .types import BBox

_LABEL = re.compile(r"^\(?(?P<label>\d{1,3}|[a-z])[.)]$")
# How far right of the number the text column may start, in font sizes.
_MAX_INDENT = 6.0
# Lines of one cell are closer than this (in font sizes, bottom to top); rows are further apart.
_MAX_CELL_GAP = 1.3


def join_numbered_rows(lines: list[Line], vocabulary: Vocabulary) -> list[Line]:
    """``lines`` of one page with each lone-number row merged into one labelled line."""
    labels = [line for line in lines if _LABEL.match(line.text)]
    if not labels:
        return lines
    merged: dict[int, Line] = {}  # id of the cell's first line -> the merged line
    consumed: set[int] = set()
    for label in labels:
        cell = _cell_beside(label, lines, consumed)
        if cell is None:
            continue
        text = cell[0].text
        for previous, line in itertools.pairwise(cell):
            text = vocabulary.join(text, line.text) if previous.ends_with_hyphen else f"{text} {line.text}"
        match = _LABEL.match(label.text)
        assert match is not None
        merged[id(cell[0])] = replace(
            cell[0],
            text=text,
            x0=label.x0,
            top=min(label.top, cell[0].top),
            x1=max(line.x1 for line in cell),
            bottom=max(label.bottom, cell[-1].bottom),
            ends_with_hyphen=False,
            label=match.group("label"),
            first_char=-1,
            last_char=-1,
        )
        consumed.update(id(line) for line in cell)
        consumed.add(id(label))
    result = []
    for line in lines:
        if id(line) in merged:
            result.append(merged[id(line)])
        elif id(line) not in consumed:
            result.append(line)
    return result


def _cell_beside(label: Line, lines: list[Line], consumed: set[int]) -> list[Line] | None:
    size = label.size
    centre = (label.top + label.bottom) / 2
    beside = [
        line
        for line in lines
        if id(line) not in consumed
        and line.page == label.page
        and label.x1 < line.x0 <= label.x1 + _MAX_INDENT * size
        and not _LABEL.match(line.text)
    ]
    if not beside:
        return None
    nearest = min(beside, key=lambda line: abs((line.top + line.bottom) / 2 - centre))
    if abs((nearest.top + nearest.bottom) / 2 - centre) > 3 * size:
        return None
    column = sorted((line for line in beside if abs(line.x0 - nearest.x0) < 0.5 * size), key=lambda x: x.top)
    index = column.index(nearest)
    low = high = index
    while low > 0 and column[low].top - column[low - 1].bottom < _MAX_CELL_GAP * size:
        low -= 1
    while high + 1 < len(column) and column[high + 1].top - column[high].bottom < _MAX_CELL_GAP * size:
        high += 1
    cell = column[low : high + 1]
    if not cell[0].top - size <= centre <= cell[-1].bottom + size:
        return None
    return cell


@dataclass(frozen=True, slots=True)
class NumberedRow:
    label: str | None
    text: str
    bbox: BBox


def numbered_table_rows(rows: list[list[str]], boxes: list[BBox]) -> list[NumberedRow] | None:
    """A table that is a numbered list (a number cell, a text cell) as one row per item; None otherwise.

    A cell that wraps over several lines without rulings between them comes out as several rows: a row
    that starts inside the box of a cell above it (its row reaches further down) belongs to that row.
    """
    if len(rows) < 2:
        return None
    groups: list[list[int]] = []
    group_bottom = float("-inf")
    for index, box in enumerate(boxes):
        if groups and box[1] < group_bottom - 1.0:
            groups[-1].append(index)
        else:
            groups.append([index])
        group_bottom = max(group_bottom, box[3]) if len(groups[-1]) > 1 else box[3]
    result = []
    for group in groups:
        labels = [value for index in group for value in rows[index] if _LABEL.match(value.strip())]
        texts = [
            value.strip()
            for index in group
            for value in rows[index]
            if value.strip() and not _LABEL.match(value.strip())
        ]
        label_match = _LABEL.match(labels[0].strip()) if len(labels) == 1 else None
        result.append(
            NumberedRow(
                label=label_match.group("label") if label_match else None,
                text=" ".join(texts),
                bbox=(
                    min(boxes[index][0] for index in group),
                    min(boxes[index][1] for index in group),
                    max(boxes[index][2] for index in group),
                    max(boxes[index][3] for index in group),
                ),
            )
        )
    labels = [row.label for row in result if row.label is not None]
    # A list of one ("1." beside the module's only requirement, under the module's title row) is a list
    # too; a lone number other than the first is more likely a figure in a table of data.
    is_list = len(labels) >= 2 or labels == ["1"]
    return result if is_list and len(labels) >= 0.5 * len(result) else None
