"""Text lines of a PDF page from PDFium's text layer, with the geometry and font the layout rules need.

PDFium extracts text 30-100x faster than pdfminer (pdfplumber's engine). Asking it for every character's
box from Python would throw most of that away, so a line is measured from a handful of its characters:
the first, the last, and the end of the first word.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import pdfium_calls as calls

# PDFium reports a hyphen it considers a line-end hyphenation as U+FFFE and drops the line break after it.
SOFT_HYPHEN = "\ufffe"
_LINE = re.compile(r"[^\r\n\ufffe]*(?:\ufffe|\r\n|\r|\n|$)")
_SYMBOL_FONT = re.compile(r"wingding|symbol|dingbat|webding", re.IGNORECASE)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|medi", re.IGNORECASE)


@dataclass(slots=True)
class Line:
    text: str
    page: int  # 0-based page index
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str
    bold: bool
    # Right edge of the line's first word: lets the next-line rule ask "would this word have fit above?"
    first_word_x1: float
    # The line ends with a hyphen at a line break ("Command-" / "specified"); the joiner decides its fate.
    ends_with_hyphen: bool
    # The number of a numbered-list row printed in a column of its own ("12." beside the text), when the
    # line stands for that row's whole text cell (see pdf_rows).
    label: str | None = None
    # Indices of the line's first and last character in the page's text layer (-1 where the line was
    # made by merging others): a table cell asks for the characters of a line that runs across its cells.
    first_char: int = -1
    last_char: int = -1
    # The y of the line's baseline from the top of the page: unlike the glyph boxes it does not move with
    # ascenders and descenders, so line pitch is measured exactly (0.0 where unknown).
    baseline: float = 0.0

    @property
    def first_word_width(self) -> float:
        return self.first_word_x1 - self.x0


class CharReader:
    """Thin wrapper over the raw PDFium calls (see pdfium_calls). A page asks for thousands of character
    boxes: the ctypes out-parameters and the references to them are made once per page, not per call."""

    def __init__(self, textpage: pdfium.PdfTextPage, page_height: float) -> None:
        self._raw = textpage.raw
        self._height = page_height
        self._left, self._right = ctypes.c_double(), ctypes.c_double()
        self._bottom, self._top = ctypes.c_double(), ctypes.c_double()
        self._box_at = tuple(
            ctypes.byref(value) for value in (self._left, self._right, self._bottom, self._top)
        )
        self._origin_at = (self._box_at[0], self._box_at[2])
        self._font_name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        self._flags_at = ctypes.byref(self._flags)
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_at = ctypes.byref(self._matrix)

    def box(self, index: int) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of one character, top-left origin."""
        calls.char_box(self._raw, index, *self._box_at)
        return (
            self._left.value,
            self._height - self._top.value,
            self._right.value,
            self._height - self._bottom.value,
        )

    def baseline(self, index: int) -> float:
        """y of one character's baseline origin, top-left origin."""
        calls.char_origin(self._raw, index, *self._origin_at)
        return self._height - self._bottom.value

    def size(self, index: int) -> float:
        """The size the character is printed at: some writers set every font at size 1 and scale it with
        the text matrix ("1 Tf" under "12 0 0 12 x y Tm"), and only the product is the size a reader sees."""
        size = float(calls.char_font_size(self._raw, index))
        if calls.char_matrix(self._raw, index, self._matrix_at):
            matrix = self._matrix
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            if scale > 0:
                size *= scale
        return size

    def is_generated(self, index: int) -> bool:
        """PDFium made the character up (a space or line break it inferred): it has no box or font."""
        return bool(calls.char_is_generated(self._raw, index))

    def font(self, index: int) -> str:
        calls.char_font_info(self._raw, index, self._font_name, 128, self._flags_at)
        return self._font_name.value.decode("latin-1")

    def is_bold(self, index: int, font: str) -> bool:
        # Font weights are unreliable (embedded TrueType subsets often report 400 or nonsense), while
        # the PostScript name almost always carries the style: "DejaVuSans-Bold", "NimbusRomNo9L-Medi".
        if _BOLD_FONT.search(font):
            return True
        return int(calls.char_font_weight(self._raw, index)) >= 700


def page_lines(textpage: pdfium.PdfTextPage, *, page_index: int, page_height: float) -> list[Line]:
    """The text lines of one page in PDFium's reading order."""
    text = textpage.get_text_range()
    reader = CharReader(textpage, page_height)
    lines: list[Line] = []
    for match in _LINE.finditer(text):
        raw = match.group(0)
        if not raw:
            continue
        start = match.start()
        stripped = raw.rstrip("\r\n")
        first = _first_non_space(stripped)
        if first is None:
            continue
        last = len(stripped.rstrip()) - 1
        ends_with_hyphen = stripped[last] == SOFT_HYPHEN
        first_index, last_index = start + first, start + last
        # A character PDFium inferred has no box or font of its own: measure the line by its printed ones.
        shown_first, shown_last = first_index, last_index
        while shown_first < last_index and reader.is_generated(shown_first):
            shown_first += 1
        while shown_last > shown_first and reader.is_generated(shown_last):
            shown_last -= 1
        # A one-character line or a one-word line ends where its first character or word does: one box
        # fewer to ask PDFium for.
        first_box = reader.box(shown_first)
        last_box = first_box if shown_last == shown_first else reader.box(shown_last)
        x0, top0, _, bottom0 = first_box
        _, top1, x1, bottom1 = last_box
        word_end = stripped.find(" ", first)
        word_end_index = start + (word_end - 1 if word_end > first else last)
        first_word_x1 = (last_box if word_end_index == shown_last else reader.box(word_end_index))[2]
        font = reader.font(shown_first)
        text = stripped[first : last + 1].replace(SOFT_HYPHEN, "-")
        if _SYMBOL_FONT.search(font) and text[:1].isascii() and text[:1].isalpha() and text[1:2].isspace():
            # A bullet from a symbol font comes out as the letter of its code ("z" in Wingdings): say what
            # it shows, and take the line's font from its text.
            text = "\u2022" + text[1:]
            font = reader.font(start + first + 2) if first + 2 <= last else font
        lines.append(
            Line(
                text=text,
                page=page_index,
                x0=x0,
                top=min(top0, top1),
                x1=max(x1, x0),
                bottom=max(bottom0, bottom1),
                size=reader.size(shown_first),
                font=font,
                # Both ends must be bold: a bold requirement ID opening a body line is not a heading.
                bold=reader.is_bold(shown_first, font)
                and reader.is_bold(shown_last, reader.font(shown_last)),
                first_word_x1=max(first_word_x1, x0),
                ends_with_hyphen=ends_with_hyphen or stripped[last] == "-",
                first_char=first_index,
                last_char=last_index,
                baseline=reader.baseline(shown_first),
            )
        )
    return lines


def _first_non_space(text: str) -> int | None:
    for index, char in enumerate(text):
        if not char.isspace():
            return index
    return None
