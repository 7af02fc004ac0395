"""The queue as CSV, safe to open in a spreadsheet; contact details only when asked."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from kneecare.cases.case_reader import CaseReader
from kneecare.cases.records import CONTACT_COLUMNS, EXPORT_COLUMNS


def _csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text



class CaseExport(CaseReader):
    """``export_csv``: the queue with the same filters and order."""

    def export_csv(
        self,
        status: str | Sequence[str] | None = None,
        level: str | Sequence[str] | None = None,
        kind: str | None = None,
        *,
        include_contact: bool = False,
    ) -> str:
        """The queue (same filters and order) as CSV; contact details only if asked."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([*EXPORT_COLUMNS, *(CONTACT_COLUMNS if include_contact else ())])
        for case in self.list_queue(status=status, level=level, kind=kind, limit=100_000):
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
            writer.writerow([_csv_cell(value) for value in row])
        return out.getvalue()
