"""Headings and the section path they give to everything below them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "3", "3.2", "3.2.1." and appendix numbers "A.1"; a bare letter is not a number ("A user shall...").
_NUMBERED = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,3}){0,6}|[A-Z](?:\.\d{1,3}){1,6})\.?"
    # A tab after the number often comes out as nothing: "5.4.2Status of data" (dotted numbers only).
    r"(?:\s+|(?<=\d\.\d)(?=[A-Z][a-z])|(?<=\d\.\d\d)(?=[A-Z][a-z]))(?P<title>\S.{0,200})$",
    re.DOTALL,
)
_MODAL = re.compile(r"\b(?:shall|must|should|will)\b", re.IGNORECASE)
_MAX_TITLE_WORDS = 14


@dataclass(frozen=True, slots=True)
class NumberedHeading:
    number: str
    title: str

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1


def match_numbered(text: str) -> NumberedHeading | None:
    """The number and title of ``text`` if it is shaped like a numbered heading."""
    match = _NUMBERED.match(text.strip())
    if not match:
        return None
    return NumberedHeading(match.group("number"), " ".join(match.group("title").split()))


def reads_as_title(text: str) -> bool:
    """Short, unpunctuated, capitalised and not an obligation: what a heading line looks like.

    Needed where headings use the body font, so only their shape separates ``4.2 Description`` from a
    wrapped sentence that happens to start with a number.
    """
    text = text.strip()
    if not text or len(text.split()) > _MAX_TITLE_WORDS:
        return False
    # A sentence may end inside its closing quote or bracket: "... session.”"
    if text.rstrip("\"'\u201d\u2019)]")[-1:] in (".", ",", ";") or _MODAL.search(text):
        return False
    return text[0].isupper() or text[0].isdigit()


@dataclass(slots=True)
class _Entry:
    label: str
    title: str
    depth: int | None  # None for unnumbered headings, which nest by font size instead
    size: float


class SectionTracker:
    """Keeps the stack of open headings while a document is read in order."""

    def __init__(self) -> None:
        self._stack: list[_Entry] = []

    @property
    def path(self) -> list[str]:
        return [entry.label for entry in self._stack]

    @property
    def title(self) -> str:
        return self._stack[-1].title if self._stack else ""

    @property
    def titles(self) -> list[str]:
        """The open headings' titles without their numbers, outermost first."""
        return [entry.title for entry in self._stack]

    def enter_numbered(self, heading: NumberedHeading, *, size: float) -> None:
        # Numbering is the author's explicit hierarchy, so it closes any unnumbered heading opened before.
        while self._stack and (self._stack[-1].depth is None or self._stack[-1].depth >= heading.depth):
            self._stack.pop()
        self._stack.append(_Entry(f"{heading.number} {heading.title}", heading.title, heading.depth, size))

    def enter_unnumbered(self, title: str, *, size: float) -> None:
        # A heading in the same or a smaller font is a sibling or a parent's sibling: close it.
        while self._stack and self._stack[-1].size <= size + 0.1:
            self._stack.pop()
        self._stack.append(_Entry(title, title, None, size))
