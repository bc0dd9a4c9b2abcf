"""Chart geometry for metric pages: bars, or a line per place, drawn as static SVG by
``templates/chart.svg.j2``. No script, no request, no fonts of our own: text is SVG ``<text>``
in the reader's Chinese fonts, and the same data always gives the same bytes.

A line per place where a place has the metric at several dates, else a bar per data point.
Points are labelled with the phrase as printed, so qualifiers (多, 以上 …) stay visible; figures
given as lower bounds are drawn at the bound, and figures that disagree are both drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from .figures import DataPoint, MetricEntry

WIDTH, PLOT_HEIGHT = 320, 170  # fits a 360 px phone with the page margins; CSS scales it up on wider screens
LEFT, RIGHT, TOP = 46, 10, 20
# More labels than this overlap at phone width; the table under the chart has every phrase.
MAX_LABELLED_POINTS = 12
COLOURS = ("#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#455a64", "#9e9d24")
CONFLICT_COLOUR = "#ef6c00"


@dataclass
class Mark:
    """A bar or a point, with the phrase shown above it (or none)."""

    x: float
    y: float
    label: str | None
    colour: str
    width: float = 0


@dataclass
class Series:
    name: str
    colour: str
    marks: list[Mark]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{mark.x:.1f},{mark.y:.1f}" for i, mark in enumerate(self.marks))


@dataclass
class Chart:
    """Everything ``chart.svg.j2`` draws, in SVG user units."""

    kind: str  # "bar" or "line"
    width: int
    height: int
    plot_bottom: float
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    x_label_angle: int
    bars: list[Mark] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    legend: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, colour, name
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT


def metric_chart(entry: MetricEntry) -> Chart | None:
    """The chart of a metric, or None when it has a single data point (the table says it all)."""
    if len(entry.points) < 2:
        return None
    labelled = len(entry.points) <= MAX_LABELLED_POINTS
    top_value = max(_value(point) for point in entry.points)
    ticks, y_max = _ticks(top_value)
    plot_width = WIDTH - LEFT - RIGHT
    if entry.has_trend:
        return _line_chart(entry, ticks, y_max, plot_width, labelled)
    return _bar_chart(entry, ticks, y_max, plot_width, labelled)


def _bar_chart(entry: MetricEntry, ticks: list[float], y_max: float, plot_width: float, labelled: bool) -> Chart:
    band = plot_width / len(entry.points)
    # Rotated category labels need room under the axis; without labels the axis line suffices.
    bottom = TOP + PLOT_HEIGHT
    height = bottom + (62 if labelled else 12)
    bars = []
    for number, point in enumerate(entry.points):
        y = _y(_value(point), y_max)
        colour = CONFLICT_COLOUR if point.key in entry.conflicts else COLOURS[0]
        bars.append(Mark(LEFT + band * (number + 0.15), y, _phrase(point) if labelled else None, colour, band * 0.7))
    x_labels = [(LEFT + band * (number + 0.5), f"{point.place} {point.statistic.as_of}")
                for number, point in enumerate(entry.points)] if labelled else []
    return Chart("bar", WIDTH, height, bottom, _tick_labels(ticks, y_max), x_labels, -30, bars=bars)


def _line_chart(entry: MetricEntry, ticks: list[float], y_max: float, plot_width: float, labelled: bool) -> Chart:
    dates = sorted({point.statistic.as_of for point in entry.points})
    band = plot_width / len(dates)
    x_of = {date: LEFT + band * (number + 0.5) for number, date in enumerate(dates)}
    series = []
    for number, place in enumerate(entry.places):
        colour = COLOURS[number % len(COLOURS)]
        marks = [Mark(x_of[p.statistic.as_of], _y(_value(p), y_max), _phrase(p) if labelled else None, colour)
                 for p in entry.points if p.place == place]
        series.append(Series(place, colour, marks))
    # Date labels: every one when they fit, else evenly thinned.
    step = math.ceil(len(dates) / 8)
    x_labels = [(x_of[date], date) for number, date in enumerate(dates) if number % step == 0]
    bottom = TOP + PLOT_HEIGHT
    legend: list[tuple[float, float, str, str]] = []
    x, y = float(LEFT), bottom + 34
    for item in series:
        item_width = 16 + 11 * len(item.name)
        if x + item_width > WIDTH and x > LEFT:
            x, y = float(LEFT), y + 16
        legend.append((x, y, item.colour, item.name))
        x += item_width + 8
    return Chart("line", WIDTH, int(y + 10), bottom, _tick_labels(ticks, y_max), x_labels, 0, series=series, legend=legend)


def _value(point: DataPoint) -> float:
    return float(point.statistic.quantity.value)


def _phrase(point: DataPoint) -> str:
    return point.statistic.quantity.phrase


def _y(value: float, y_max: float) -> float:
    return TOP + PLOT_HEIGHT * (1 - value / y_max)


def _ticks(top_value: float) -> tuple[list[float], float]:
    """Round ticks from 0 to at least ``top_value``: 0, 500, 1000 … (about four steps)."""
    if top_value <= 0:
        return [0.0, 1.0], 1.0
    rough = top_value / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    count = math.ceil(top_value / step - 1e-9)
    return [step * i for i in range(count + 1)], step * count


def _tick_labels(ticks: list[float], y_max: float) -> list[tuple[float, str]]:
    return [(_y(tick, y_max), _number(tick)) for tick in ticks]


def _number(value: float) -> str:
    """An axis label: ``2,500``, ``2.5``, and from ten thousand on in 万 or 亿 (``40万``), which also fits."""
    if value >= 100_000_000:
        return _number(value / 100_000_000) + "亿"
    if value >= 10_000:
        return _number(value / 10_000) + "万"
    text = f"{Decimal(repr(round(value, 6))).normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
