"""The parser's findings as Rasa-style entities with character offsets.

Rasa shows entities in its parse results (``/model/parse``, the tracker), so
integrations can read "pain_duration = 21 days" without re-parsing. Offsets
point into the original text: normalisation only inserts spaces ("6wks" ->
"6 wks"), which ``parse.original_offsets`` maps back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecare.language.measures import read_measures
from kneecare.language.parse import analyse, normalise_text, original_offsets, parse

MEASURE_ENTITIES = {
    "DURATION": "pain_duration",
    "SCORE": "pain_score",
    "SIDE": "body_side",
    "AGE": "age",
}


def extract_entities(text: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Entities for durations (in days), scores, sides, ages and signs.

    A sign entity's value is its id (kneecare/signs.yml) and its role says
    whether the text asserts it ("present"), denies it ("absent"), is unsure
    ("unsure"), puts it in the past ("past") or gives it to someone else or
    another body part ("other_person").
    """
    if not text.strip():
        return []
    today = today or dt.date.today()
    doc = analyse(text)
    offsets = original_offsets(text, normalise_text(text))
    findings = parse(text, today)
    roles = {
        **{sign: "other_person" for sign in findings.other_person},
        **{sign: "past" for sign in findings.past},
        **{sign: "unsure" for sign in findings.unsure},
        **{sign: "absent" for sign in findings.absent},
        **{sign: "present" for sign in findings.present},
    }
    entities: list[dict[str, Any]] = []

    def add(name: str, value: Any, start_char: int, end_char: int, role: str | None = None) -> None:
        entity = {"entity": name, "value": value,
                  "start": offsets[start_char], "end": offsets[end_char]}
        if role:
            entity["role"] = role
        entities.append(entity)

    for measure in read_measures(doc, today):
        name = MEASURE_ENTITIES.get(measure.label)
        if name:
            span = doc[measure.start:measure.end]
            add(name, measure.value, span.start_char, span.end_char)
    seen: set[str] = set()
    for span in doc.spans["signs"]:
        sign = span.id_.lstrip("+-?")
        if sign in roles and sign not in seen:
            seen.add(sign)
            add("sign", sign, span.start_char, span.end_char, roles[sign])
    return sorted(entities, key=lambda entity: (entity["start"], entity["end"]))
