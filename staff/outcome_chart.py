"""The Outcomes page's stacked bar charts, laid out in Python and drawn as inline SVG.

``stacked_bars`` turns days or weeks of counts by level into rectangles in
SVG user units (the template ``outcomes.html`` draws them; no script, no
external library): one bar per period, a segment per level stacked from the
most urgent at the bottom, a y axis in round steps, and a title per bar
that says its values ("Thu 3 Dec: 3 outcomes (EMERGENCY 1, Physio 2)").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from kneecare.cases.outcome_stats import PeriodCounts

WIDTH: Final = 640
HEIGHT: Final = 246
LEFT: Final = 40  # room for the y axis numbers
RIGHT: Final = 8
TOP: Final = 18  # room for the total over the tallest bar
BOTTOM: Final = 28  # room for the period under each bar
BAR_SHARE: Final = 0.7  # of each period's slot; the rest is the gap
MAX_TICKS: Final = 5


@dataclass(frozen=True)
class Segment:
    level: str
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Bar:
    period: PeriodCounts
    x: float
    width: float
    top: float  # y of the bar's top (the baseline for an empty bar)
    segments: tuple[Segment, ...]

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def title(self) -> str:
        period = self.period
        noun = "outcome" if period.total == 1 else "outcomes"
        parts = [f"{label} {n}" for _, label, n in period.by_level() if n]
        values = f" ({', '.join(parts)})" if parts else ""
        return f"{period.label}: {period.total} {noun}{values}"


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM


def stacked_bars(periods: Sequence[PeriodCounts]) -> Chart:
    """The chart of these periods, left to right, on one scale."""
    step, top_value = axis(max((p.total for p in periods), default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(periods), 1)

    def y_of(value: float) -> float:
        return round(HEIGHT - BOTTOM - plot_height * value / top_value, 1)

    bars = []
    for index, period in enumerate(periods):
        x = round(LEFT + index * slot + slot * (1 - BAR_SHARE) / 2, 1)
        width = round(slot * BAR_SHARE, 1)
        below = 0
        segments = []
        for level, label, count in period.by_level():
            if count:
                y = y_of(below + count)
                segments.append(Segment(level, label, count, x, y, width,
                                        round(y_of(below) - y, 1)))
                below += count
        bars.append(Bar(period, x, width, y_of(below), tuple(segments)))
    ticks = tuple(Tick(value, y_of(value)) for value in range(0, top_value + 1, step))
    return Chart(tuple(bars), ticks)


def axis(largest: int) -> tuple[int, int]:
    """(step, top) of a y axis from 0 showing ``largest``: steps of 1, 2 or 5 times 10^n."""
    largest = max(largest, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(largest / step) <= MAX_TICKS:
                return step, step * math.ceil(largest / step)
        magnitude *= 10
