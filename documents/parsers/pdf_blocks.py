"""Lines into headings and paragraphs: joined across line and page breaks, hyphenation repaired."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .classify_segment import starts_with_informative_label
from .clauses import split_clause
from .headings import NumberedHeading, match_numbered, reads_as_title
from .pdf_layout import Layout
from .pdf_lines import Line
from .pdf_tables import PdfTable
from .requirement_ids import split_leading_id

_BULLET = re.compile(
    r"^[\u2022\u25cf\u25aa\u25e6\u2023\u25a0\u25a1\u27a2\u2713\u2714\uf0b7\uf0a7*\u2013\u2014\u25ba]\s"
)
_ENUMERATOR = re.compile(r"^(?:\(?[a-zA-Z0-9]{1,3}\)|\d{1,2}\.(?!\d)|-)\s")
_TERMINAL = re.compile(r"[.;:!?]\W*$")
# Paragraph spacing, in font sizes, beyond the line pitch that sets two lines apart as paragraphs.
_SPACING = 0.25
_DASHES = "-\u2013\u2014"
# Baseline pitch, in font sizes, below which a heading's next line in its style is the heading wrapped.
_HEADING_PITCH = 1.5
_LIST_INTRO = re.compile(r":\s*-?$")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_TRAILING_WORD = re.compile(r"([^\W\d_]+)-$")
_LEADING_WORD = re.compile(r"^([^\W\d_]+)")


@dataclass(slots=True)
class Heading:
    title: str
    number: NumberedHeading | None
    size: float
    lines: list[Line]


@dataclass(slots=True)
class Paragraph:
    lines: list[Line] = field(default_factory=list)
    text: str = ""


Block = Heading | Paragraph | PdfTable


class Vocabulary:
    """Words of the whole document, to tell a hyphenated word ("allo-cated") from a compound ("non-volatile").

    If the document writes "allocated" elsewhere and never "allo-cated", the line-end hyphen was the
    typesetter's; otherwise the hyphen is kept, since dropping a real one changes the text.
    """

    def __init__(self, lines: Iterable[Line]) -> None:
        self._plain: set[str] = set()
        self._hyphenated: set[str] = set()
        for line in lines:
            # The last word of a line ending in a hyphen is a fragment, not evidence.
            text = line.text[:-1] if line.ends_with_hyphen else line.text
            for word in _WORD.findall(text.lower()):
                (self._hyphenated if "-" in word else self._plain).add(word)

    def join(self, left: str, right: str) -> str:
        """``left`` ends with a hyphen at a line break; ``right`` is the next line."""
        if left.endswith(" -"):
            return f"{left} {right}"  # a dash introducing a list item, not a hyphen
        head, tail = _TRAILING_WORD.search(left), _LEADING_WORD.match(right)
        if head and tail:
            whole = (head.group(1) + tail.group(1)).lower()
            compound = f"{head.group(1)}-{tail.group(1)}".lower()
            if whole in self._plain and compound not in self._hyphenated:
                return left[:-1] + right
        return left + right


def build_blocks(
    items: Iterable[Line | PdfTable],
    layout: Layout,
    vocabulary: Vocabulary,
    *,
    clause_size: float | None = None,
) -> Iterator[Block]:
    """Headings, paragraphs and tables in reading order.

    ``clause_size``: the document numbers its paragraphs in this font size, so a numbered line in that
    size opens a paragraph ("7.3.2.2 Variables may have ...") even when it happens to read like a title.
    """
    paragraph: Paragraph | None = None
    heading: Heading | None = None
    previous: Line | None = None
    outline: str | None = None  # the number of the last numbered heading
    stream = list(items)
    for position, item in enumerate(stream):
        if isinstance(item, PdfTable):
            if paragraph:
                yield paragraph
            if heading:
                yield _settled(heading, layout)
            paragraph = heading = None
            previous = None
            yield item
            continue
        following = _next_line(stream, position)
        if heading is not None and _continues_heading(heading, item, layout):
            heading.lines.append(item)
            heading.title = f"{heading.title} {item.text}"
            if heading.number is not None:
                heading.number = NumberedHeading(heading.number.number, heading.title)
            previous = item
            continue
        new_heading = _as_heading(item, previous, following, layout, clause_size=clause_size, outline=outline)
        if new_heading is not None:
            if new_heading.number is not None:
                outline = new_heading.number.number
            if paragraph:
                yield paragraph
            if heading:
                yield _settled(heading, layout)
            paragraph, heading = None, new_heading
            previous = item
            continue
        if heading is not None:
            yield _settled(heading, layout)
            heading = None
        if (
            paragraph is not None
            and previous is not None
            and _continues_paragraph(paragraph, item, layout)
            and not (clause_size is not None and _opens_clause(item, previous, clause_size))
        ):
            paragraph.lines.append(item)
            paragraph.text = (
                vocabulary.join(paragraph.text, item.text)
                if previous.ends_with_hyphen
                else f"{paragraph.text} {item.text}"
            )
        else:
            if paragraph:
                yield paragraph
            paragraph = Paragraph([item], item.text)
        previous = item
    if paragraph:
        yield paragraph
    if heading:
        yield _settled(heading, layout)


# A heading wraps onto a second line at most; a styled run of more lines is an emphasised paragraph.
_MAX_HEADING_LINES = 2


def _settled(heading: Heading, layout: Layout) -> Block:
    """The heading, or the paragraph it turned out to be once all its lines are in: a bold or italic
    introduction filling several lines of the text column, or closing with a full stop, is prose, and
    must not become the section of everything below it."""
    first = heading.lines[0]
    full = first.x1 >= layout.right_edge(first) - 2 * first.size
    # A paragraph's lines share its left edge; a row of a table drawn without rulings jumps columns.
    aligned = all(abs(line.x0 - first.x0) < first.size for line in heading.lines)
    # Emphasis by weight: a heading told apart only by its font may be the key column of a table.
    emphasised = all(line.bold for line in heading.lines)
    if (
        full
        and aligned
        and emphasised
        and (
            len(heading.lines) > _MAX_HEADING_LINES
            or (len(heading.lines) > 1 and heading.title.rstrip().endswith("."))
        )
    ):
        return Paragraph(list(heading.lines), " ".join(line.text for line in heading.lines))
    return heading


def _next_line(stream: list[Line | PdfTable], position: int) -> Line | None:
    if position + 1 < len(stream):
        candidate = stream[position + 1]
        if isinstance(candidate, Line):
            return candidate
    return None


def _wraps_into(line: Line, following: Line, layout: Layout) -> bool:
    """Whether ``line`` was broken only because ``following``'s first word did not fit after it."""
    if line.ends_with_hyphen:
        return True
    room = layout.right_edge(line) - line.x1
    space = 0.3 * line.size
    # Half an em of slack: the measured right edge sits a little inside the true margin.
    return space + following.first_word_width > room - 0.5 * line.size


