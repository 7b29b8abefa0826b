"""Small PDFs drawn with reportlab so the layout rules can be tested on known geometry."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

BODY_FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
BODY_SIZE = 10.0
SYMBOL_FONT = "Wingdings-Regular"
LEFT = 72.0
RIGHT = A4[0] - 72.0
TOP = A4[1] - 90.0
BOTTOM = 90.0


@dataclass
class SpecPdf:
    """Draws a spec page by page: running header and footer, headings, wrapped paragraphs, tables."""

    path: Path
    header: str | None = "ACME Pump Controller Specification - Rev B"
    footer: str | None = "Company confidential"
    password: str | None = None
    # Set every font at size 1 and scale it with the text matrix, as some PDF writers do.
    unit_fonts: bool = False
    _canvas: Canvas = field(init=False)
    _y: float = field(init=False, default=TOP)
    _page: int = field(init=False, default=1)

    def __post_init__(self) -> None:
        encrypt = StandardEncryption(self.password, ownerPassword="owner") if self.password else None
        self._canvas = Canvas(str(self.path), pagesize=A4, encrypt=encrypt)
        self._furniture()

    def heading(self, text: str, *, size: float = 13.0) -> SpecPdf:
        self._need(size * 3)
        self._y -= size * 0.8
        self._draw(text, BOLD_FONT, size, LEFT)
        self._y -= size * 1.2
        return self

    def paragraph(
        self, text: str, *, width: float = RIGHT - LEFT, page_break_after: int | None = None
    ) -> SpecPdf:
        for number, line in enumerate(simpleSplit(text, BODY_FONT, BODY_SIZE, width), start=1):
            self.line(line)
            if number == page_break_after:
                self.new_page()
        self._y -= BODY_SIZE * 0.8
        return self

    def justified_paragraph(self, text: str, *, spacing: float = 1.6) -> SpecPdf:
        """A paragraph set justified (full lines end exactly at the right margin), ``spacing`` times the
        font size from baseline to baseline."""
        lines = simpleSplit(text, BODY_FONT, BODY_SIZE, RIGHT - LEFT)
        for number, line in enumerate(lines, start=1):
            self._need(BODY_SIZE * spacing)
            words = line.split()
            self._canvas.setFont(BODY_FONT, BODY_SIZE)
            if number == len(lines) or len(words) == 1:
                self._canvas.drawString(LEFT, self._y, line)
            else:
                widths = [self._canvas.stringWidth(word, BODY_FONT, BODY_SIZE) for word in words]
                gap = (RIGHT - LEFT - sum(widths)) / (len(words) - 1)
                x = LEFT
                for word, width in zip(words, widths, strict=True):
                    self._canvas.drawString(x, self._y, word)
                    x += width + gap
            self._y -= BODY_SIZE * spacing
        self._y -= BODY_SIZE * 0.8
        return self

    def symbol_bullet_line(self, text: str) -> SpecPdf:
        """A list item whose bullet is a letter in a symbol font, as word processors write Wingdings
        bullets ("z" shown as a filled circle)."""
        if SYMBOL_FONT not in pdfmetrics.getRegisteredFontNames():
            # Any TrueType font under a symbol font's name: the extractor knows the font by its name.
            font = TTFont(SYMBOL_FONT, "Vera.ttf")
            font.face.name = SYMBOL_FONT.encode()
            pdfmetrics.registerFont(font)
        self._need(BODY_SIZE * 1.3)
        self._canvas.setFont(SYMBOL_FONT, BODY_SIZE)
        self._canvas.drawString(LEFT, self._y, "z ")
        self._canvas.setFont(BODY_FONT, BODY_SIZE)
        self._canvas.drawString(LEFT + 18, self._y, text)
        self._y -= BODY_SIZE * 1.25
        return self

    def line(self, text: str, *, font: str = BODY_FONT, x: float = LEFT, size: float = BODY_SIZE) -> SpecPdf:
        """One line exactly as given: for tests that control where lines break."""
        self._need(size * 1.3)
        self._draw(text, font, size, x)
        self._y -= size * 1.25
        return self

    def table(
        self,
        rows: list[list[str]],
        widths: list[float],
        *,
        boxed: bool = False,
        bars: bool = False,
        inset_header: bool = False,
    ) -> SpecPdf:
        """A ruled table; a cell's "\n" breaks a line and an empty line between two adds paragraph spacing.
        ``boxed`` draws each cell as a rectangle of its own (closed paths) instead of the grid's lines;
        ``bars`` draws each rule as a thin filled rectangle, as word processors draw cell borders;
        ``inset_header`` draws a box inside each header cell, set in from the column's rulings."""
        size = BODY_SIZE - 1
        pitch = size * 1.2

        def height(row: list[str]) -> float:
            lines = max(len(value.split("\n")) for value in row)
            return BODY_SIZE * 2.2 + pitch * (lines - 1)

        heights = [height(row) for row in rows]
        self._need(sum(heights) + 10)
        top = self._y
        xs = [LEFT]
        for width in widths:
            xs.append(xs[-1] + width)
        tops = [top]
        for row_height in heights:
            tops.append(tops[-1] - row_height)
        for index, row in enumerate(rows):
            for column, value in enumerate(row):
                self._canvas.setFont(BOLD_FONT if index == 0 else BODY_FONT, size)
                baseline = tops[index] - BODY_SIZE * 1.4
                indent = 8 if inset_header and index == 0 else 3
                for line in value.split("\n"):
                    if line:
                        self._canvas.drawString(xs[column] + indent, baseline, line)
                        baseline -= pitch
                    else:
                        baseline -= pitch * 0.5  # paragraph spacing
        bottom = tops[-1]
        if inset_header:
            for left, right in itertools.pairwise(xs):
                self._canvas.rect(left + 5, tops[1] + 2, right - left - 10, tops[0] - tops[1] - 4)
        if boxed:
            for upper, lower in itertools.pairwise(tops):
                for left, right in itertools.pairwise(xs):
                    self._canvas.rect(left, lower, right - left, upper - lower)
        elif bars:
            thickness = 0.6
            for y in tops:
                self._canvas.rect(xs[0], y - thickness / 2, xs[-1] - xs[0], thickness, stroke=0, fill=1)
            for x in xs:
                self._canvas.rect(x - thickness / 2, bottom, thickness, top - bottom, stroke=0, fill=1)
        else:
            for y in tops:
                self._canvas.line(xs[0], y, xs[-1], y)
            for x in xs:
                self._canvas.line(x, top, x, bottom)
        self._y = bottom - BODY_SIZE * 1.5
        return self

    def page_label(self, text: str) -> SpecPdf:
        """A page number of the document's own scheme ("3 - 2"), centred under the text in body size."""
        self._canvas.setFont(BODY_FONT, BODY_SIZE)
        self._canvas.drawCentredString((LEFT + RIGHT) / 2, BOTTOM - 12, text)
        return self

    def image_only_page(self) -> SpecPdf:
        """A page that a scanner would produce: pixels, no text."""
        scan = Image.new("L", (120, 170), color=200)
        self._canvas.drawImage(ImageReader(scan), LEFT, BOTTOM, RIGHT - LEFT, TOP - BOTTOM)
        return self

    def new_page(self, *, furniture: bool = True) -> SpecPdf:
        self._canvas.showPage()
        self._page += 1
        self._y = TOP
        if furniture:
            self._furniture()
        return self

    def save(self) -> Path:
        self._canvas.save()
        return self.path

    def _draw(self, text: str, font: str, size: float, x: float) -> None:
        if not self.unit_fonts:
            self._canvas.setFont(font, size)
            self._canvas.drawString(x, self._y, text)
            return
        drawn = self._canvas.beginText()
        drawn.setTextTransform(size, 0, 0, size, x, self._y)
        drawn.setFont(font, 1)
        drawn.textOut(text)
        self._canvas.drawText(drawn)

    def _need(self, height: float) -> None:
        if self._y - height < BOTTOM:
            self.new_page()

    def _furniture(self) -> None:
        self._canvas.setFont(BODY_FONT, 8)
        if self.header:
            self._canvas.drawString(LEFT, A4[1] - 50, self.header)
        if self.footer:
            # "{page}" in the footer varies it from page to page, as issue numbers and dates do.
            self._canvas.drawString(LEFT, 50, self.footer.format(page=self._page))
            self._canvas.drawRightString(RIGHT, 50, f"Page {self._page}")


def blank_pdf(path: Path, *, pages: int = 1) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        canvas.showPage()
    canvas.save()
    return path


def numbered_clauses(spec: SpecPdf, parent: str, count: int) -> SpecPdf:
    """Numbered paragraphs ("3.1.1 The pump controller shall ..."), as a document that numbers its clauses
    prints them."""
    for number in range(1, count + 1):
        spec.paragraph(
            f"{parent}.{number} The pump controller shall report the state of pump number {number} to the "
            "operator panel within one second of any change."
        )
    return spec
