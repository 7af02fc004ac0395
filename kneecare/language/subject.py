"""Whose knee a message is about: the writer, someone else, or unclear.

Read from the context ruler (``doc.spans["context"]``): relatives ("my mum",
"my 12 year old son"), the writer's own knee, "mine", writing for someone,
"his"/"her" and the parts of the leg. See ``find_whose`` for the decision.
Clauses about anyone but the subject are returned so that their signs become
``other_person``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kneecare.findings import Subject
from kneecare.language import lexicon
from kneecare.language.assertion import Segments, context_by_label, spans_by_label
from kneecare.language.measures import Measure

FIRST_PERSON = frozenset({"i", "me", "mine", "myself", "we", "us", "im", "ive", "id"})
POSSESSIVE = frozenset({"'s", "s", "'"})
#: Words that make a relative the object, not the one with the sign.
OBJECT_OF = frozenset({"by", "with", "from", "against", "to", "into", "at", "like"})
#: The last word of a child named by age ("my 15 year old", "my 9 yo").
AGE_NOUNS = frozenset({"old", "olds", "yo", "y/o"})
#: Words after "my 50 year old" that make it the writer's own body, not a child.
OWN_BODY = frozenset({"body", "bones", "joints", "self", "frame", "legs", "knees", "knee"})


@dataclass(frozen=True)
class Whose:
    """The subject, the relatives linked to a knee and the clauses about others."""

    subject: Subject
    relatives: tuple[Span, ...]
    # clause -> the token from which its signs are someone else's
    other_clauses: Mapping[int, int]


def first_person_tokens(doc: Doc, relatives: list[Span]) -> set[int]:
    """Token indices of words about the writer ("I", "me"; "my" unless before a relative)."""
    in_relative = {i for span in relatives for i in range(span.start, span.end)}
    return {
        token.i
        for token in doc
        if token.i not in in_relative and (token.lower_ in FIRST_PERSON or token.lower_ == "my")
    }


def is_age_of(measure: Measure, relative: Span) -> bool:
    """Tell whether an age belongs to this relative: "my 12 year old son",
    "my son, 12", "my aunt, who's 71" (not "my dad is 80, I'm 52": the 52).
    """
    doc = relative.doc
    if measure.start < relative.end and measure.end > relative.start:
        return True
    gap = measure.start - relative.end
    return 0 <= gap <= 3 and doc[measure.start].lower_ not in FIRST_PERSON


def reported_clauses(doc: Doc, clause: list[int]) -> set[int]:
    """Clauses where someone only reports on the writer's knee ("my wife thinks it's red")."""
    words = set(lexicon.cue_file()["scope"]["reported_words"])
    return {clause[token.i] for token in doc if token.lower_ in words}


def link_strength(
    relative: Span,
    doc: Doc,
    segments: Segments,
    ages: list[Measure],
    first_person: set[int],
) -> str | None:
    """How firmly the message ties this relative to a knee: "strong", "weak" or None.

    Strong: the message is written for them ("asking for my dad"), or names
    their knee or leg ("my husband's knee", "his knee" in the same sentence).
    Weak: their age is given ("my son, 12"), or a knee sign follows them in a
    clause without the writer ("my mum can't bend it").
    """
    if any(
        s.start <= relative.start and relative.end <= s.end
        for s in context_by_label(doc, "FOR_OTHER")
    ):
        return "strong"
    knee_starts = {s.start for s in context_by_label(doc, "KNEE_AREA")}
    after = doc[relative.end : relative.end + 1]
    if (
        len(after)
        and after[0].lower_ in POSSESSIVE
        and knee_starts & set(range(relative.end + 1, relative.end + 4))
    ):
        return "strong"
    sentence = segments.sentence[relative.start]
    if any(
        s.end in knee_starts and segments.sentence[s.start] == sentence
        for s in context_by_label(doc, "THIRD_PERSON")
    ):
        return "strong"
    if any(is_age_of(m, relative) for m in ages):
        return "weak"
    clause = segments.clause[relative.start]
    if clause in reported_clauses(doc, segments.clause):
        return None
    if relative.start > 0 and doc[relative.start - 1].lower_ in OBJECT_OF:
        return None  # "tackled by my mate", "out with my son": not the one hurt
    history = set(lexicon.cue_file()["scope"]["history_signs"])
    for sign in spans_by_label(doc, lexicon.SIGN_LABEL):
        if sign.start < relative.end:
            continue
        if {name for _, name in lexicon.parse_effects(sign.id_)} <= history:
            continue  # "my mum had cancer" is family history, not her knee
        if segments.clause[sign.start] == clause and not first_person & set(
            range(relative.end, sign.start)
        ):
            return "weak"
    return None


