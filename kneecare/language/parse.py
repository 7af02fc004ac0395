"""The parser's public face: free text in, ``Findings`` (or a short answer) out.

``parse`` reads one message of a person with knee pain: how long it has hurt,
the pain score, their age and side, and the signs of ``kneecare/signs.yml``
they assert, deny or are unsure about. The other functions read replies to the
assistant's own questions: yes/no, a number in a range, a duration. All of
them are pure functions of the text (and ``today``) over a cached rule-based
spaCy pipeline; no Rasa is involved.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Literal, cast

from spacy.tokens import Doc

from kneecare.findings import BodySide, Evidence, Findings
from kneecare.language import lexicon
from kneecare.language.assertion import Assertions, Segments, assess_signs, segment
from kneecare.language.evidence import evidence_of
from kneecare.language.measures import Measure, read_measures
from kneecare.language.numbers import fraction_numerator, read_number, round_half_up
from kneecare.language.pipeline import CONTEXT_SPANS, MEASURE_SPANS, load_pipeline
from kneecare.language.subject import Whose, find_whose, is_age_of

YesNo = Literal["yes", "no", "unsure"]

QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
HYPHEN_IN_WORD = re.compile(r"(?<=[a-z])-(?=[a-z0-9])|(?<=[0-9])-(?=[a-z])")
DIGITS_THEN_WORD = re.compile(r"(\d)([a-z]{2,})")


def normalise_text(text: str) -> str:
    """Lowercase, straighten quotes, split "flu-like" and "6wks" into words."""
    text = text.translate(QUOTES).lower()
    text = HYPHEN_IN_WORD.sub(" ", text)
    return DIGITS_THEN_WORD.sub(r"\1 \2", text)


def analyse(text: str) -> Doc:
    """Run the pipeline over normalised text.

    The result is shared, not copied: callers only read it. One message is
    read several times (its findings, its entities, the routing), and the
    pipeline is most of the cost of each, so recent texts are remembered.
    """
    return _analyse_normalised(normalise_text(text))


@lru_cache(maxsize=256)
def _analyse_normalised(normalised: str) -> Doc:
    return load_pipeline()(normalised)


def event_clauses(doc: Doc, signs: Assertions, segments: Segments) -> set[int]:
    """Clauses that date something other than the current knee pain.

    An operation, a cancer, a sign now in the past or someone else's: "cancer
    in 2019", "a clot back in 2020", "my wife's knee swelled up on Monday";
    an earlier episode or a time when all was well: "had the same thing a few
    months back", "I've been fine for years".
    """
    dated_elsewhere = {"past", "other_person"}
    clauses = {
        segments.clause[span.start]
        for sign, status, span in signs.sources
        if status in dated_elsewhere or sign == "past_cancer"
    }
    clauses |= {
        segments.clause[span.start]
        for span in doc.spans["signs"]
        if span.label_ in ("SURGERY", "FAMILY")
    }
    clauses |= {
        segments.clause[span.start]
        for span in doc.spans[CONTEXT_SPANS]
        if span.label_ in ("EARLIER_EPISODE", "WELL_FOR")
    }
    return clauses


def pain_duration(
    doc: Doc,
    measures: list[Measure],
    segments: Segments,
    events: set[int],
) -> Measure | None:
    """Return the duration of the current episode of knee pain (its value in days).

    Durations that date another event (``event_clauses``) are skipped, and in a
    sentence with a knee operation only "for ..." / "since ..." count
    ("replacement 5 years ago" dates the operation). A duration in a clause
    about the current flare ("this time it started on Monday") comes first;
    then one not in a clause about another body part only ("sciatica for a
    year and a half"); then one that is not a date long ago in a clause
    without the knee ("a hysterectomy in 2018"); otherwise the first one left. "Since my op in
    March" dates the pain from the operation.
    """
    durations = [m for m in measures if m.label == "DURATION"]
    surgery_sentences = {
        segments.sentence[span.start] for span in doc.spans["signs"] if span.label_ == "SURGERY"
    }
    kept = [
        m
        for m in durations
        if segments.clause[m.start] not in events
        and not (segments.sentence[m.start] in surgery_sentences and not m.anchored)
    ]
    current = {
        segments.clause[span.start]
        for span in doc.spans[CONTEXT_SPANS]
        if span.label_ == "THIS_TIME"
    }
    knee_clauses = {
        segments.clause[span.start]
        for span in doc.spans[CONTEXT_SPANS]
        if span.label_ == "KNEE_AREA"
    }
    # clauses about another body part only ("sciatica for a year and a half")
    elsewhere = {
        segments.clause[span.start]
        for span in doc.spans[CONTEXT_SPANS]
        if span.label_ == "BODY_PART"
    } - knee_clauses
    limit = float(lexicon.cue_file()["scope"]["past_event_days"])

    def dates_another_event(measure: Measure) -> bool:
        """A date long ago, not "for"/"since", in a clause that is not about the knee."""
        return (
            not measure.anchored
            and float(measure.value) >= limit
            and segments.clause[measure.start] not in knee_clauses
        )

    ranked = sorted(
        kept,
        key=lambda m: (
            segments.clause[m.start] not in current,
            segments.clause[m.start] in elsewhere,
            dates_another_event(m),
        ),
    )
    for measure in ranked:
        return measure
    return dated_by_operation(doc, durations, segments)


def dated_by_operation(doc: Doc, durations: list[Measure], segments: Segments) -> Measure | None:
    """Return the operation's date when the pain runs "since my op in March"."""
    for span in doc.spans["signs"]:
        if span.label_ != "SURGERY":
            continue
        before = {t.lower_ for t in doc[max(span.start - 3, 0) : span.start]}
        if "since" not in before:
            continue
        same = [m for m in durations if segments.sentence[m.start] == segments.sentence[span.start]]
        if same:
            return min(same, key=lambda m: abs(m.start - span.start))
    return None


def pain_score(measures: list[Measure]) -> int | None:
    """Return the highest pain score given (err towards the worse one)."""
    scores = [float(m.value) for m in measures if m.label == "SCORE"]
    return round_half_up(max(scores)) if scores else None


def stated_age(measures: list[Measure], whose: Whose) -> int | None:
    """Return the subject's age: next to the relative written about, else the first.

    "my aunt, who's 71" gives 71 for the aunt; "my mum is 80, I'm 52" gives 52
    when the message is about the writer.
    """
    ages = [m for m in measures if m.label == "AGE"]

    def near_relative(measure: Measure) -> bool:
        return any(is_age_of(measure, relative) for relative in whose.relatives)

    if whose.subject.who == "other":
        ages = sorted(ages, key=lambda m: not near_relative(m))
    elif whose.subject.who == "self":
        ages = [m for m in ages if not near_relative(m)]
    return int(float(ages[0].value)) if ages else None


def body_side(measures: list[Measure]) -> BodySide | None:
    """Return left, right or both (both when both sides are named)."""
    sides = {str(m.value) for m in measures if m.label == "SIDE"}
    if "both" in sides or {"left", "right"} <= sides:
        return "both"
    if sides:
        return cast(BodySide, sides.pop())
    return None


def parse(text: str, today: dt.date | None = None) -> Findings:
    """Extract duration, score, age, side and signs from one message.

    >>> parse("no fever but it's really swollen").absent
    frozenset({'fever'})
    """
    if not text.strip():
        return Findings()
    today = today or dt.date.today()
    doc = analyse(text)
    segments = segment(doc)
    measures = read_measures(doc, today)
    durations = [m for m in measures if m.label == "DURATION"]
    ages = [m for m in measures if m.label == "AGE"]
    whose = find_whose(doc, segments, ages)
    signs = assess_signs(doc, durations, segments, whose.other_clauses, measures)
    duration = pain_duration(
        doc, measures, segments, event_clauses(doc, signs, segments) | set(whose.other_clauses)
    )
    return Findings(
        pain_duration_days=float(duration.value) if duration else None,
        pain_score=pain_score(measures),
        body_side=body_side(measures),
        age=stated_age(measures, whose),
        present=signs.present,
        absent=signs.absent,
        unsure=signs.unsure,
        past=signs.past,
        other_person=signs.other_person,
        subject=whose.subject,
        evidence=evidences(text, doc, signs, segments)
        + duration_words(text, doc, duration, segments),
        recurrent=True if "recurrent" in signs.present else None,
    )


def evidences(text: str, doc: Doc, signs: Assertions, segments: Segments) -> tuple[Evidence, ...]:
    """The person's own words behind each present, unsure, past or other-person sign."""
    if all(status == "absent" for _, status, _ in signs.sources):
        return ()
    offsets = original_offsets(text, doc.text)
    dates = frozenset(span.start for span in doc.spans[MEASURE_SPANS] if span.label_ == "DURATION")
    return tuple(
        Evidence(sign=sign, status=status, text=evidence_of(text, offsets, span, segments, dates))
        for sign, status, span in sorted(signs.sources, key=lambda item: item[2].start)
        if status != "absent"
    )


def duration_words(
    text: str, doc: Doc, duration: Measure | None, segments: Segments
) -> tuple[Evidence, ...]:
    """The sentence that gave the pain's duration, as the person typed it.

    Not the first sentence with a number: in "a clot back in 2020. my knee has
    been sore for a fortnight" the fortnight's sentence backs the duration.
    """
    if duration is None:
        return ()
    sentence = segments.sentence[duration.start]
    tokens = [token for token in doc if segments.sentence[token.i] == sentence]
    offsets = original_offsets(text, doc.text)
    words = text[offsets[tokens[0].idx] : offsets[tokens[-1].idx + len(tokens[-1])]].strip()
    return (Evidence(sign="pain_duration_days", status="present", text=words),)


def original_offsets(original: str, normalised: str) -> list[int]:
    """For each index of ``normalised``, the matching index in ``original``.

    Normalisation lowercases, straightens quotes and only inserts spaces
    ("6wks" -> "6 wks", "flu-like" -> "flu like"), so the two texts can be
    walked side by side.
    """
    if len(original) == len(normalised):  # nothing inserted: the same positions
        return list(range(len(original) + 1))
    offsets: list[int] = []
    i = 0
    for char in normalised:
        if i < len(original) and (
            original[i].lower() == char or char in "'\" " or not original[i].isascii()
        ):
            offsets.append(i)
            i += 1
        else:  # a space inserted by normalisation
            offsets.append(i)
    offsets.append(len(original))
    return offsets


@lru_cache(maxsize=1)
def answer_phrases() -> tuple[tuple[tuple[str, ...], YesNo], ...]:
    """Return the yes/no/unsure phrases of answers.yml as word tuples, longest first."""
    phrases = [
        (answer_words(phrase), cast(YesNo, answer))
        for answer, listed in lexicon.answer_file()["answers"].items()
        for phrase in listed
    ]
    return tuple(sorted(phrases, key=lambda item: -len(item[0])))


def answer_words(text: str) -> tuple[str, ...]:
    """Return the normalised words of a reply: "don't" and "dont" -> "do not"."""
    tokenizer = load_pipeline().tokenizer
    return tuple(
        token.norm_
        for token in tokenizer(normalise_text(text))
        if not (token.is_punct or token.is_space)
    )


def match_answer(words: tuple[str, ...]) -> YesNo | None:
    """Return the answer whose phrase (the longest) starts ``words``."""
    for phrase, answer in answer_phrases():
        if words[: len(phrase)] == phrase:
            return answer
    return None


def parse_yes_no(text: str) -> YesNo | None:
    """Read a reply to a yes/no question: "yep def" -> yes, "dunno" -> unsure.

    Returns ``None`` when the reply does not start with a yes/no answer
    ("it hurts when I walk"). Leading fillers ("um", "well") are skipped.
    """
    words = answer_words(text)
    fillers = set(lexicon.answer_file()["fillers"])
    while words:
        answer = match_answer(words)
        if answer is not None:
            return answer
        if words[0] not in fillers:
            return None
        words = words[1:]
    return None


def parse_number_answer(text: str, low: int, high: int) -> int | None:
    """Read a bare number reply ("6", "about 7", "seven", "7/10") within [low, high].

    Numbers that belong to a duration ("3 weeks") are not the answer; "6 or 7"
    gives the higher one; a reply with unrelated numbers gives ``None``.
    """
    doc = analyse(text)
    in_duration = {
        i
        for span in doc.spans[MEASURE_SPANS]
        if span.label_ == "DURATION"
        for i in range(span.start, span.end)
    }
    values = reply_numbers(doc, in_duration)
    if not values or (len(values) > 1 and not joined_as_choice(doc)):
        return None
    value = round_half_up(max(values))
    return value if low <= value <= high else None


def reply_numbers(doc: Doc, skip: set[int]) -> list[float]:
    """Return the numbers of a reply outside ``skip``; "7/10" and "7 out of 10" give 7."""
    values: list[float] = []
    run: list[str] = []
    tokens = [t for t in doc if t.i not in skip]
    for token in [*tokens, None]:
        fraction = fraction_numerator(token.text) if token is not None else None
        if token is not None and fraction is None and token.like_num and not out_of(doc, token.i):
            run.append(token.lower_)
            continue
        if run:
            number = read_number(run)
            if number is not None:
                values.append(number)
            run = []
        if fraction is not None:
            values.append(fraction)
    return values


def out_of(doc: Doc, index: int) -> bool:
    """Tell whether the number at ``index`` is the "10" of "7 out of 10" or "7 / 10"."""
    before = [t.lower_ for t in doc[max(index - 2, 0) : index]]
    return before[-1:] == ["/"] or before == ["out", "of"]


def joined_as_choice(doc: Doc) -> bool:
    """Tell whether a reply's numbers are a range or choice ("6 or 7", "6-7")."""
    return any(t.lower_ in ("or", "to", "-", "and", "between") for t in doc)


def parse_duration_answer(text: str, today: dt.date | None = None) -> float | None:
    """Read a reply to "how long has it hurt?" in days ("3 weeks", "since friday", "ages")."""
    return parse(text, today).pain_duration_days
