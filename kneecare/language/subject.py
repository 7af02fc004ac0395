"""Whose knee a message is about: the writer, someone else, or unclear.

Read from the context ruler (``doc.spans["context"]``) and the relatives of the
sign ruler. A relative is *linked* to a knee when the message writes for them
("asking for my dad"), gives their age ("my son, 12"), names their knee ("my
husband's knee", "her knee") or gives them a sign in a clause without the
writer ("my mum can't bend it"). Linked relatives and no word about the writer's
own knee make the relative the subject; "mine" or "my own" next to them keep the
writer; "my knee" next to them, without that contrast, leaves it unclear.
Clauses about anyone but the subject are returned so that their signs become
``other_person``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kneecare.findings import Subject
from kneecare.language import lexicon
from kneecare.language.measures import Measure
from kneecare.language.pipeline import CONTEXT_SPANS, SIGN_SPANS

FIRST_PERSON = frozenset({"i", "me", "mine", "myself", "we", "us", "im", "ive", "id"})
POSSESSIVE = frozenset({"'s", "s", "'"})


@dataclass(frozen=True)
class Whose:
    """The subject, the relatives linked to a knee and the clauses about others."""

    subject: Subject
    relatives: tuple[Span, ...]
    other_clauses: frozenset[int]


def context_spans(doc: Doc, label: str) -> list[Span]:
    """Return the context-ruler spans carrying ``label``."""
    return [span for span in doc.spans[CONTEXT_SPANS] if span.label_ == label]


def first_person_tokens(doc: Doc, relatives: list[Span]) -> set[int]:
    """Token indices of words about the writer ("I", "me"; "my" unless before a relative)."""
    in_relative = {i for span in relatives for i in range(span.start, span.end)}
    return {
        token.i
        for token in doc
        if token.i not in in_relative and (token.lower_ in FIRST_PERSON or token.lower_ == "my")
    }


def is_linked(
    relative: Span, doc: Doc, clause: list[int], ages: list[Measure], first_person: set[int]
) -> bool:
    """Tell whether the message ties this relative to a knee (see the module doc)."""
    if any(s.start <= relative.start and relative.end <= s.end
           for s in context_spans(doc, "FOR_OTHER")):
        return True
    after = doc[relative.end : relative.end + 4]
    if len(after) and after[0].lower_ in POSSESSIVE and any(
        s.start in range(relative.end, relative.end + 4) for s in context_spans(doc, "KNEE_AREA")
    ):
        return True
    if any(m.start <= relative.end + 3 and m.end >= relative.start - 4 for m in ages):
        return True
    own_clause = clause[relative.start]
    history = set(lexicon.cue_file()["scope"]["history_signs"])
    for sign in doc.spans[SIGN_SPANS]:
        if sign.label_ != lexicon.SIGN_LABEL or sign.start < relative.end:
            continue
        if {name for _, name in lexicon.parse_effects(sign.id_)} <= history:
            continue  # "my mum had cancer" is family history, not her knee
        if clause[sign.start] == own_clause and not first_person & set(
            range(relative.end, sign.start)
        ):
            return True
    return False


def third_person_knee(doc: Doc) -> bool:
    """Tell whether the message speaks of "his knee", "her leg"..."""
    knee_starts = {s.start for s in context_spans(doc, "KNEE_AREA")}
    return any(s.end in knee_starts for s in context_spans(doc, "THIRD_PERSON"))


def find_whose(doc: Doc, clause: list[int], ages: list[Measure]) -> Whose:
    """Work out the subject of the message and the clauses about other people."""
    relatives = context_spans(doc, "RELATIVE")
    first_person = first_person_tokens(doc, relatives)
    linked = [r for r in relatives if is_linked(r, doc, clause, ages, first_person)]
    if not linked and relatives and third_person_knee(doc):
        linked = relatives[:1]
    own_knee = bool(context_spans(doc, "SELF"))
    contrast = bool(context_spans(doc, "SELF_CONTRAST"))
    if linked and not own_knee and not contrast:
        subject = Subject(who="other", relation=linked[0][-1].lower_)
    elif linked and own_knee and not contrast:
        subject = Subject(who="unclear", relation=linked[0][-1].lower_)
    else:
        subject = Subject()
    return Whose(subject, tuple(linked), other_clauses(doc, clause, subject, relatives, first_person))


def other_clauses(
    doc: Doc, clause: list[int], subject: Subject, relatives: list[Span], first_person: set[int]
) -> frozenset[int]:
    """Clauses whose signs belong to someone other than the subject.

    The writer's subject: clauses naming a relative (or "he", "she" once one is
    named) and no word about the writer. Someone else's: clauses about the
    writer's own knee ("mine is fine") with no relative or "he"/"she".
    Unclear: none, so that every sign still counts until the person says.
    """
    if subject.who == "unclear":
        return frozenset()
    writer = {clause[i] for i in first_person}
    named = {clause[s.start] for s in relatives}
    if relatives:
        first = min(s.start for s in relatives)
        named |= {clause[s.start] for s in context_spans(doc, "THIRD_PERSON") if s.start > first}
    if subject.who == "other":
        own = {clause[s.start] for s in context_spans(doc, "SELF")}
        own |= {clause[s.start] for s in context_spans(doc, "SELF_CONTRAST")}
        return frozenset(own - named)
    return frozenset(named - writer)
