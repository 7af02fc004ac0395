"""Signs the person reported in any message, read back from the conversation itself.

Rasa stores every message with its NLU result, including the parser's
``sign`` entities (role present, absent or unsure, with character offsets),
whatever happens to the actions afterwards. When the action server was down,
the form never saw some messages, so its slots lack their signs: a calf pain
with breathlessness reported during an outage would be missing when the
assessment runs after the restart. ``with_reported_signs`` reads the signs of
every message, in the order they were said (a later "actually it isn't
swollen" retracts an earlier sign), and adds those still standing to the
answers, with the person's own words behind each. It only ever adds: an
answer the form recorded is never overruled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from kneecare.findings import Evidence, Findings
from kneecare.triage.answers import TriageAnswers, merge

SIGN_ENTITY = "sign"
ROLE_STATUS = {"present": "present", "unsure": "unsure", "absent": "absent"}


def findings_of_message(text: str, entities: Sequence[Mapping[str, Any]]) -> Findings:
    """The signs one stored message carries, and the words behind each."""
    found: dict[str, set[str]] = {"present": set(), "unsure": set(), "absent": set()}
    evidence: list[Evidence] = []
    for entity in entities:
        role = entity.get("role")
        sign = entity.get("value")
        if entity.get("entity") != SIGN_ENTITY or role not in ROLE_STATUS:
            continue
        if not isinstance(sign, str):
            continue
        found[ROLE_STATUS[role]].add(sign)
        start, end = entity.get("start"), entity.get("end")
        words = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
        if role != "absent" and words.strip():
            evidence.append(Evidence(sign, ROLE_STATUS[role], words))  # type: ignore[arg-type]
    return Findings(present=frozenset(found["present"]), unsure=frozenset(found["unsure"]),
                    absent=frozenset(found["absent"]), evidence=tuple(evidence))


def with_reported_signs(
    answers: TriageAnswers, messages: Iterable[tuple[str, Sequence[Mapping[str, Any]]]]
) -> TriageAnswers:
    """``answers`` plus every sign still standing in the conversation's messages.

    ``messages``: (text, entities) of each user message, oldest first.
    """
    reported = TriageAnswers()
    words: dict[str, Evidence] = {}
    for text, entities in messages:
        findings = findings_of_message(text, entities)
        reported = merge(reported, replace(findings, evidence=()))
        words.update({item.sign: item for item in findings.evidence})
    added_signs = reported.signs - answers.signs
    added_unsure = reported.unsure - answers.signs - answers.unsure - added_signs
    if not added_signs and not added_unsure:
        return answers
    known = {item.sign for item in answers.evidence}
    extra = tuple(words[sign] for sign in sorted(added_signs | added_unsure)
                  if sign in words and sign not in known)
    return replace(
        answers,
        signs=answers.signs | added_signs,
        unsure=answers.unsure | added_unsure,
        denied=answers.denied - added_signs - added_unsure,
        evidence=(*answers.evidence, *extra),
    )


def user_messages(events: Iterable[Mapping[str, Any]]) -> list[tuple[str, list[Any]]]:
    """(text, entities) of each user message in a tracker's events, oldest first."""
    return [
        (str(event.get("text") or ""), list((event.get("parse_data") or {}).get("entities") or []))
        for event in events
        if event.get("event") == "user"
    ]


def red_flags_in(signs: Iterable[str]) -> tuple[str, ...]:
    """The red flags a set of present signs raises on its own ("calf_pain" and
    "chest_symptoms" -> dvt_with_chest), most urgent first."""
    from kneecare.triage.assess import red_flags

    return tuple(red_flags(TriageAnswers(signs=frozenset(signs))))
