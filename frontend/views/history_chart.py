"""The Models page's chart of metrics across versions, drawn on the server as SVG geometry.

Server-side and not a script: the page's CSP allows no inline script, and numbers known at render time
need none. x: the versions, evenly spaced, oldest left; y: F1 from 0 to 1. The macro-F1 line is drawn
over the per-label lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from models_app.registry.selectors import VersionPoint

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 620, 16, 210
# Distinguishable on white, repeated past eight labels (the legend and the table name each line).
PALETTE = ("#2f6fd6", "#d9822b", "#2a9d6f", "#c2455b", "#7b5cc7", "#8c6d31", "#1f9eb5", "#b45fa0")
MACRO_COLOR = "#1d2330"


@dataclass(frozen=True)
class ChartLine:
    name: str
    color: str
    points: str  # "x,y x,y …" for <polyline>
    dots: list[tuple[float, float]]  # where there is a value (a single version draws only a dot)
    is_macro: bool = False


@dataclass(frozen=True)
class ChartTick:
    x: float
    version: str
    examples: str


@dataclass(frozen=True)
class HistoryChart:
    width: int
    height: int
    lines: list[ChartLine]
    ticks: list[ChartTick]
    grid: list[tuple[float, str]]  # (y, "0.5")
    left: int = LEFT
    right: int = RIGHT
    bottom: int = BOTTOM
    top: int = TOP


def _x(index: int, count: int) -> float:
    if count == 1:
        return (LEFT + RIGHT) / 2
    return round(LEFT + (RIGHT - LEFT) * index / (count - 1), 1)


def _y(value: float) -> float:
    return round(BOTTOM - (BOTTOM - TOP) * max(0.0, min(1.0, value)), 1)


def _line(name: str, color: str, values: list[float | None], *, is_macro: bool = False) -> ChartLine:
    dots = [(_x(i, len(values)), _y(v)) for i, v in enumerate(values) if v is not None]
    return ChartLine(
        name=name,
        color=color,
        points=" ".join(f"{x},{y}" for x, y in dots),
        dots=dots,
        is_macro=is_macro,
    )


def history_chart(points: list[VersionPoint]) -> HistoryChart | None:
    """None when there is no version to draw."""
    if not points:
        return None
    count = len(points)
    names = sorted({name for point in points for name in point.label_f1})
    lines = [
        _line(name, PALETTE[i % len(PALETTE)], [point.label_f1.get(name) for point in points])
        for i, name in enumerate(names)
    ]
    lines.append(_line("Macro-F1", MACRO_COLOR, [point.macro_f1 for point in points], is_macro=True))
    ticks = [
        ChartTick(
            x=_x(i, count),
            version=f"v{point.number}",
            examples=f"{point.example_count} ex." if point.example_count is not None else "",
        )
        for i, point in enumerate(points)
    ]
    grid = [(_y(value), f"{value:.2g}") for value in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return HistoryChart(width=WIDTH, height=HEIGHT, lines=lines, ticks=ticks, grid=grid)


@dataclass(frozen=True)
class HistoryRow:
    name: str
    color: str
    values: list[float | None]
    is_macro: bool


def history_table(points: list[VersionPoint], chart: HistoryChart | None) -> list[HistoryRow]:
    """The chart's numbers as rows, macro-F1 first, each with its line's colour."""
    if chart is None:
        return []
    rows = [
        HistoryRow(
            name=line.name,
            color=line.color,
            values=[point.macro_f1 if line.is_macro else point.label_f1.get(line.name) for point in points],
            is_macro=line.is_macro,
        )
        for line in chart.lines
    ]
    return sorted(rows, key=lambda row: not row.is_macro)