def _is_standalone(line: Line, previous: Line | None, following: Line | None, layout: Layout) -> bool:
    starts_fresh = (
        previous is None
        or previous.page != line.page
        or bool(_TERMINAL.search(previous.text))
        or not _wraps_into(previous, line, layout)
    )
    ends_alone = following is None or not _wraps_into(line, following, layout)
    return starts_fresh and ends_alone


def _as_heading(
    line: Line,
    previous: Line | None,
    following: Line | None,
    layout: Layout,
    *,
    clause_size: float | None,
    outline: str | None,
) -> Heading | None:
    if (
        clause_size is not None
        and not line.bold
        and line.size < clause_size + 0.5
        and split_clause(line.text)[0] is not None
    ):
        return None  # a numbered paragraph in the clause font, however short
    numbered = match_numbered(line.text)
    styled = layout.is_styled(line)
    if numbered is not None:
        if clause_size is not None and not line.bold and line.size < clause_size + 0.5:
            return None
        if not reads_as_title(numbered.title):
            return None
        if styled:
            return Heading(numbered.title, numbered, line.size, [line])
        # Where headings share the body font, only standing on their own line sets them apart from a
        # wrapped sentence that happens to start with a number, and only continuing the outline from a
        # numbered list's items ("1. User opens KeePass" under "3.7.2.1 Basic Data Flow").
        if _is_standalone(line, previous, following, layout) and continues_outline(outline, numbered.number):
            return Heading(numbered.title, numbered, line.size, [line])
        return None
    if (
        styled
        and reads_as_title(line.text)
        and sum(char.isalpha() for char in line.text) >= 2
        and split_leading_id(line.text)[0] is None
    ):
        return Heading(line.text, None, line.size, [line])
    return None


