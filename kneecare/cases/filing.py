"""One case per conversation: what a new record changes in the case already filed.

A conversation's triage outcome, a later re-run of the questions and a
call-back request all land on one case, whose history says what changed.
These are plain functions over row values, so the rules are tested without a
database; ``filing_store`` applies them inside one transaction.

Limits keep the queue usable if someone scripts the chat: a conversation's
case changes at most ``MAX_CHANGES_PER_CONVERSATION_PER_HOUR`` times an hour,
and one client address files at most ``MAX_NEW_CASES_PER_CLIENT_PER_HOUR``
new cases an hour (the address is kept only as a keyed hash; clients on the
machine itself, the clinic's own integrations, are not limited).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

# generous: behind a mobile carrier's shared address several people may be one client
MAX_NEW_CASES_PER_CLIENT_PER_HOUR: Final = 20
MAX_CHANGES_PER_CONVERSATION_PER_HOUR: Final = 10
ASSISTANT: Final = "assistant"  # the history's author for changes the chat made
CALLBACK_SUMMARY_LINES: Final = 3

# what a triage record sets; a call-back record sets the contact columns
TRIAGE_COLUMNS: Final = (
    "level",
    "reasons",
    "red_flags",
    "pain_duration_days",
    "pain_score",
    "limits_activity",
    "alters_gait",
    "injury",
    "age",
    "not_sure",
    "reasons_explained",
)
CALLBACK_COLUMNS: Final = (
    "contact_name",
    "contact_phone",
    "contact_email",
    "phone_lookup",
    "email_lookup",
    "callback_reason",
    "consent_at",
    "consent_purpose",
)


class CaseRateLimited(ValueError):
    """Too many new cases from one client address; the case was not filed.

    A ``ValueError`` like the store's other refusals: retrying it from the
    outbox would not help.
    """


def merged(existing: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The columns that change when ``new`` (a triage or call-back record) joins ``existing``.

    Empty when nothing changes: the same outcome again is not news. A
    call-back always changes something (its details are encrypted afresh).
    """
    callback_part, triage_part = summary_parts(existing)
    if new["kind"] == "triage":
        candidate = {column: new.get(column) for column in TRIAGE_COLUMNS}
        triage_part = str(new["summary"]).splitlines()
    else:
        candidate = {"kind": "callback", **{column: new.get(column) for column in CALLBACK_COLUMNS}}
        if new.get("level") is not None:
            candidate["level"] = new["level"]
        if new.get("reasons"):
            candidate["reasons"] = new["reasons"]
        callback_part = str(new["summary"]).splitlines()
    candidate["summary"] = "\n".join([*callback_part, *triage_part])
    return {column: value for column, value in candidate.items() if existing.get(column) != value}


def summary_parts(row: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(the call-back's lines, the triage's lines) of a case's summary.

    A call-back's three lines come first; a case filed as a triage has only
    triage lines.
    """
    lines = str(row.get("summary") or "").splitlines()
    if row.get("kind") == "callback":
        return lines[:CALLBACK_SUMMARY_LINES], lines[CALLBACK_SUMMARY_LINES:]
    return [], lines


def change_note(existing: Mapping[str, Any], changes: Mapping[str, Any]) -> str:
    """The history's words for what the chat changed."""
    notes = []
    if changes.get("kind") == "callback" and existing.get("kind") != "callback":
        notes.append("Call-back requested in the same conversation")
    elif "contact_name" in changes:
        notes.append("Call-back details given again")
    if "level" in changes and existing.get("level") != changes["level"]:
        notes.append(
            f"Outcome changed from {existing.get('level') or 'none'}"
            f" to {changes['level'] or 'none'}"
        )
    elif any(column in changes for column in TRIAGE_COLUMNS):
        notes.append("Answers updated (questions asked again)")
    return "; ".join(notes) or "Details updated"
