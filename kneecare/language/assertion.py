"""Decide which signs a message asserts, denies or leaves unsure.

A NegEx-style pass over the spans of the sign ruler. The text is cut into
clauses at full stops, at BREAK words ("but", "although") and at commas or
"and"/"or" unless a list of signs carries on ("no numbness, tingling or
weakness" stays one clause). Within a clause a NEGATION cue denies the signs
after it, an UNCERTAINTY cue makes all its signs unsure, and an OTHER_PERSON
cue ("my mum had cancer") removes history signs from the writer. A RELIEF cue
later in the sentence ("but ibuprofen sorts it") denies night pain. Knee
operations become ``recent_surgery`` only when their date is known. Where one
message both asserts and denies a sign, asserting wins (the safe reading).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kneecare.language import lexicon
from kneecare.language.measures import Measure
from kneecare.language.pipeline import SIGN_SPANS


@dataclass(frozen=True)
class Assertions:
    """Sign ids asserted, denied and left unsure by one message."""

    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    unsure: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Segments:
    """For each token, the clause and the sentence it belongs to."""

    clause: list[int]
    sentence: list[int]


def spans_by_label(doc: Doc, label: str) -> list[Span]:
    """Return the sign-ruler spans carrying ``label``."""
    return [span for span in doc.spans[SIGN_SPANS] if span.label_ == label]


def is_hard_break(text: str) -> bool:
    """Tell whether a token always ends a clause: full stop, newline..."""
    return text in lexicon.cue_file()["scope"]["hard_breaks"] or "\n" in text


def list_goes_on(doc: Doc, index: int, starts: set[int]) -> bool:
    """Tell whether a sign follows the soft break at ``index`` (fillers allowed)."""
    fillers = set(lexicon.cue_file()["scope"]["list_fillers"])
    for token in doc[index + 1 :]:
        if token.i in starts:
            return True
        if token.lower_ not in fillers:
            return False
    return False


def segment(doc: Doc) -> Segments:
    """Number the clauses and sentences of a parsed text."""
    scope = lexicon.cue_file()["scope"]
    inside = {i for span in doc.spans[SIGN_SPANS] for i in range(span.start, span.end)}
    starts = {
        span.start
        for span in doc.spans[SIGN_SPANS]
        if span.label_ in (lexicon.SIGN_LABEL, "SURGERY", "NEGATION")
    }
    breaks = {i for span in spans_by_label(doc, "BREAK") for i in range(span.start, span.end)}
    clause_ids: list[int] = []
    sentence_ids: list[int] = []
    clause = sentence = 0
    for token in doc:
        hard = is_hard_break(token.text)
        soft = token.lower_ in scope["soft_breaks"] and token.i not in inside
        if hard:
            sentence += 1
        if hard or token.i in breaks or (soft and not list_goes_on(doc, token.i, starts)):
            clause += 1
        clause_ids.append(clause)
        sentence_ids.append(sentence)
    return Segments(clause=clause_ids, sentence=sentence_ids)


def cue_before(cues: Iterable[Span], span: Span, segments: Segments) -> bool:
    """Tell whether a cue ends before ``span`` in the same clause."""
    clause = segments.clause[span.start]
    return any(cue.end <= span.start and segments.clause[cue.start] == clause for cue in cues)


def cue_in_clause(cues: Iterable[Span], span: Span, segments: Segments) -> bool:
    """Tell whether a cue lies anywhere in the clause of ``span``."""
    clause = segments.clause[span.start]
    return any(segments.clause[cue.start] == clause for cue in cues)


def relieved_later(
    span: Span, reliefs: list[Span], negations: list[Span], segments: Segments
) -> bool:
    """Tell whether rest or painkillers ease ``span`` later in its sentence or the next.

    "it wakes me up but ibuprofen sorts it" and "it wakes me at night. Ibuprofen
    sorts it" -> True; "painkillers help but it still wakes me up" and "it
    doesn't settle with rest" -> False.
    """
    sentence = segments.sentence[span.start]
    return any(
        cue.start >= span.end
        and segments.sentence[cue.start] in (sentence, sentence + 1)
        and not cue_before(negations, cue, segments)
        for cue in reliefs
    )


def surgery_effects(
    doc: Doc, segments: Segments, durations: list[Measure]
) -> list[tuple[Span, str]]:
    """Date each knee operation: "+recent_surgery" if within ~6 months, else "-".

    "knee replacement 5 years ago" -> -recent_surgery; "op last month" -> +;
    an undated "I had surgery" says nothing, unless it is negated ("never had
    an operation"), which the caller turns into a denial.
    """
    limit = float(lexicon.cue_file()["scope"]["recent_surgery_days"])
    found: list[tuple[Span, str]] = []
    for span in spans_by_label(doc, "SURGERY"):
        same_sentence = [
            m for m in durations if segments.sentence[m.start] == segments.sentence[span.start]
        ]
        if not same_sentence:
            found.append((span, "?recent_surgery"))
            continue
        nearest = min(same_sentence, key=lambda m: abs(m.start - span.start))
        recent = isinstance(nearest.value, float | int) and float(nearest.value) <= limit
        found.append((span, "+recent_surgery" if recent else "-recent_surgery"))
    return found


def judge(effects: str, negated: bool, unsure: bool) -> list[tuple[str, str]]:
    """Apply negation and uncertainty to a span's effects.

    Negating "+x" or "?x" denies x, negating "-x" says nothing; anything in an
    unsure clause is unsure.
    """
    judged: list[tuple[str, str]] = []
    for polarity, sign in lexicon.parse_effects(effects):
        if unsure:
            judged.append(("?", sign))
        elif negated:
            if polarity != "-":
                judged.append(("-", sign))
        else:
            judged.append((polarity, sign))
    return judged


def apply_implications(present: set[str], absent: set[str]) -> None:
    """Add the signs implied by others (``implications`` in signs.yml)."""
    rules = lexicon.sign_file()["implications"]
    for source, targets in rules.items():
        polarity, sign = source[0], source[1:]
        if sign in (present if polarity == "+" else absent):
            for target_polarity, target in lexicon.parse_effects(" ".join(targets)):
                (present if target_polarity == "+" else absent).add(target)


def assess_signs(doc: Doc, durations: list[Measure], segments: Segments) -> Assertions:
    """Return the signs ``doc`` asserts, denies and leaves unsure."""
    negations = spans_by_label(doc, "NEGATION")
    hedges = spans_by_label(doc, "UNCERTAINTY")
    others = spans_by_label(doc, "OTHER_PERSON")
    reliefs = spans_by_label(doc, "RELIEF")
    scope = lexicon.cue_file()["scope"]
    other_person_signs = set(scope["other_person_signs"])
    relieved_signs = set(scope["relieved_signs"])
    candidates = [(span, span.id_) for span in spans_by_label(doc, lexicon.SIGN_LABEL)]
    undated_surgery: list[Span] = []
    for span, effects in surgery_effects(doc, segments, durations):
        if effects.startswith("?"):
            undated_surgery.append(span)
        else:
            candidates.append((span, effects))
    candidates += [
        (span, "+recent_surgery")
        for span in undated_surgery
        if cue_before(negations, span, segments)
    ]
    present: set[str] = set()
    absent: set[str] = set()
    unsure: set[str] = set()
    for span, effects in candidates:
        negated = cue_before(negations, span, segments)
        hedged = cue_in_clause(hedges, span, segments)
        someone_else = cue_before(others, span, segments)
        relieved = relieved_later(span, reliefs, negations, segments)
        for polarity, sign in judge(effects, negated, hedged):
            if someone_else and sign in other_person_signs:
                continue
            if relieved and polarity == "+" and sign in relieved_signs:
                polarity = "-"
            {"+": present, "-": absent, "?": unsure}[polarity].add(sign)
    apply_implications(present, absent)
    unsure -= present
    absent -= present | unsure
    return Assertions(frozenset(present), frozenset(absent), frozenset(unsure))
