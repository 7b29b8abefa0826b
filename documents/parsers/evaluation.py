"""Score a parse against a truth CSV of requirements (``id``, ``text`` columns). Pure Python, no Django.

The scoring rules are those of ``../shared/data/README.md``:

- both sides normalised: Unicode NFKC, casefold, every run of non-alphanumerics one space, trimmed;
- a truth row is *found* when some segment has the same normalised text;
- its *ID is equal* when such a segment carries the row's ``id`` as its own ID. Truth IDs that are not
  printed in the document (SUBSET-026 trace strings with ``[n]``, ``[t]``, ``[r]``, ``[c]``) are scored
  on text only; a truth ``id`` that is only the number of a printed ``REQ-n`` matches ``REQ-n``;
- it is *flagged* when such a segment is flagged as a requirement;
- *extra* are requirement-flagged segments whose text matches no truth row: neither a scored row nor one
  of the ``known`` rows, requirements of the document that are not scored (SUBSET-026 requirement objects
  inside tables, scored on text elsewhere or not at all, are still requirements the parser rightly flags).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .types import Segment

_NON_ALNUM = re.compile(r"[\W_]+")
_UNPRINTED_ID = re.compile(r"\[[^\]]*\]")
_FILTER = re.compile(r"^(?P<column>[^!=~]+)(?P<operator>!=|!~|=|~)(?P<value>.*)$", re.DOTALL)


def normalise(text: str) -> str:
    return _NON_ALNUM.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


@dataclass(frozen=True, slots=True)
class RowFilter:
    """``column=value``, ``column!=value``, ``column~regex`` or ``column!~regex`` on one truth column."""

    column: str
    operator: str
    value: str

    @classmethod
    def parse(cls, expression: str) -> RowFilter:
        match = _FILTER.match(expression)
        if match is None:
            raise ValueError(f"not a filter: {expression!r} (use COLUMN=VALUE, !=, ~REGEX or !~REGEX)")
        return cls(match.group("column").strip(), match.group("operator"), match.group("value"))

    def accepts(self, row: dict[str, str]) -> bool:
        value = row.get(self.column)
        if value is None:
            raise ValueError(f"the truth CSV has no column {self.column!r}")
        if self.operator == "=":
            return value == self.value
        if self.operator == "!=":
            return value != self.value
        found = re.search(self.value, value) is not None
        return found if self.operator == "~" else not found


@dataclass(frozen=True, slots=True)
class TruthRow:
    line: int  # 1-based data row of the CSV (the header is row 0)
    id: str
    text: str

    @property
    def id_is_printed(self) -> bool:
        return bool(self.id) and not _UNPRINTED_ID.search(self.id)


@dataclass(slots=True)
class Score:
    rows: int
    found: int
    id_rows: int  # rows whose ID the document prints
    id_equal: int
    flagged: int
    flagged_segments: int
    extra: int
    misses: list[dict[str, str]] = field(default_factory=list)
    extras: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self, *, limit: int | None = None) -> dict[str, object]:
        return {
            "rows": self.rows,
            "found": self.found,
            "found_ratio": _ratio(self.found, self.rows),
            "id_rows": self.id_rows,
            "id_equal": self.id_equal,
            "id_equal_ratio": _ratio(self.id_equal, self.id_rows),
            "flagged": self.flagged,
            "flagged_ratio": _ratio(self.flagged, self.rows),
            "flagged_segments": self.flagged_segments,
            "extra": self.extra,
            "extra_ratio": _ratio(self.extra, self.flagged_segments),
            "misses": self.misses[:limit],
            "extras": self.extras[:limit],
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def read_truth(
    path: Path, *, filters: Sequence[RowFilter] = (), exclude_lines: Iterable[int] = ()
) -> list[TruthRow]:
    """Truth rows with a non-empty text that pass every filter, less the excluded data rows."""
    excluded = set(exclude_lines)
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "text"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"the truth CSV lacks the column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=1):
            if line in excluded or not normalise(row["text"]):
                continue
            if all(condition.accepts(row) for condition in filters):
                rows.append(TruthRow(line=line, id=row["id"].strip(), text=row["text"]))
    return rows


def id_matches(segment_id: str | None, truth_id: str) -> bool:
    """``"4.4.1.1.a"`` equals itself; a bare truth number ``"7"`` also equals a printed ``"REQ-7"``."""
    if not segment_id:
        return False
    segment_id = segment_id.strip()
    if segment_id.casefold() == truth_id.casefold():
        return True
    if truth_id.isdigit():
        match = re.fullmatch(r"[A-Za-z]*[-_ ]?0*(\d+)\.?", segment_id)
        return match is not None and int(match.group(1)) == int(truth_id)
    return False


def score(segments: Sequence[Segment], truth: Sequence[TruthRow], known: Sequence[TruthRow] = ()) -> Score:
    by_text: dict[str, list[Segment]] = {}
    for segment in segments:
        by_text.setdefault(normalise(segment.text), []).append(segment)
        # Some truth texts keep the printed ID in front ("REQ-13: Password field ..."): a segment whose ID
        # was split off matches them too.
        if segment.external_id:
            by_text.setdefault(normalise(f"{segment.external_id} {segment.text}"), []).append(segment)
    found = id_rows = id_equal = flagged = 0
    misses: list[dict[str, str]] = []
    truth_texts = set()
    for row in truth:
        key = normalise(row.text)
        truth_texts.add(key)
        matches = by_text.get(key, [])
        if row.id_is_printed:
            id_rows += 1
        if not matches:
            misses.append({"id": row.id, "text": row.text, "why": "not found"})
            continue
        found += 1
        if any(segment.is_requirement for segment in matches):
            flagged += 1
        else:
            misses.append({"id": row.id, "text": row.text, "why": "not flagged"})
        if row.id_is_printed:
            if any(id_matches(segment.external_id, row.id) for segment in matches):
                id_equal += 1
            else:
                ids = sorted({segment.external_id or "" for segment in matches})
                misses.append({"id": row.id, "text": row.text, "why": f"ID read as {ids}"})
    truth_texts.update(normalise(row.text) for row in known)
    requirement_segments = [segment for segment in segments if segment.is_requirement]
    extras = [
        {"id": segment.external_id or "", "text": segment.text, "page": str(segment.page or "")}
        for segment in requirement_segments
        if normalise(segment.text) not in truth_texts
        and normalise(f"{segment.external_id or ''} {segment.text}") not in truth_texts
    ]
    return Score(
        rows=len(truth),
        found=found,
        id_rows=id_rows,
        id_equal=id_equal,
        flagged=flagged,
        flagged_segments=len(requirement_segments),
        extra=len(extras),
        misses=misses,
        extras=extras,
    )
