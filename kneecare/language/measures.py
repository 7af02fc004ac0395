"""Read the quantities the measure ruler found: duration, score, age and side.

Each span in ``doc.spans["measures"]`` names its group in ``measures.yml``; the
group's ``kind`` picks a reader below that turns the words into a value (days,
0-10, years, a side). Readers return ``None`` for values that make no sense (a
score of 62), then overlapping readings are settled by group priority.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kneecare.language import dates, lexicon
from kneecare.language.numbers import fraction_numerator, read_number, word_number
from kneecare.language.pipeline import MEASURE_SPANS

MeasureValue = float | str


@dataclass(frozen=True)
class Measure:
    """One quantity read from the text, with where it was found."""

    label: str
    value: MeasureValue
    start: int
    end: int
    priority: int
    anchored: bool = False  # a duration introduced by "for" / "since"


def number_word_runs(span: Span) -> list[list[str]]:
    """Group the span's adjacent number words: "sixty two weeks" -> [[sixty, two]]."""
    runs: list[list[str]] = [[]]
    for token in span:
        if token.like_num and fraction_numerator(token.text) is None:
            runs[-1].append(token.lower_)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def number_runs(span: Span) -> list[float]:
    """Return every number written in the span ("sixty two" counts once)."""
    values: list[float] = []
    for run in number_word_runs(span):
        combined = read_number(run)
        if combined is not None:
            values.append(combined)
        else:
            values.extend(v for v in map(word_number, run) if v is not None)
    return values


def read_amount(span: Span, today: dt.date) -> float | None:
    """Read "3 weeks", "a couple of months", "2-3 days ago" as a number of days.

    A range or choice ("2-3 weeks", "a week or two") counts as its upper end.
    """
    words = lexicon.lexicon()
    lowered = [t.lower_ for t in span]
    unit = next((words["unit_days"][w] for w in lowered if w in words["unit_days"]), None)
    if unit is None:
        return None
    if lowered[0] == "half":
        return round(0.5 * float(unit), 2)
    quantities = number_runs(span) + [
        float(words["quantity_words"][t.lower_])
        for t in span
        if t.lower_ in words["quantity_words"] and not t.like_num
    ]
    if not quantities:
        return None
    if lowered[-2:] == ["a", "half"] and float(unit) >= 7:
        # "a week and a half" is ten days: whole days, rounded down
        return float(int((max(quantities) + 0.5) * float(unit)))
    extra = 0.5 if lowered[-2:] == ["a", "half"] else 0.0
    return round((max(quantities) + extra) * float(unit), 2)


def read_month(span: Span, today: dt.date) -> float | None:
    """Read "since March" as the days since 1 March (last year's if still ahead)."""
    months = lexicon.lexicon()["months"]
    month = next((months[t.lower_] for t in span if t.lower_ in months), None)
    return None if month is None else dates.days_since_month(today, month)


def read_month_last_year(span: Span, today: dt.date) -> float | None:
    """Read "since March last year"."""
    months = lexicon.lexicon()["months"]
    month = next((months[t.lower_] for t in span if t.lower_ in months), None)
    return None if month is None else dates.days_since_month(today, month, last_year=True)


def read_weekday(span: Span, today: dt.date) -> float | None:
    """Read "since Friday" / "last Tuesday" as days since that weekday."""
    weekdays = lexicon.lexicon()["weekdays"]
    day = next((weekdays[t.lower_] for t in span if t.lower_ in weekdays), None)
    return None if day is None else dates.days_since_weekday(today, day)


def read_weekend(span: Span, today: dt.date) -> float | None:
    """Read "since the weekend" as days since last Saturday."""
    return dates.days_since_weekend(today)


def read_holiday(span: Span, today: dt.date) -> float | None:
    """Read "since Christmas" / "since Easter" / "since the summer"."""
    holidays = lexicon.lexicon()["holidays"]
    for token in span:
        if token.lower_ == "easter":
            return dates.days_since_easter(today)
        if token.lower_ in holidays:
            month, day = holidays[token.lower_]
            return dates.days_since(today, dates.most_recent(today, month, day))
    return None


def read_year(span: Span, today: dt.date) -> float | None:
    """Read "since 2019" as the days since 1 January 2019."""
    years = [int(t.text) for t in span if t.text.isdigit()]
    return dates.days_since_year(today, years[0]) if years else None


def read_score(span: Span, today: dt.date) -> float | None:
    """Read "7/10", "seven out of ten", "about a 6" as a 0-10 pain score."""
    for token in span:
        fraction = fraction_numerator(token.text)
        if fraction is not None:
            return fraction if 0 <= fraction <= 10 else None
    numbers = number_runs(span)
    return numbers[0] if numbers and 0 <= numbers[0] <= 10 else None


def read_age(span: Span, today: dt.date) -> float | None:
    """Read "I'm 62", "aged 70", "12 year old" as an age in years."""
    numbers = number_runs(span)
    if not numbers or not numbers[0].is_integer() or not 0 < numbers[0] <= 110:
        return None
    return numbers[0]


def read_decade(span: Span, today: dt.date) -> float | None:
    """Read "in my 60s" as 65 ("early 60s" 62, "late 60s" 68)."""
    words = lexicon.lexicon()
    offsets = words["decade_offsets"]
    offset = next((offsets[t.lower_] for t in span if t.lower_ in offsets), offsets["default"])
    for token in span:
        if token.lower_ in words["decades"]:
            return float(words["decades"][token.lower_] + offset)
        if token.lower_.endswith("0s") and token.lower_[:-1].isdigit():
            return float(int(token.lower_[:-1]) + offset)
    return None


Reader = Callable[[Span, dt.date], float | None]

READERS: dict[str, Reader] = {
    "amount": read_amount,
    "month": read_month,
    "month_last_year": read_month_last_year,
    "weekday": read_weekday,
    "weekend": read_weekend,
    "holiday": read_holiday,
    "year": read_year,
    "score": read_score,
    "age": read_age,
    "decade": read_decade,
}


def is_anchored(span: Span) -> bool:
    """Tell whether a duration is tied to the pain: "for 3 weeks", "since May"."""
    anchors = set(lexicon.lexicon()["pain_anchors"])
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    return span[0].lower_ == "since" or before in anchors


def read_measure(span: Span, today: dt.date) -> Measure | None:
    """Return the value of one measure span, or ``None`` when it makes no sense."""
    group = lexicon.measure_groups()[span.id_]
    fixed = group.kind in ("fixed", "side")
    value: MeasureValue | None = group.value if fixed else READERS[group.kind](span, today)
    if value is None:
        return None
    return Measure(
        label=group.label,
        value=value,
        start=span.start,
        end=span.end,
        priority=group.priority,
        anchored=group.label == "DURATION" and is_anchored(span),
    )


def without_overlaps(measures: list[Measure]) -> list[Measure]:
    """Keep the highest-priority (then longest) reading where readings overlap."""
    ranked = sorted(measures, key=lambda m: (-m.priority, m.start - m.end, m.start))
    kept: list[Measure] = []
    taken: set[int] = set()
    for measure in ranked:
        tokens = set(range(measure.start, measure.end))
        if tokens & taken:
            continue
        kept.append(measure)
        taken |= tokens
    return sorted(kept, key=lambda m: m.start)


def read_measures(doc: Doc, today: dt.date) -> list[Measure]:
    """Return the non-overlapping quantities of a parsed text, in text order."""
    readings = [read_measure(span, today) for span in doc.spans[MEASURE_SPANS]]
    return without_overlaps([m for m in readings if m is not None])
