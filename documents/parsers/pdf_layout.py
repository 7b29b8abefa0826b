"""Document-wide layout measurements that the paragraph and heading rules compare lines against."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .pdf_lines import Line

# Below this many body lines the longest line may well be a short one: see _right_edge.
_LINES_TO_MEASURE = 20


@dataclass(slots=True)
class Layout:
    body_size: float
    body_font: str
    body_bold: bool
    # Usual gap between two lines of one paragraph (bottom of one to top of the next).
    line_gap: float
    # Usual baseline-to-baseline distance of two lines of one paragraph; 0.0 where it cannot be told.
    pitch: float
    # Right edge of full text lines, per page width (portrait and landscape pages differ).
    right_edges: dict[int, float]
    page_widths: list[float]
    # Baseline pitches common below full lines that run on into the next: line pitches of the document's
    # body paragraphs (1.5 spacing, say) even where single-spaced tables set the smallest pitch.
    wrap_pitches: tuple[float, ...] = ()

    def right_edge(self, line: Line) -> float:
        return self.right_edges.get(round(self.page_widths[line.page]), line.x1)

    def is_styled(self, line: Line) -> bool:
        """Larger than body text, or bold where body text is not: how unnumbered headings stand out."""
        if line.size >= self.body_size * 1.12:
            return True
        if line.bold and not self.body_bold and line.size >= self.body_size * 0.95:
            return True
        # Embedded subset fonts often hide the weight ("TTE2707008t00"), but a heading font still
        # differs from the body font, and is at least as large.
        return line.font != self.body_font and line.size >= self.body_size * 1.04


def dominant_size(pages: list[list[Line]]) -> float:
    """The font size of most of the text: the body text."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def measure(pages: list[list[Line]], page_widths: list[float]) -> Layout:
    fonts: Counter[str] = Counter()
    bold_chars = 0
    total_chars = 0
    for lines in pages:
        for line in lines:
            fonts[line.font] += len(line.text)
            total_chars += len(line.text)
            bold_chars += len(line.text) if line.bold else 0
    body_size = dominant_size(pages)
    body = [line for lines in pages for line in lines if abs(line.size - body_size) <= 0.5]
    gaps = [
        nxt.top - line.bottom
        for lines in pages
        for line, nxt in itertools.pairwise(lines)
        if abs(line.size - body_size) <= 0.5 and abs(nxt.size - body_size) <= 0.5 and nxt.top > line.top
    ]
    positive = [gap for gap in gaps if gap > -body_size]
    line_gap = statistics.median(positive) if positive else body_size * 0.3
    pitch = _line_pitch(pages, body_size)
    right_edges: dict[int, list[float]] = {}
    left_edges: dict[int, list[float]] = {}
    for line in body:
        right_edges.setdefault(round(page_widths[line.page]), []).append(line.x1)
        left_edges.setdefault(round(page_widths[line.page]), []).append(line.x0)
    layout = Layout(
        body_size=body_size,
        body_font=fonts.most_common(1)[0][0] if fonts else "",
        body_bold=bold_chars > total_chars / 2,
        line_gap=line_gap,
        pitch=pitch,
        right_edges={
            width: _right_edge(width, edges, left_edges[width]) for width, edges in right_edges.items()
        },
        page_widths=page_widths,
    )
    layout.wrap_pitches = _wrap_pitches(pages, layout)
    return layout


# Runs of full lines a pitch needs below them to count as a line pitch: a few, and a share of all such runs.
_MIN_WRAPS = 5
_WRAP_SHARE = 0.1
_RUNS_ON = re.compile(r"[\w,(\u201c\"-]$")


def _wrap_pitches(pages: list[list[Line]], layout: Layout) -> tuple[float, ...]:
    """Baseline pitches below full body lines that end mid-sentence: such a line ran into the next one,
    so the distance to that line is a pitch of the paragraph, not paragraph spacing."""
    pitches: Counter[float] = Counter()
    size = layout.body_size
    for lines in pages:
        for line, nxt in itertools.pairwise(lines):
            if (
                abs(line.size - size) > 0.5
                or abs(nxt.size - size) > 0.5
                or not (line.baseline and nxt.baseline)
            ):
                continue
            if line.x1 < layout.right_edge(line) - 2 * size or not _RUNS_ON.search(line.text):
                continue
            if abs(nxt.x0 - line.x0) > size:
                continue  # an indented first line or a hanging list item: not one paragraph's two lines
            pitch = nxt.baseline - line.baseline
            if 0.8 * size < pitch < 2.5 * size:
                pitches[round(pitch * 2) / 2] += 1
    total = sum(pitches.values())
    return tuple(
        sorted(pitch for pitch, count in pitches.items() if count >= max(_MIN_WRAPS, _WRAP_SHARE * total))
    )


# Share of the body's line pairs a pitch needs to count as its line spacing (see _line_pitch).
_COMMON_PITCH = 0.25


def _line_pitch(pages: list[list[Line]], body_size: float) -> float:
    """The baseline pitch of the body's single-spaced lines: the smallest pitch common enough not to be an
    accident, since a document of one-line paragraphs has more spaced pairs than wrapped ones."""
    pitches: Counter[float] = Counter()
    for lines in pages:
        for line, nxt in itertools.pairwise(lines):
            if abs(line.size - body_size) > 0.5 or abs(nxt.size - body_size) > 0.5:
                continue
            if not (line.baseline and nxt.baseline):
                continue
            pitch = nxt.baseline - line.baseline
            if 0.8 * body_size < pitch < 2.5 * body_size:
                pitches[round(pitch * 2) / 2] += 1
    total = sum(pitches.values())
    return min((pitch for pitch, count in pitches.items() if count >= _COMMON_PITCH * total), default=0.0)


# Share of the body lines that must end at one x for it to be the edge of justified text.
_JUSTIFIED_SHARE = 0.15


def _right_edge(page_width: float, right: list[float], left: list[float]) -> float:
    measured = _high_percentile(right)
    justified = _justified_edge(right, measured)
    if justified is not None:
        # Justified text ends its full lines at one x; wider tables and figures must not move the margin.
        return justified
    if len(right) >= _LINES_TO_MEASURE:
        return measured
    # Too few lines to be sure any of them is full width: assume the right margin mirrors the left.
    return max(measured, page_width - min(left))


def _justified_edge(right: list[float], measured: float) -> float | None:
    """The x left of ``measured`` at which many body lines end together, where the text is justified
    (None where it is ragged): rows of a wider table may end together too, further right."""
    if len(right) < _LINES_TO_MEASURE:
        return None
    ends = Counter(round(x) for x in right)

    def together(x: int) -> int:
        return ends[x - 1] + ends[x] + ends[x + 1]

    candidates = [x for x in ends if x + 1 < measured]
    if not candidates:
        return None
    edge = max(candidates, key=together)
    if together(edge) < _JUSTIFIED_SHARE * len(right):
        return None
    return float(edge + 1)


def _high_percentile(values: list[float]) -> float:
    # The 95th percentile rather than the maximum: one line poking into the margin (a URL, a formula)
    # must not make every other line look short.
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