# How many numbers a heading may skip at its level: a deleted section leaves a gap.
_MAX_OUTLINE_STEP = 3


def continues_outline(current: str | None, number: str) -> bool:
    """Whether a heading numbered ``number`` can follow the one numbered ``current``: a child of it, or a
    next number at its level or above ("3.7.2.1" -> "3.7.2.1.1", "3.7.2.2", "3.8", "4"). Numbers that are
    not all digits ("A.1") are not judged."""
    if current is None:
        return True
    try:
        before = [int(part) for part in current.rstrip(".").split(".")]
        after = [int(part) for part in number.rstrip(".").split(".")]
    except ValueError:
        return True
    while len(after) > 1 and after[-1] == 0:
        after.pop()  # "2.0 Overall Description" is chapter 2
    if after[:-1] == before and len(after) == len(before) + 1:
        return True
    level = len(after) - 1
    return (
        level < len(before)
        and after[:level] == before[:level]
        and 0 < after[level] - before[level] <= _MAX_OUTLINE_STEP
    )


def _continues_heading(heading: Heading, line: Line, layout: Layout) -> bool:
    last = heading.lines[-1]
    return (
        line.page == last.page
        and abs(line.size - last.size) < 0.3
        and line.bold == last.bold
        and layout.is_styled(line)
        and match_numbered(line.text) is None
        and _close_below(last, line)
        and _wraps_into(last, line, layout)
    )


def dash_continues(previous: Line, line: Line) -> bool:
    """A dash opening a line after an unfinished one is the sentence's own dash ("(this list is not
    exhaustive" / "- refer to chapter 4.7)"), not a list item."""
    return line.text[:1] in _DASHES and not _TERMINAL.search(previous.text)


def _close_below(last: Line, line: Line) -> bool:
    """Whether ``line`` sits a single line's distance below ``last``: the baselines tell it exactly, the
    glyph boxes (moving with ascenders and descenders) only roughly."""
    if last.baseline and line.baseline:
        return 0 < line.baseline - last.baseline < _HEADING_PITCH * line.size
    return line.top - last.bottom < 0.8 * line.size


def _opens_clause(line: Line, previous: Line, clause_size: float) -> bool:
    """A line in the clause size that starts with a clause number after a finished sentence opens a clause,
    even where the previous line is long enough to look wrapped into it."""
    return (
        abs(line.size - clause_size) < 0.5
        and bool(_TERMINAL.search(previous.text))
        and split_clause(line.text)[0] is not None
    )


def _spaced(previous: Line, line: Line, layout: Layout) -> bool:
    """Whether space between two lines of a page sets them apart as paragraphs.

    Baselines sit exactly one pitch apart inside a paragraph whatever the glyphs, so where they are known
    even a few points of paragraph spacing tell; glyph boxes move with ascenders and descenders and
    need a wider margin.
    """
    if layout.pitch and previous.baseline and line.baseline:
        pitch = line.baseline - previous.baseline
        if any(abs(pitch - wrapped) <= 0.5 for wrapped in layout.wrap_pitches):
            return False
        return pitch > layout.pitch + _SPACING * layout.body_size
    return line.top - previous.bottom > layout.line_gap + 0.5 * layout.body_size


def _continues_paragraph(paragraph: Paragraph, line: Line, layout: Layout) -> bool:
    previous = paragraph.lines[-1]
    if line.label is not None or previous.label is not None or starts_with_informative_label(line.text):
        return False
    if _BULLET.match(line.text) or _ENUMERATOR.match(line.text):
        # Items of a list that a sentence introduced ("... the following items:") belong to that
        # sentence: alone, "The command shall include the following parameters:" requires nothing.
        if any(_LIST_INTRO.search(earlier.text) for earlier in paragraph.lines):
            return True
        if _TERMINAL.search(previous.text) or (
            _BULLET.match(line.text) and not dash_continues(previous, line)
        ):
            return False
    if not _wraps_into(previous, line, layout):
        return False
    if line.page == previous.page and _spaced(previous, line, layout):
        return False
    if abs(line.size - previous.size) > 1.5:
        return False
    return not (_TERMINAL.search(previous.text) and split_leading_id(line.text)[0] is not None)
