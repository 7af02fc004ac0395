"""Names people give in passing ("Hi, I'm Priyanka Okonkwo-Smith"), replaced by ``[name]``.

The reply to the name question is replaced whole (``kneecare.privacy``);
this finds a name introduced anywhere else:

- after "my name is", "my name's", "name's", "I'm called", "I am called",
  "they call me": up to three words, whatever their case, stopping at a
  word that is plainly not part of a name ("and", "from", "calling", ...);
- after "I'm", "I am", "im", "this is", "it's", "call me": up to three
  Capitalised words, so "I'm Jo Adeyemi" is a name and "I'm not sure" or
  "this is really painful" are not.

It errs towards redacting: a stored "[name]" where none was loses nothing
clinical, a stored name is a leak.
"""

from __future__ import annotations

import re
from typing import Final

NOT_NAME_WORDS: Final = frozenset(
    """
    a about after again also am an and any are around as at away back bad be been being
    better both but by calling can cannot could currently did do does doing done down during
    english feeling fine for from getting going good got had has have having her here his
    how i if in into is it its just knee know like looking me mine more most much my myself
    new no not now of off ok okay on one only or other our out over pain please really right
    same scottish see she should so sorry still struggling such sure than thank thanks that
    the their them then there they this those through to too trying two under unsure up us
    very walking was we well welsh were what when where which while who why will with
    worried would writing yes yet you your british irish female male retired
    """.split()  # noqa: SIM905 - a word list reads better as words
)

_WORD: Final = r"[^\W\d_][\w'’-]*"
_ANY_CASE_TRIGGER: Final = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name['’]s|name['’]s|i['’]?m\s+called|i\s+am\s+called|"
    r"they\s+call\s+me)\s+", re.IGNORECASE)
_CAPITALISED_TRIGGER: Final = re.compile(
    r"\b(?:i['’]m|i\s+am|im|this\s+is|it['’]s|call\s+me)\s+", re.IGNORECASE)
_NAME_WORD: Final = re.compile(_WORD)
MAX_NAME_WORDS: Final = 3


def redact_names(text: str) -> str:
    """``text`` with names introduced in it replaced by ``[name]``."""
    spans = [*_name_spans(text, _ANY_CASE_TRIGGER, capitalised_only=False),
             *_name_spans(text, _CAPITALISED_TRIGGER, capitalised_only=True)]
    for start, end in sorted(set(spans), reverse=True):
        text = text[:start] + "[name]" + text[end:]
    return text


def _name_spans(text: str, trigger: re.Pattern[str],
                capitalised_only: bool) -> list[tuple[int, int]]:
    spans = []
    for found in trigger.finditer(text):
        position, end, words = found.end(), None, 0
        while words < MAX_NAME_WORDS:
            word = _NAME_WORD.match(text, position)
            if word is None or not _is_name_word(word.group(), capitalised_only):
                break
            end, words = word.end(), words + 1
            gap = re.match(r"[ \t]+", text[end:])
            if gap is None:
                break
            position = end + gap.end()
        if end is not None:
            spans.append((found.end(), end))
    return spans


def _is_name_word(word: str, capitalised_only: bool) -> bool:
    if word.lower().strip("'’-") in NOT_NAME_WORDS:
        return False
    return not capitalised_only or word[0].isupper()
