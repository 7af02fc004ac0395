"""The queue as CSV for a spreadsheet: one row per case, contact details only if asked.

Cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
tab, carriage return first) are quoted with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Final

from kneecare.cases.records import Case

EXPORT_COLUMNS: Final = (
    "id",
    "created_at",
    "kind",
    "level",
    "status",
    "channel",
    "conversation_id",
    "reasons",
    "red_flags",
    "pain_duration_days",
    "pain_score",
    "limits_activity",
    "alters_gait",
    "injury",
    "age",
    "summary",
    "callback_reason",
    "consent_at",
)
CONTACT_COLUMNS: Final = ("contact_name", "contact_phone", "contact_email")


def cases_csv(cases: Iterable[Case], *, include_contact: bool = False) -> str:
    """These cases, in this order, as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*EXPORT_COLUMNS, *(CONTACT_COLUMNS if include_contact else ())])
    for case in cases:
        answers = case.answers
        row: list[object] = [
            case.id,
            case.created_at.isoformat(timespec="seconds"),
            case.kind,
            case.level,
            case.status,
            case.channel,
            case.conversation_id,
            ";".join(case.reasons),
            ";".join(answers.red_flags),
            answers.pain_duration_days,
            answers.pain_score,
            answers.limits_activity,
            answers.alters_gait,
            answers.injury,
            answers.age,
            " | ".join(case.summary_lines),
            case.callback_reason,
            case.consent_at.isoformat(timespec="seconds") if case.consent_at else None,
        ]
        if include_contact:
            contact = case.contact
            row += [contact.name, contact.phone, contact.email] if contact else [None] * 3
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
