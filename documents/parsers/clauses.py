"""Clause numbers and list items: the identifiers a document gives by numbering its paragraphs.

Some specifications (SUBSET-026, military and rail standards) start every paragraph with its clause number
(``2.5.1.2.1 The balise is ...``) and letter the items of a list under it (``a)``, ``b)``); each is traced
by that number (``2.5.1.2.1``, ``2.5.1.2.1.a``). Others number only their headings, and a paragraph that
happens to start with a number (``3.5 V is the supply voltage``) must not be read as an ID there. Which
kind a document is, it says itself: how many of its paragraphs start with a clause number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .headings import reads_as_title
from .pdf_lines import Line

_CLAUSE = re.compile(
    # A lettered item may carry its clause's number in full: "2.5.1.1.a There must be ...".
    r"^(?P<number>\d{1,2}(?:\.\d{1,3}){1,7}(?:\.[a-z](?=[\s.)]))?)[.)]?"
    # The tab after a deep number sometimes comes out as nothing: "4.4.20.1.11When in Passive Shunting",
    # "7.5.1.101.1Q_CONFTEXTDISPLAY" (a variable's name).
    r"(?:(?P<space>\s+)|(?=[A-Z][a-z])|(?=[A-Z][A-Z0-9]*_[A-Z0-9_]))(?P<rest>\S.*)$",
    re.DOTALL,
)
# Glyphs word processors use for bullets (PDFium gives Symbol/Wingdings bullets as private-use codes).
BULLETS = (
    "\u2022\u00b7\u25cf\u25aa\u25e6\u2023\u25a0\u25a1\u27a2\u2713\u2714\u25ba\u2219"
    "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf06c\uf06e\uf0a8"
)
_ITEM = re.compile(
    rf"""^(?:
        (?P<letter>[a-z])\)|\((?P<paren>[a-z]{{1,4}}|\d{{1,2}})\)|(?P<digit>\d{{1,2}})[.)](?!\d)
        |(?P<bullet>[{BULLETS}])|(?P<dash>[-\u2013\u2014*])(?=\s)
    )\s*(?P<rest>\S.*)$""",
    re.VERBOSE | re.DOTALL,
)
# Below this many numbered paragraphs a document numbers its headings, not its paragraphs.
_MIN_NUMBERED = 5
_MIN_SHARE = 0.1
_MIN_SENTENCE_WORDS = 4


@dataclass(frozen=True, slots=True)
class ListItem:
    label: str | None  # "a", "3" or "iv" where the item is enumerated; None for a bullet or dash
    text: str
    bullet: bool


def split_clause(text: str) -> tuple[str | None, str]:
    """``"2.5.1.2 The balise is ..."`` into ``("2.5.1.2", "The balise is ...")``."""
    match = _CLAUSE.match(text)
    if match is None or (match.group("space") is None and match.group("number").count(".") < 2):
        return None, text
    return match.group("number"), match.group("rest").strip()


def clause_text_size(lines: Sequence[Line]) -> float | None:
    """The font size of numbered paragraphs where the document numbers them (None where it does not).

    Judged on the lines of text: of the lines that start with a dotted number, enough read as the start
    of a sentence rather than as a heading's title. Their size tells a numbered paragraph from a numbered
    heading even where tables in a smaller font make most of the document's text.
    """
    numbered = sentences = deep = 0
    sizes: Counter[float] = Counter()
    for line in lines:
        number, rest = split_clause(line.text)
        if number is None:
            continue
        numbered += 1
        if len(rest.split()) >= _MIN_SENTENCE_WORDS and not reads_as_title(rest):
            sentences += 1
            deep += number.count(".") >= 2
            sizes[round(line.size * 2) / 2] += 1
    # Deep numbers ("7.3.2.2") opening sentences are clauses even where numbered headings outnumber them
    # (a data dictionary with a numbered heading per variable); a line wrapped before a number is not that.
    if deep >= 2 * _MIN_NUMBERED or (sentences >= _MIN_NUMBERED and sentences >= _MIN_SHARE * numbered):
        return sizes.most_common(1)[0][0]
    return None


def list_item(text: str) -> ListItem | None:
    """The item of a list that ``text`` is, with its label and without its marker; None for other text."""
    match = _ITEM.match(text)
    if match is None:
        return None
    label = match.group("letter") or match.group("paren") or match.group("digit")
    return ListItem(label=label, text=match.group("rest").strip(), bullet=match.group("bullet") is not None)


def starts_item(text: str, *, enumerated: bool) -> bool:
    """Whether a line opens a list item of its own: bullets always, enumerators where ``enumerated``."""
    item = list_item(text)
    if item is None:
        return False
    return item.bullet or enumerated
