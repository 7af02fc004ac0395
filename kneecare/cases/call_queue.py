"""The queue as reception reads it: each case with its call-by time, in pages of 50.

A call-back's call-by time is the promise the chat made when the person asked
(``ClinicSettings.call_by``); it is overdue once that time has passed and no
one has contacted the person yet (status still "new"). A triage outcome
without a call-back request carries no promise. Page numbers come from the
query string, so a bad one is a ``ValueError`` with a message for the reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from kneecare.cases.records import Case
from kneecare.clinic import ClinicSettings

PAGE_SIZE: Final = 50
MAX_PAGE_DIGITS: Final = 9


@dataclass(frozen=True)
class QueueRow:
    case: Case
    call_by: datetime | None  # None: no call-back asked for (or the clinic never opens)
    overdue: bool


def queue_rows(found: Sequence[Case], clinic: ClinicSettings, now: datetime) -> list[QueueRow]:
    """Each case with its call-by time and whether it is overdue at ``now``."""
    rows = []
    for case in found:
        due = clinic.call_by(case.requested_at) if case.kind == "callback" else None
        rows.append(QueueRow(case, due, due is not None and now > due and case.status == "new"))
    return rows


@dataclass(frozen=True)
class Page:
    """One page of ``total`` rows: ``number`` counts from 1."""

    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def last_number(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.last_number

    def rows_words(self) -> str:
        """'rows 51–100 of 160'."""
        if self.total == 0:
            return "no rows"
        last = min(self.offset + self.size, self.total)
        return f"rows {self.offset + 1}–{last} of {self.total}"


def page_of(requested: str | None, total: int, size: int = PAGE_SIZE) -> Page:
    """The page asked for ('2'); past the last page: the last page. ValueError for
    anything but a whole number from 1."""
    text = (requested or "1").strip()
    if not text.isdecimal() or not text.isascii() or len(text) > MAX_PAGE_DIGITS or int(text) < 1:
        raise ValueError("The page must be a whole number from 1, such as ?page=2.")
    whole = Page(int(text), total, size)
    return Page(min(whole.number, whole.last_number), total, size)
