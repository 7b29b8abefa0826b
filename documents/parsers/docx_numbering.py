"""Word's automatic numbering rendered as the reader sees it: "3.2.1", "a)", "iv." or a bullet.

Word does not store the numbers of numbered headings and list items: it stores a list definition
(``numbering.xml``) and counts while laying out. Headings numbered by a multi-level list give the section
path and the clause numbers only once the counting is redone here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Level:
    start: int
    number_format: str  # decimal, lowerLetter, upperRoman, bullet, none, ...
    text: str  # "%1.%2." or the bullet glyph


@dataclass(frozen=True, slots=True)
class NumberLabel:
    """A paragraph's rendered number: ``label`` as printed, ``value`` of its own level, ``bullet``."""

    label: str
    level: int
    bullet: bool
    own: str  # the paragraph's own level alone, formatted: "a" of "2.1.a)"; empty for bullets


def _roman(value: int) -> str:
    out = ""
    for number, letters in _ROMAN:
        while value >= number:
            out += letters
            value -= number
    return out


def _letters(value: int) -> str:
    # Word goes a..z, then aa..zz, aaa..: the letter repeated, not spreadsheet-style "ab".
    if value < 1:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


_FORMATTERS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda value: f"{value:02d}",
    "lowerLetter": _letters,
    "upperLetter": lambda value: _letters(value).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda value: _roman(value).upper(),
}


def format_value(value: int, number_format: str) -> str:
    return _FORMATTERS.get(number_format, str)(value)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return None if child is None else child.get(qn("w:val"))


class Numbering:
    """Counts every numbered paragraph of a document in reading order and renders its number."""

    def __init__(self, numbering_element: Any | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_level: dict[str, dict[str, int]] = {}  # abstract id -> style id -> level
        self._num_abstract: dict[str, str] = {}
        self._num_restarts: dict[str, dict[int, int]] = {}
        self._counters: dict[str, list[int]] = {}
        if numbering_element is None:
            return
        for abstract in numbering_element.findall(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            levels: dict[int, Level] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                index = int(lvl.get(qn("w:ilvl"), "0"))
                levels[index] = Level(
                    start=_int(_val(lvl, "w:start"), 1),
                    number_format=_val(lvl, "w:numFmt") or "decimal",
                    text=_val(lvl, "w:lvlText") or "",
                )
                if (style := _val(lvl, "w:pStyle")) is not None:
                    self._style_level.setdefault(abstract_id, {})[style] = index
            self._abstract[abstract_id] = levels
        for num in numbering_element.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            abstract_id = _val(num, "w:abstractNumId")
            if abstract_id is None:
                continue
            self._num_abstract[num_id] = abstract_id
            restarts = {
                int(override.get(qn("w:ilvl"), "0")): _int(_val(override, "w:startOverride"), 1)
                for override in num.findall(qn("w:lvlOverride"))
                if _val(override, "w:startOverride") is not None
            }
            if restarts:
                self._num_restarts[num_id] = restarts

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        abstract_id = self._num_abstract.get(num_id)
        return self._style_level.get(abstract_id or "", {}).get(style_id)

    def next_label(self, num_id: str, level: int) -> NumberLabel | None:
        """Advance the list ``num_id`` at ``level`` and return the paragraph's number; None if unnumbered."""
        abstract_id = self._num_abstract.get(num_id)
        if abstract_id is None or num_id == "0":
            return None
        levels = self._abstract.get(abstract_id, {})
        definition = levels.get(level)
        if definition is None or (definition.number_format == "none" and not definition.text):
            return None
        # Lists sharing a definition continue each other's count unless the list restarts it.
        key = num_id if num_id in self._num_restarts else abstract_id
        starts = [self._start(num_id, levels, index) for index in range(_LEVELS)]
        counters = self._counters.setdefault(key, [start - 1 for start in starts])
        counters[level] += 1
        for deeper in range(level + 1, _LEVELS):
            counters[deeper] = starts[deeper] - 1
        if definition.number_format == "bullet":
            return NumberLabel(label=definition.text, level=level, bullet=True, own="")

        def render(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            shown = levels.get(index, definition)
            value = max(counters[index], starts[index])  # a level never reached shows its start
            return format_value(value, shown.number_format)

        label = _PLACEHOLDER.sub(render, definition.text).strip()
        own = format_value(counters[level], definition.number_format)
        return NumberLabel(label=label, level=level, bullet=False, own=own)

    def _start(self, num_id: str, levels: dict[int, Level], index: int) -> int:
        restart = self._num_restarts.get(num_id, {}).get(index)
        if restart is not None:
            return restart
        level = levels.get(index)
        return level.start if level is not None else 1


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
