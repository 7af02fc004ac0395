"""The person's own words behind a sign: a short clause cut from the original text.

The parser works on normalised text (lowercased, "6wks" split); the evidence is
sliced from the text as typed, through the character offsets of
``parse.original_offsets``. The clause of the sign is trimmed of the joiners
and punctuation at its edges and kept to a few words either side of the sign;
it ends before a date after the sign ("had cancer surgery", not "... six years
ago"): the date is not what the sign says, and may be a different event's.
"""

from __future__ import annotations

from spacy.tokens import Span

from kneecare.language import lexicon
from kneecare.language.assertion import Segments

#: Words kept either side of the sign inside its clause.
WORDS_AROUND = 7
#: Words that lead into a date, left out with it ("constantly for about 5 weeks").
DATE_LEAD_IN = frozenset(
    {
        "for",
        "about",
        "since",
        "around",
        "roughly",
        "nearly",
        "almost",
        "over",
        "ago",
        "on",
        "last",
        "a",
        "an",
        "the",
        "approximately",
        "approx",
        "some",
        "just",
        "now",
    }
)


def edge_word(text: str) -> bool:
    """Tell whether a word only joins clauses or is punctuation ("but", ",")."""
    scope = lexicon.cue_file()["scope"]
    return (
        not any(char.isalnum() for char in text)
        or text in scope["soft_breaks"]
        or text in ("but", "although", "though", "however", "so", "then", "also")
    )


def evidence_of(
    original: str,
    offsets: list[int],
    span: Span,
    segments: Segments,
    dates: frozenset[int] = frozenset(),
) -> str:
    """Return the words of ``span``'s clause around it, as the person typed them.

    ``dates``: the first tokens of durations and dates, where the words stop.
    """
    doc = span.doc
    clause = segments.clause[span.start]
    start = span.start
    while start > 0 and segments.clause[start - 1] == clause and span.start - start < WORDS_AROUND:
        start -= 1
    end = span.end
    while (
        end < len(doc)
        and segments.clause[end] == clause
        and end - span.end < WORDS_AROUND
        and end not in dates
    ):
        end += 1
    while start < span.start and edge_word(doc[start].lower_):
        start += 1
    at_date = end in dates
    while end > span.end and (
        edge_word(doc[end - 1].lower_) or (at_date and doc[end - 1].lower_ in DATE_LEAD_IN)
    ):
        end -= 1
    first, last = doc[start:end].start_char, doc[start:end].end_char
    return original[offsets[first] : offsets[last]].strip()
