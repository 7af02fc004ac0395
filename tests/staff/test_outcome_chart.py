"""The Outcomes charts' layout: round axis steps, bars stacked by level on one scale."""

from __future__ import annotations

import pytest

from kneecare.cases.outcome_stats import PeriodCounts
from staff.outcome_chart import BOTTOM, HEIGHT, TOP, axis, stacked_bars


@pytest.mark.parametrize(
    ("largest", "step", "top"),
    [(0, 1, 1), (1, 1, 1), (5, 1, 5), (6, 2, 6), (9, 2, 10), (11, 5, 15), (24, 5, 25),
     (26, 10, 30), (99, 20, 100), (480, 100, 500)],
)
def test_the_y_axis_goes_up_in_round_steps(largest: int, step: int, top: int) -> None:
    assert axis(largest) == (step, top)


def period(key: str, *counts: int) -> PeriodCounts:
    return PeriodCounts(key=key, label=f"day {key}", short=key, counts=counts)


@pytest.mark.parametrize(
    ("counts", "segments"),
    [
        # counts by level -> (level, count, height) from the bottom up; the scale tops at 4
        ((0, 0, 0, 0, 0), []),
        ((0, 0, 0, 4, 0), [("physio", 4, 200.0)]),
        ((1, 0, 0, 2, 1), [("emergency", 1, 50.0), ("physio", 2, 100.0), ("self_care", 1, 50.0)]),
    ],
)
def test_bars_stack_the_levels_from_the_most_urgent_up(
    counts: tuple[int, ...], segments: list[tuple[str, int, float]]
) -> None:
    chart = stacked_bars([period("a", *counts), period("b", 0, 0, 0, 4, 0)])
    bar = chart.bars[0]
    assert [(s.level, s.count, s.height) for s in bar.segments] == segments
    bottom = HEIGHT - BOTTOM
    for segment in bar.segments:  # each sits on the one below
        assert segment.y + segment.height == pytest.approx(bottom)
        bottom = segment.y
    assert bar.top == pytest.approx(bottom)
    assert [tick.value for tick in chart.ticks] == [0, 1, 2, 3, 4]
    assert chart.ticks[-1].y == TOP and chart.ticks[0].y == chart.baseline


@pytest.mark.parametrize(
    ("counts", "title"),
    [
        ((0, 0, 0, 0, 0), "day a: 0 outcomes"),
        ((0, 0, 0, 1, 0), "day a: 1 outcome (Physio 1)"),
        ((2, 1, 0, 0, 3), "day a: 6 outcomes (EMERGENCY 2, Same day 1, Self-care 3)"),
    ],
)
def test_each_bar_is_titled_with_its_values(counts: tuple[int, ...], title: str) -> None:
    assert stacked_bars([period("a", *counts)]).bars[0].title == title


def test_bars_sit_side_by_side_in_order() -> None:
    chart = stacked_bars([period(str(n), n, 0, 0, 0, 0) for n in range(14)])
    lefts = [bar.x for bar in chart.bars]
    assert lefts == sorted(lefts) and len(set(lefts)) == 14
    assert all(bar.x + bar.width <= chart.right for bar in chart.bars)
    assert all(chart.bars[n].x + chart.bars[n].width < chart.bars[n + 1].x for n in range(13))
