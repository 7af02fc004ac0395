"""Decide which signs a message asserts, denies, leaves unsure, puts in the
past or gives to someone else.

A NegEx-style pass over the spans of the sign ruler. The text is cut into
clauses at full stops, at BREAK words ("but", "although") and at commas or
"and"/"or" unless a list of signs carries on ("no numbness, tingling or
weakness" stays one clause). Within a clause a NEGATION cue denies the signs
after it, an UNCERTAINTY cue makes all its signs unsure, and a FAMILY cue
("family history of cancer") gives history signs to someone else. A RELIEF cue
later in the sentence ("but ibuprofen sorts it") denies night pain. Knee
operations become ``recent_surgery`` only when their date is known. Where one
message both asserts and denies a sign, asserting wins (the safe reading).

Beyond that: a sign in a clause about someone other than the subject
(``subject.py``), or said of a body part with no link to the knee ("tingly
fingers"), is ``other_person``; a sign followed by a RESOLVED cue ("had a fever
but it's gone") or dated long ago ("DVT five years ago") is ``past``, and so
is a sign the criteria count only when new, put down to a nerve condition of
months in its sentence ("sciatica for two years, tingling down to my heel")
with no word of a new onset; an
EASES_SOON cue after morning stiffness ("eases off within minutes") denies it;
a hedge next to a number ("3/10 maybe") doubts the number, not the signs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kneecare.findings import SignStatus
from kneecare.language import lexicon
from kneecare.language.measures import Measure
from kneecare.language.pipeline import CONTEXT_SPANS, SIGN_SPANS

POLARITY_STATUS: dict[str, SignStatus] = {"+": "present", "-": "absent", "?": "unsure"}


@dataclass(frozen=True)
class Assertions:
    """Sign ids by status in one message, and the span behind each (sign, status)."""

    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    unsure: frozenset[str] = frozenset()
    past: frozenset[str] = frozenset()
    other_person: frozenset[str] = frozenset()
    sources: tuple[tuple[str, SignStatus, Span], ...] = ()


@dataclass(frozen=True)
class Segments:
    """For each token, the clause and the sentence it belongs to."""

    clause: list[int]
    sentence: list[int]


def grouped_spans(doc: Doc, key: str) -> dict[str, list[Span]]:
    """Return the spans of ``doc.spans[key]`` by label, grouped once per parsed text.

    The grouping is kept in ``doc.user_data``: a parsed text is shared and
    read many times (see ``parse.analyse``), and its spans never change.
    """
    cache_key = f"kneecare_spans_by_label:{key}"
    groups: dict[str, list[Span]] | None = doc.user_data.get(cache_key)
    if groups is None:
        groups = {}
        for span in doc.spans[key]:
            groups.setdefault(span.label_, []).append(span)
        doc.user_data[cache_key] = groups
    return groups


def spans_by_label(doc: Doc, label: str) -> list[Span]:
    """Return the sign-ruler spans carrying ``label``."""
    return grouped_spans(doc, SIGN_SPANS).get(label, [])


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


def apply_implications(
    present: set[str], absent: set[str], sources: dict[tuple[str, SignStatus], Span]
) -> None:
    """Add the signs implied by others (``implications`` in signs.yml)."""
    rules = lexicon.sign_file()["implications"]
    for source, targets in rules.items():
        polarity, sign = source[0], source[1:]
        if sign in (present if polarity == "+" else absent):
            origin = sources.get((sign, POLARITY_STATUS[polarity]))
            for target_polarity, target in lexicon.parse_effects(" ".join(targets)):
                (present if target_polarity == "+" else absent).add(target)
                status = POLARITY_STATUS[target_polarity]
                if origin is not None:
                    sources.setdefault((target, status), origin)


def context_by_label(doc: Doc, label: str) -> list[Span]:
    """Return the context-ruler spans carrying ``label``."""
    return grouped_spans(doc, CONTEXT_SPANS).get(label, [])


def number_hedges(hedges: list[Span], measures: list[Measure]) -> list[Span]:
    """Return the hedges that doubt the signs, not a number next to them ("3/10 maybe")."""
    return [
        hedge
        for hedge in hedges
        if not any(m.end == hedge.start or hedge.end == m.start for m in measures)
    ]


def resolved_after(
    span: Span,
    resolutions: list[Span],
    sign_starts: set[int],
    negations: list[Span],
    segments: Segments,
) -> bool:
    """Tell whether a RESOLVED cue clears ``span`` up: "had a fever but it's gone".

    The cue must follow the sign in its clause or the next one, with no other
    sign in between, and not be negated ("it hasn't gone"); "used to" before
    the sign in its clause counts too.
    """
    clause = segments.clause[span.start]
    for cue in resolutions:
        used_to = cue.text == "used to"
        if cue.start < span.start or used_to:
            if used_to and cue.start < span.start and segments.clause[cue.start] == clause:
                return True
            continue
        if segments.clause[cue.start] not in (clause, clause + 1):
            continue
        if segments.sentence[cue.start] != segments.sentence[span.start]:
            continue
        if any(span.end <= start < cue.start for start in sign_starts):
            continue
        if not cue_before(negations, cue, segments):
            return True
    return False


def dated_long_ago(span: Span, durations: list[Measure], segments: Segments) -> bool:
    """Tell whether the clause of ``span`` dates it long ago ("a clot back in 2020")."""
    limit = float(lexicon.cue_file()["scope"]["past_event_days"])
    clause = segments.clause[span.start]
    return any(
        segments.clause[m.start] == clause
        and not m.anchored
        and isinstance(m.value, float | int)
        and float(m.value) >= limit
        for m in durations
    )


def long_standing(
    span: Span,
    conditions: list[Span],
    onsets: list[Span],
    durations: list[Measure],
    segments: Segments,
) -> bool:
    """Tell whether a nerve condition of months explains ``span`` (see ``new_only_signs``).

    The condition and its duration sit in the sign's clause or an earlier
    clause of its sentence; an ONSET word ("now", "new", "suddenly") or a
    shorter duration in the sign's own clause keeps the sign new.
    """
    limit = float(lexicon.cue_file()["scope"]["long_standing_days"])
    clause, sentence = segments.clause[span.start], segments.sentence[span.start]

    def before_in_sentence(start: int) -> bool:
        return segments.sentence[start] == sentence and segments.clause[start] <= clause

    if any(segments.clause[cue.start] == clause for cue in onsets):
        return False
    days = [m for m in durations if isinstance(m.value, float | int)]
    if any(segments.clause[m.start] == clause and float(m.value) < limit for m in days):
        return False
    condition_clauses = {
        segments.clause[c.start] for c in conditions if before_in_sentence(c.start)
    }
    return any(
        segments.clause[m.start] in condition_clauses and float(m.value) >= limit for m in days
    )


def clauses_of(spans: list[Span], segments: Segments) -> set[int]:
    """Return the clauses the spans start in."""
    return {segments.clause[span.start] for span in spans}


def eases_soon_after(span: Span, eases: list[Span], segments: Segments) -> bool:
    """Tell whether the stiffness wears off quickly, later in its sentence."""
    sentence = segments.sentence[span.start]
    return any(cue.start >= span.end and segments.sentence[cue.start] == sentence for cue in eases)


def candidates_starts(doc: Doc) -> set[int]:
    """Return the first tokens of the sign spans."""
    return {span.start for span in doc.spans[SIGN_SPANS] if span.label_ == lexicon.SIGN_LABEL}


def trailing_hedge_clauses(
    hedges: list[Span], sign_starts: set[int], segments: Segments
) -> set[int]:
    """Clauses a hedge doubts: its own, and the one before when the hedge trails.

    "it's a bit puffy, not sure" doubts the puffiness (a hedge that ends its
    sentence, in a clause with no sign of its own); "not sure if it's hot"
    doubts its own clause; "swollen, not sure what to do" doubts nothing before.
    """
    sign_clauses = {segments.clause[start] for start in sign_starts}
    doubted: set[int] = set()
    for hedge in hedges:
        clause = segments.clause[hedge.start]
        doubted.add(clause)
        doc = hedge.doc
        trails = hedge.end == len(doc) or all(t.is_punct for t in doc[hedge.end : hedge.end + 1])
        first = hedge.start
        while first > 0 and segments.clause[first - 1] == clause:
            first -= 1
        if (
            trails
            and clause not in sign_clauses
            and first > 0
            and segments.sentence[first - 1] == segments.sentence[hedge.start]
        ):
            doubted.add(segments.clause[first - 1])
    return doubted


def negation_reaches(
    span: Span, effects: str, negations: list[Span], sign_starts: set[int], segments: Segments
) -> bool:
    """Tell whether a negation before ``span`` in its clause applies to it.

    A negation carries along a list of signs ("no numbness, tingling or
    weakness"), but not onto a phrase that is itself a denial: in "not swollen,
    walking fine" the "not" belongs to "swollen".
    """
    clause = segments.clause[span.start]
    denial = all(polarity == "-" for polarity, _ in lexicon.parse_effects(effects))
    for cue in negations:
        if cue.end > span.start or segments.clause[cue.start] != clause:
            continue
        if not denial or not any(cue.end <= start < span.start for start in sign_starts):
            return True
    return False


def assess_signs(
    doc: Doc,
    durations: list[Measure],
    segments: Segments,
    other_clauses: Mapping[int, int] | None = None,
    measures: list[Measure] | None = None,
) -> Assertions:
    """Return the signs of ``doc`` by status (see the module doc)."""
    negations = spans_by_label(doc, "NEGATION")
    others_from = other_clauses or {}
    hedges = number_hedges(spans_by_label(doc, "UNCERTAINTY"), measures or [])
    hedged_clauses = trailing_hedge_clauses(hedges, candidates_starts(doc), segments)
    families = spans_by_label(doc, "FAMILY")
    reliefs = spans_by_label(doc, "RELIEF")
    resolutions = context_by_label(doc, "RESOLVED")
    eases = context_by_label(doc, "EASES_SOON")
    conditions = context_by_label(doc, "NERVE_CONDITION")
    onsets = context_by_label(doc, "ONSET")
    # clauses naming another body part and no part of the leg ("tingly fingers")
    off_knee_clauses = clauses_of(context_by_label(doc, "BODY_PART"), segments) - clauses_of(
        context_by_label(doc, "KNEE_AREA"), segments
    )
    # clauses naming a part above the knee (or another body part) and none
    # below it ("pins and needles in my bum and thigh")
    above_knee_clauses = clauses_of(
        context_by_label(doc, "ABOVE_KNEE") + context_by_label(doc, "BODY_PART"), segments
    ) - clauses_of(context_by_label(doc, "BELOW_KNEE"), segments)
    scope = lexicon.cue_file()["scope"]
    family_signs = set(scope["other_person_signs"])
    relieved_signs = set(scope["relieved_signs"])
    body_part_signs = set(scope["body_part_signs"])
    below_knee_signs = set(scope["below_knee_signs"])
    history_signs = set(scope["history_signs"])
    eases_soon_signs = set(scope["eases_soon_signs"])
    new_only_signs = set(scope["new_only_signs"])
    hedges_inside = set(scope["hedges_inside"])
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
    found: dict[SignStatus, set[str]] = {
        "present": set(),
        "absent": set(),
        "unsure": set(),
        "past": set(),
        "other_person": set(),
    }
    sources: dict[tuple[str, SignStatus], Span] = {}
    sign_starts = {span.start for span, _ in candidates}
    for span, effects in candidates:
        negated = negation_reaches(span, effects, negations, sign_starts, segments)
        hedged = segments.clause[span.start] in hedged_clauses or any(
            token.lower_ in hedges_inside for token in span
        )
        family = cue_before(families, span, segments)
        someone_else = span.start >= others_from.get(segments.clause[span.start], len(doc))
        off_knee = segments.clause[span.start] in off_knee_clauses
        above_knee = segments.clause[span.start] in above_knee_clauses
        relieved = relieved_later(span, reliefs, negations, segments)
        gone = resolved_after(
            span, resolutions, sign_starts, negations, segments
        ) or dated_long_ago(span, durations, segments)
        for polarity, sign in judge(effects, negated, hedged):
            if relieved and polarity == "+" and sign in relieved_signs:
                polarity = "-"
            if (
                polarity != "-"
                and not hedged
                and sign in eases_soon_signs
                and eases_soon_after(span, eases, segments)
            ):
                polarity = "-"
            status = POLARITY_STATUS[polarity]
            if (
                (family and sign in family_signs)
                or someone_else
                or (off_knee and sign in body_part_signs)
                or (above_knee and sign in below_knee_signs)
            ):
                if polarity == "-":
                    continue
                status = "other_person"
            elif polarity != "-" and (
                (gone and sign not in history_signs)
                or (
                    polarity == "+"
                    and sign in new_only_signs
                    and long_standing(span, conditions, onsets, durations, segments)
                )
            ):
                status = "past"
            found[status].add(sign)
            sources.setdefault((sign, status), span)
    present, absent, unsure = found["present"], found["absent"], found["unsure"]
    apply_implications(present, absent, sources)
    unsure -= present
    absent -= present | unsure
    past = found["past"] - present - unsure
    other = found["other_person"] - present - unsure - past
    kept = {
        "present": present,
        "absent": absent,
        "unsure": unsure,
        "past": past,
        "other_person": other,
    }
    return Assertions(
        present=frozenset(present),
        absent=frozenset(absent),
        unsure=frozenset(unsure),
        past=frozenset(past),
        other_person=frozenset(other),
        sources=tuple(
            (sign, status, span) for (sign, status), span in sources.items() if sign in kept[status]
        ),
    )
