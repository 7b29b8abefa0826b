"""Rows of cells (spreadsheet rows, CSV records, PDF table rows) into segments.

Shared by every tabular source so a workbook, a CSV export and a table in a PDF pick their header, their
text column and their ID column by the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice

from .classify_segment import SegmentClassifier
from .requirement_ids import looks_like_id, split_id
from .types import Segment

# Title, note and blank rows come before the header; it is looked for among this many non-empty rows.
_HEADER_WINDOW = 30
# Rows after the header used to judge columns by their content.
_SAMPLE_ROWS = 50
_MAX_LABEL_LENGTH = 60

# Header names in order of preference (earlier wins), matched as whole words of the normalised header.
_ID_HEADERS = (
    "req id", "requirement id", "requirement no", "requirement number", "req no", "req nr", "id",
    "identifier", "ref", "reference", "key", "number", "no", "nr", "#", "tag", "uid", "puid",
    "object identifier", "object number", "absolute number", "req",
)  # fmt: skip
_TEXT_HEADERS = (
    "requirement text", "requirement statement", "requirement description", "requirement", "requirements",
    "statement", "shall statement", "object text", "text", "description", "content", "details",
    "specification", "comment", "comments",
)  # fmt: skip
_SECTION_HEADERS = ("section", "section title", "chapter", "heading", "title", "summary", "subject", "topic")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?%?$")
_WORDS = re.compile(r"[a-z0-9#]+")
_MODAL = re.compile(r"\b(?:shall|must|should|will|required)\b", re.IGNORECASE)
# One ID of an ID column: letters and digits both ("JY4", "SR12a", "FR-2"), so a bare row number is not one.
_ID_TOKEN = re.compile(r"(?=[^\s,;]*[A-Za-z])(?=[^\s,;]*\d)[\w.\-/]{2,20}")
_ID_SEPARATORS = re.compile(r"[\s,;]+")
_MAX_IDS_IN_A_CELL = 8


@dataclass(slots=True)
class ColumnRoles:
    text: int
    external_id: int | None
    section: int | None
    names: list[str]  # attribute key of every column: its header, or its letter when there is none

    def name(self, index: int) -> str:
        # Rows further down can be wider than the rows the header was judged on.
        return self.names[index] if index < len(self.names) else column_letter(index)


@dataclass(slots=True)
class TableLayout:
    header_index: int | None
    roles: ColumnRoles


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA", as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell value as the text a user sees (cached formula results included)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value).strip()


def detect_layout(rows: Sequence[Sequence[str]]) -> TableLayout | None:
    """Where the header is and which columns hold the text, the ID and the section; None if no text."""
    window = rows[:_HEADER_WINDOW]
    header_index = find_header(window)
    header = rows[header_index] if header_index is not None else None
    sample = rows[(header_index + 1 if header_index is not None else 0) :][:_SAMPLE_ROWS]
    width = max((len(row) for row in rows), default=0)
    if width == 0:
        return None
    roles = choose_columns(header, sample, width)
    return TableLayout(header_index, roles)


def find_header(rows: Sequence[Sequence[str]]) -> int | None:
    """Index of the row naming the columns: the one with the most short text labels, known names first."""
    best_index, best_score = None, 0
    for index, row in enumerate(rows):
        labels = [value for value in row if _is_label(value)]
        if len(labels) < 2:
            continue
        known = sum(1 for value in labels if _role_of(value) is not None)
        score = len(labels) + 2 * known
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def choose_columns(header: Sequence[str] | None, sample: Sequence[Sequence[str]], width: int) -> ColumnRoles:
    names = _column_names(header, width)
    columns = [[row[index] if index < len(row) else "" for row in sample] for index in range(width)]
    id_column = _pick_id_column(header, columns)
    text_column = _pick_by_header(header, _TEXT_HEADERS, exclude={id_column})
    if text_column is None:
        text_column = _pick_text_by_content(columns, exclude={id_column})
    section_column = _pick_by_header(header, _SECTION_HEADERS, exclude={id_column, text_column})
    return ColumnRoles(text=text_column, external_id=id_column, section=section_column, names=names)


def row_segment(
    values: Sequence[str],
    roles: ColumnRoles,
    *,
    order: int,
    classify: SegmentClassifier,
    in_requirements: bool = False,
) -> Segment | None:
    """The segment for one data row, or None when its text cell is empty. ``in_requirements``: the table
    stands in a section that holds requirements, where "will" and "may" oblige as in its paragraphs."""
    text = values[roles.text].strip() if roles.text < len(values) else ""
    if not any(char.isalnum() for char in text):
        return None
    external_id: str | None = None
    if roles.external_id is not None and roles.external_id < len(values):
        external_id = values[roles.external_id].strip() or None
    if external_id is None:
        external_id, text = split_id(text)
    section = (
        values[roles.section].strip() if roles.section is not None and roles.section < len(values) else ""
    )
    skip = {roles.text, roles.external_id}
    attributes = {
        roles.name(index): value for index, value in enumerate(values) if value and index not in skip
    }
    return Segment(
        text=text,
        order=order,
        # A bare row number ("1", "2") is a key, not a requirement identifier: it says nothing about intent.
        is_requirement=classify(
            text,
            has_id=external_id is not None and (looks_like_id(external_id) or _reads_as_ids(external_id)),
            in_requirements=in_requirements,
        ),
        section_path=[section] if section else [],
        section_title=section,
        external_id=external_id,
        column=column_letter(roles.text),
        attributes=attributes,
    )


def _reads_as_ids(value: str) -> bool:
    """Whether an ID column's cell holds the author's own IDs: short ones a free-text reading would not
    trust ("JY4"), or several where a row traces to more than one ("EW11b RW16 SR20")."""
    tokens = _ID_SEPARATORS.split(value.strip())
    return 0 < len(tokens) <= _MAX_IDS_IN_A_CELL and all(_ID_TOKEN.fullmatch(token) for token in tokens)


def segments_from_rows(
    rows: Iterable[tuple[int, list[str]]], *, sheet: str | None, classify: SegmentClassifier, first_order: int
) -> Iterator[Segment]:
    """Stream segments from ``(row_number, cell_texts)`` pairs, holding only the header window in memory."""
    non_empty = (row for row in rows if any(row[1]))
    head = list(islice(non_empty, _HEADER_WINDOW + _SAMPLE_ROWS))
    layout = detect_layout([values for _, values in head])
    if layout is None:
        return
    start = 0 if layout.header_index is None else layout.header_index + 1
    header = head[layout.header_index][1] if layout.header_index is not None else None
    order = first_order
    for row_number, values in chain(head[start:], non_empty):
        if header is not None and values == header:
            continue  # the header repeated further down, as exports often do at page breaks
        segment = row_segment(values, layout.roles, order=order, classify=classify)
        if segment is None:
            continue
        segment.sheet = sheet
        segment.row = row_number
        if sheet:
            segment.section_path.insert(0, sheet)
            segment.section_title = segment.section_title or sheet
        order += 1
        yield segment


def _normalise_header(value: str) -> str:
    return " ".join(_WORDS.findall(value.lower()))


def _matches(header: str, phrase: str) -> bool:
    return header == phrase or f" {phrase} " in f" {header} "


@lru_cache(maxsize=4096)
def _rank(header: str, phrases: tuple[str, ...]) -> int | None:
    """How well a header names a role (lower is better): exact names beat names merely containing one."""
    normalised = _normalise_header(header)
    if normalised in phrases:
        return phrases.index(normalised)
    for rank, phrase in enumerate(phrases):
        if _matches(normalised, phrase):
            return len(phrases) + rank
    return None


def _role_of(value: str) -> str | None:
    for role, phrases in (("id", _ID_HEADERS), ("text", _TEXT_HEADERS), ("section", _SECTION_HEADERS)):
        if _rank(value, phrases) is not None:
            return role
    return None


def _is_label(value: str) -> bool:
    value = value.strip()
    return bool(value) and len(value) <= _MAX_LABEL_LENGTH and not _NUMBER.match(value)


def _column_names(header: Sequence[str] | None, width: int) -> list[str]:
    names: list[str] = []
    for index in range(width):
        name = " ".join(header[index].split()) if header is not None and index < len(header) else ""
        name = name or column_letter(index)
        if name in names:
            name = f"{name} ({column_letter(index)})"
        names.append(name)
    return names


def _pick_by_header(
    header: Sequence[str] | None, phrases: Sequence[str], *, exclude: set[int | None]
) -> int | None:
    if header is None:
        return None
    ranked = [
        (rank, index)
        for index, value in enumerate(header)
        if index not in exclude and (rank := _rank(value, phrases)) is not None
    ]
    return min(ranked)[1] if ranked else None


def _id_ratio(values: Sequence[str]) -> float:
    filled = [value for value in values if value]
    return sum(1 for value in filled if looks_like_id(value)) / len(filled) if filled else 0.0


def _pick_id_column(header: Sequence[str] | None, columns: list[list[str]]) -> int | None:
    candidates = []
    if header is not None:
        for index, value in enumerate(header):
            rank = _rank(value, _ID_HEADERS)
            if rank is not None and index < len(columns):
                exact = rank < len(_ID_HEADERS)
                candidates.append((exact, _id_ratio(columns[index]), -rank, -index))
    if candidates:
        return -max(candidates)[3]
    # No header names an ID: a column whose values nearly all read as requirement IDs is one.
    by_content = [(_id_ratio(values), -index) for index, values in enumerate(columns)]
    ratio, negative_index = max(by_content, default=(0.0, 0))
    return -negative_index if ratio >= 0.8 else None


def _pick_text_by_content(columns: list[list[str]], *, exclude: set[int | None]) -> int:
    def score(index: int) -> tuple[float, float]:
        filled = [value for value in columns[index] if value]
        if not filled:
            return (0.0, 0.0)
        modal = sum(1 for value in filled if _MODAL.search(value)) / len(filled)
        mean_length = sum(len(value) for value in filled) / len(filled)
        return (modal, mean_length)

    candidates = [index for index in range(len(columns)) if index not in exclude] or list(range(len(columns)))
    return max(candidates, key=lambda index: (score(index), -index))
