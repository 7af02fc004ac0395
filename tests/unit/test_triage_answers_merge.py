"""How one message's findings fold into the triage answers (kneecare.triage.answers).

Table-driven where the rule is a table: the gait answer from a denied limp,
"not sure" answers replaced by a later word, a withheld age, the words kept
behind each sign, and the answers' own checks.
"""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest

from kneecare.findings import Evidence, Findings
from kneecare.triage.answers import (
    TriageAnswers,
    add_evidence,
    claim_unclear_signs,
    evidence_for,
    merge,
)
from kneecare.triage.reported_signs import findings_of_message

GAIT = [
    # (gait before, findings, gait after)
    (None, Findings(absent=frozenset({"limp"})), False),
    (True, Findings(absent=frozenset({"limp"})), False),
    (None, Findings(absent=frozenset({"limp"}), present=frozenset({"alters_gait"})), True),
    (None, Findings(absent=frozenset({"limp"}), unsure=frozenset({"alters_gait"})), None),
    (True, Findings(present=frozenset({"limp"})), True),
    (None, Findings(unsure=frozenset({"limp"})), None),
    (True, Findings(), True),
]


@pytest.mark.parametrize(("before", "findings", "after"), GAIT)
def test_a_denied_limp_answers_the_gait_question_unless_gait_itself_was_said(
    before: bool | None, findings: Findings, after: bool | None
) -> None:
    assert merge(TriageAnswers(alters_gait=before), findings).alters_gait is after


def test_a_later_word_replaces_a_not_sure_answer() -> None:
    answers = TriageAnswers(injury=True, not_sure=frozenset({"injury", "limits_activity"}))
    merged = merge(answers, Findings(absent=frozenset({"injury"})))
    assert merged.injury is False and merged.not_sure == frozenset({"limits_activity"})


@pytest.mark.parametrize(("said_age", "withheld"), [(None, True), (40, False)])
def test_a_withheld_age_stays_withheld_until_an_age_is_said(
    said_age: int | None, withheld: bool
) -> None:
    merged = merge(TriageAnswers(age_withheld=True), Findings(age=said_age))
    assert merged.age_withheld is withheld and merged.age == said_age


def test_claiming_held_signs_moves_them_out_of_denied_and_unsure() -> None:
    answers = TriageAnswers(unclear_signs=frozenset({"knee_hot"}),
                            denied=frozenset({"knee_hot", "fever"}),
                            unsure=frozenset({"knee_hot", "knee_red"}))
    mine = claim_unclear_signs(answers, theirs=True)
    assert (mine.signs, mine.denied, mine.unsure, mine.unclear_signs) == (
        frozenset({"knee_hot"}), frozenset({"fever"}), frozenset({"knee_red"}), frozenset())
    theirs = claim_unclear_signs(answers, theirs=False)
    assert theirs.signs == frozenset() and theirs.unclear_signs == frozenset()


def test_newer_words_replace_older_ones_for_the_same_sign_only() -> None:
    old = (Evidence("knee_hot", "present", "warm"), Evidence("fever", "present", "38.5"))
    new = (Evidence("knee_hot", "present", "burning hot"),)
    assert add_evidence(old, new) == (old[1], new[0])
    assert add_evidence(old, ()) == old


def test_only_present_or_doubted_words_with_text_back_a_sign() -> None:
    answers = TriageAnswers(evidence=(
        Evidence("knee_hot", "present", "it's hot"),
        Evidence("knee_hot", "unsure", "maybe warm"),
        Evidence("knee_hot", "absent", "not hot"),
        Evidence("knee_hot", "past", "was hot last year"),
        Evidence("knee_hot", "present", "   "),
        Evidence("fever", "present", "38.5"),
    ))
    assert [e.text for e in evidence_for(answers, "knee_hot")] == ["it's hot", "maybe warm"]
    assert [e.text for e in evidence_for(answers, "fever", "knee_red")] == ["38.5"]


def test_the_answers_refuse_unknown_screens_and_answers_by_name() -> None:
    with pytest.raises(ValueError, match="^unknown screening questions: screen_a, screen_b$"):
        TriageAnswers(screens={"screen_b": "yes", "screen_a": "no"})
    message = "screen_emergency answer must be yes, no or unsure, not 'y'"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        TriageAnswers(screens={"screen_emergency": "y"})


def test_the_answers_are_frozen_whatever_they_were_given() -> None:
    answers = TriageAnswers(
        signs={"knee_hot"},  # type: ignore[arg-type]
        picks={"screen_emergency": "several"},
        evidence=[Evidence("knee_hot", "present", "hot")],  # type: ignore[arg-type]
    )
    assert answers.signs == frozenset({"knee_hot"}) and isinstance(answers.signs, frozenset)
    assert isinstance(answers.picks, MappingProxyType)
    assert answers.evidence == (Evidence("knee_hot", "present", "hot"),)


STORED = [
    # (entities of one stored message, present, unsure, absent, evidence)
    ([{"entity": "sign", "value": "knee_hot", "role": "present", "start": 6, "end": 9}],
     {"knee_hot"}, set(), set(), [("knee_hot", "present", "hot")]),
    ([{"entity": "sign", "value": "knee_hot", "role": "unsure", "start": 6, "end": 9}],
     set(), {"knee_hot"}, set(), [("knee_hot", "unsure", "hot")]),
    ([{"entity": "sign", "value": "knee_hot", "role": "absent", "start": 6, "end": 9}],
     set(), set(), {"knee_hot"}, []),
    ([{"entity": "sign", "value": "knee_hot", "role": "present"}],
     {"knee_hot"}, set(), set(), []),  # no offsets: the sign, but no words
    ([{"entity": "sign", "value": "knee_hot", "role": "present", "start": 6, "end": None}],
     {"knee_hot"}, set(), set(), []),
    ([{"entity": "pain_score", "value": "knee_hot", "role": "present", "start": 6, "end": 9},
      {"entity": "sign", "value": "fever", "role": "past", "start": 0, "end": 3},
      {"entity": "sign", "value": 3, "role": "present", "start": 0, "end": 3},
      {"entity": "sign", "value": "fever", "role": "present", "start": 0, "end": 3}],
     {"fever"}, set(), set(), [("fever", "present", "it ")]),
]


@pytest.mark.parametrize(("entities", "present", "unsure", "absent", "evidence"), STORED)
def test_a_stored_message_gives_back_its_signs_and_words(
    entities: list[dict[str, object]], present: set[str], unsure: set[str], absent: set[str],
    evidence: list[tuple[str, str, str]],
) -> None:
    found = findings_of_message("it is hot and sore", entities)
    assert (found.present, found.unsure, found.absent) == (present, unsure, absent)
    assert [(e.sign, e.status, e.text) for e in found.evidence] == evidence