def named_relatives(doc: Doc) -> list[Span]:
    """The RELATIVE spans; "my 15 year old" only when no word names them ("son")."""
    spans = context_by_label(doc, "RELATIVE")
    by_word = [r for r in spans if r[-1].lower_ not in AGE_NOUNS]
    return [
        r
        for r in spans
        if r in by_word
        or not (own_body(r) or any(w.start < r.end and r.start < w.end for w in by_word))
    ]


def own_body(relative: Span) -> bool:
    """Tell whether "my 50 year old ..." is the writer's body ("my 50 year old knees")."""
    after = relative.doc[relative.end : relative.end + 1]
    return relative[-1].lower_ in AGE_NOUNS and bool(len(after)) and after[0].lower_ in OWN_BODY


def relation_of(relative: Span) -> str:
    """How the writer names them: "mum" for "my mum", "15 year old" for "my 15 year old"."""
    if relative[-1].lower_ in AGE_NOUNS:
        return relative[1:].text
    return relative[-1].lower_


def find_whose(doc: Doc, segments: Segments, ages: list[Measure]) -> Whose:
    """Work out the subject of the message and the clauses about other people.

    A relative tied to a knee and no word of the writer's own knee: the
    relative. "mine", "my own", "about me" next to them: the writer. The
    writer's knee ("my knee", "I have a bad knee") next to a firmly tied
    relative: unclear; next to a loosely tied one: the writer.
    """
    relatives = named_relatives(doc)
    first_person = first_person_tokens(doc, relatives)
    strengths = {r.start: link_strength(r, doc, segments, ages, first_person) for r in relatives}
    linked = [r for r in relatives if strengths[r.start]]
    strong = any(strengths[r.start] == "strong" for r in linked)
    own_knee = bool(context_by_label(doc, "SELF"))
    contrast = bool(context_by_label(doc, "SELF_CONTRAST"))
    if linked and not own_knee and not contrast:
        subject = Subject(who="other", relation=relation_of(linked[0]))
    elif strong and own_knee and not contrast:
        subject = Subject(who="unclear", relation=relation_of(linked[0]))
    else:
        subject = Subject()
    clauses = other_clauses(doc, segments.clause, subject, relatives, first_person)
    return Whose(subject, tuple(linked), clauses)


def other_clauses(
    doc: Doc, clause: list[int], subject: Subject, relatives: list[Span], first_person: set[int]
) -> Mapping[int, int]:
    """Clauses whose signs belong to someone other than the subject.

    Each such clause maps to the token from which on its signs are someone
    else's: "got tackled by my mate" keeps the tackle, "my mate got tackled"
    gives it away. The writer's subject: clauses naming a relative (or "he",
    "she" once one is named), with no word about the writer and no one
    reporting on "it" ("my husband thinks it looks red" stays the writer's).
    Someone else's: clauses about the writer's own knee ("mine is fine") with
    no relative or "he"/"she". Unclear: none, so that every sign still counts
    until the person says.
    """
    if subject.who == "unclear":
        return {}
    named = list(relatives)
    if relatives:
        first = min(s.start for s in relatives)
        named += [s for s in context_by_label(doc, "THIRD_PERSON") if s.start > first]
    named_clauses = {clause[s.start] for s in named}
    if subject.who == "other":
        markers = [*context_by_label(doc, "SELF"), *context_by_label(doc, "SELF_CONTRAST")]
        skip = named_clauses
    else:
        markers = named
        skip = {clause[i] for i in first_person} | reported_clauses(doc, clause)
    starts: dict[int, int] = {}
    for marker in markers:
        own_clause = clause[marker.start]
        if own_clause not in skip:
            starts[own_clause] = min(starts.get(own_clause, marker.start), marker.start)
    return starts
