"""The triage dialogue of issue 15: whose knee, which sign, "not sure", what is known, withheld age.

Findings are built in code (the parser's own tests cover how text becomes
findings); replies to the form's questions go through ``read_reply`` as typed
or pressed. Each outcome's reasons must be backed by the person's recorded
words.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from kneecare.cases.summary import answers_line, triage_reasons_line
from kneecare.explain import backing_signs, explain, reasons
from kneecare.findings import Evidence, Findings, Subject
from kneecare.form_replies import merge_holding_unclear, read_reply
from kneecare.triage import TriageAnswers, assess, merge, next_questions
from kneecare.triage.assess import follow_up_questions
from kneecare.triage.screen_items import SEVERAL, screen_lists

NO_SCREENS = {"screen_emergency": "no", "screen_same_day": "no", "screen_gp_soon": "no"}


def words(sign: str, text: str, status: str = "present") -> Evidence:
    return Evidence(sign, status, text)  # type: ignore[arg-type]


# -- whose knee ----------------------------------------------------------------

GRANDMA = Findings(
    pain_duration_days=25,
    age=78,
    present=frozenset({"limits_activity"}),
    subject=Subject(who="other", relation="gran"),
    evidence=(words("limits_activity", "she's given up her bowls club because of it"),),
)


def test_someone_elses_age_is_used_and_never_asked_again() -> None:
    answers = merge(TriageAnswers(), GRANDMA)
    assert answers.subject == Subject(who="other", relation="gran")
    assert answers.age == 78
    assert "age" not in next_questions(answers)
    later = merge(answers, Findings())  # "no" to a screen says nothing about whose knee
    assert later.subject.relation == "gran" and later.age == 78


def test_the_outcome_speaks_about_that_person() -> None:
    answers = replace(merge(TriageAnswers(), GRANDMA), screens=NO_SCREENS, injury=False,
                      alters_gait=False, pain_score=5)
    outcome = assess(answers)
    assert outcome.level == "physio"
    why = explain(outcome, answers)
    assert "your gran's knee has been painful" in why
    assert "what your gran can do" in why
    assert '"she\'s given up her bowls club because of it"' in why
    assert "your knee" not in why and "you can do" not in why


@pytest.mark.parametrize(
    "findings",
    [
        Findings(past=frozenset({"calf_pain"}), present=frozenset({"knee_swollen"})),
        Findings(other_person=frozenset({"knee_hot", "fever"})),
        Findings(other_person=frozenset({"numbness_below_knee"})),
        Findings(past=frozenset({"past_cancer", "recent_surgery"})),
    ],
    ids=["a clot years ago", "my partner's hot knee", "tingly fingers", "all clear since"],
)
def test_past_and_other_peoples_signs_never_drive_the_level(findings: Findings) -> None:
    answers = replace(merge(TriageAnswers(), findings), screens=NO_SCREENS, injury=False,
                      pain_duration_days=3, limits_activity=False, alters_gait=False,
                      pain_score=3, age=44)
    assert assess(answers).red_flags == ()


# -- which sign ----------------------------------------------------------------


def test_a_yes_to_a_screen_asks_which_one_with_a_button_per_item() -> None:
    answered = read_reply(TriageAnswers(), "screen_emergency", "/affirm", "affirm").answers
    assert follow_up_questions(answered) == ["which_emergency_sign"]
    assert len(screen_lists()["screen_emergency"].items) == 6
    picked = read_reply(answered, "which_emergency_sign", '/inform{"sign_pick"}', "inform",
                        picked="screen_emergency:5").answers
    assert follow_up_questions(picked) == []
    outcome = assess(picked)
    assert outcome.level == "emergency" and outcome.red_flags == ("neurovascular",)
    why = explain(outcome, picked)
    assert "foot is cold" in why and '"A cold, pale or blue foot' in why
    assert "serious accident" not in why and "coughing blood" not in why
    assert "yes or not sure" not in why


def test_a_typed_reply_names_the_item() -> None:
    answered = TriageAnswers(screens={"screen_emergency": "no", "screen_same_day": "yes"})
    picked = read_reply(answered, "which_same_day_sign", "number 3", None).answers
    assert picked.picks == {"screen_same_day": "screen_same_day:3"}
    assert assess(picked).red_flags == ("cannot_bear_weight",)


@pytest.mark.parametrize(
    ("answer", "intent", "expected"),
    [("/affirm", "affirm", "you said yes to one of the serious signs listed"),
     ("/not_sure", "not_sure", "you said you were not sure about one of the serious signs")],
)
def test_no_pick_says_one_of_the_signs_listed(answer: str, intent: str, expected: str) -> None:
    answered = read_reply(TriageAnswers(), "screen_emergency", answer, intent).answers
    unpicked = read_reply(answered, "which_emergency_sign", "", "inform", picked=SEVERAL).answers
    assert unpicked.picks == {"screen_emergency": SEVERAL}
    outcome = assess(unpicked)
    assert outcome.level == "emergency"
    why = explain(outcome, unpicked)
    assert why.startswith(expected)
    assert "fever" not in why and "cold, pale" not in why
    line = triage_reasons_line(outcome.level, reasons(outcome, unpicked))
    assert line.startswith("EMERGENCY: said") and "+" not in line


# -- not sure ------------------------------------------------------------------


def test_not_sure_is_reported_as_not_sure_and_counted_as_yes() -> None:
    answers = TriageAnswers(screens=NO_SCREENS, pain_duration_days=2)
    answers = read_reply(answers, "injury", "/not_sure", "not_sure").answers
    assert answers.injury is True and "injury" in answers.not_sure
    assert "screen_ottawa" in next_questions(answers)  # counted as an injury
    answers = read_reply(answers, "limits_activity", "hard to say really", None).answers
    assert answers.limits_activity is True
    answers = replace(answers, screens={**NO_SCREENS, "screen_ottawa": "no"}, alters_gait=False,
                      pain_score=2, age=30)
    outcome = assess(answers)
    assert outcome.reasons == ("limits_activity",)
    why = explain(outcome, answers)
    assert "not sure whether it started with an injury" in why
    assert "you said you were not sure" in why
    assert "it started with an injury" not in why.replace("not sure whether it started", "")
    line = answers_line(pain_duration_days=2, pain_score=2, limits_activity=True,
                        alters_gait=False, injury=True, age=30, red_flags=(),
                        not_sure=answers.not_sure)
    assert "injury not sure" in line and "limits activity not sure" in line


# -- never ask what is known ---------------------------------------------------


@pytest.mark.parametrize(
    ("findings", "known"),
    [
        (Findings(absent=frozenset({"limp"})), {"alters_gait"}),
        (Findings(absent=frozenset({"alters_gait", "limits_activity", "knee_swollen"})),
         {"alters_gait", "limits_activity"}),
        (Findings(present=frozenset({"limits_activity"})), {"limits_activity"}),
        (Findings(absent=frozenset({"injury"})), {"injury"}),
        (Findings(age=14, subject=Subject("other", "son"), absent=frozenset({"limp"})),
         {"age", "alters_gait"}),
    ],
    ids=["no limp", "walking fine, doing everything as normal", "had to pause my training",
         "nothing happened to it", "my son is 14 and walks normally"],
)
def test_an_earlier_message_fills_its_questions(findings: Findings, known: set[str]) -> None:
    first = merge(TriageAnswers(), findings)
    later = read_reply(first, "screen_emergency", "/deny", "deny").answers
    assert not known & set(next_questions(later))


# -- age without a wall --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [("I'd rather not say", None), ("prefer not to", None), ("no idea", None),
     ("/deny", "deny"), ("/not_sure", "not_sure")],
)
def test_the_age_can_be_withheld(text: str, intent: str | None) -> None:
    answers = TriageAnswers(screens=NO_SCREENS, injury=False, pain_duration_days=20,
                            limits_activity=False, alters_gait=False, pain_score=4)
    reading = read_reply(answers, "age", text, intent)
    assert reading.answered_question and reading.answers.age_withheld
    assert next_questions(reading.answers) == []
    outcome = assess(reading.answers)
    assert outcome.level == "physio"
    assert "if you're under 16, see a GP first" in explain(outcome, reading.answers)


def test_a_childs_limp_counts_when_the_message_shows_a_child() -> None:
    daughter = Findings(age=11, present=frozenset({"limp"}),
                        subject=Subject("other", "daughter"),
                        evidence=(words("limp", "she's been hobbling since Sunday"),))
    answers = merge(TriageAnswers(age_withheld=True), daughter)
    outcome = assess(answers)
    assert outcome.level == "same_day" and "child_limp" in outcome.reasons
    assert "hobbling" in explain(outcome, answers)


# -- every reason is backed by the person's words ------------------------------

BACKED = [
    merge(TriageAnswers(), Findings(present=frozenset({"knee_swollen", "knee_hot"}),
                                    absent=frozenset({"fever"}),
                                    evidence=(words("knee_swollen", "puffed right up overnight"),
                                              words("knee_hot", "warm to touch")))),
    merge(TriageAnswers(), Findings(unsure=frozenset({"calf_pain"}),
                                    evidence=(words("calf_pain", "calf might be a bit tight",
                                                    "unsure"),))),
    read_reply(TriageAnswers(screens={"screen_emergency": "no"}), "screen_same_day", "yes", None,
               ).answers,
    read_reply(read_reply(TriageAnswers(), "screen_emergency", "/affirm", "affirm").answers,
               "which_emergency_sign", "/inform", "inform", picked="screen_emergency:2").answers,
    read_reply(TriageAnswers(screens=NO_SCREENS, injury=False, pain_duration_days=3,
                             limits_activity=False, alters_gait=False, age=50),
               "pain_score", "about an 8", None).answers,
    read_reply(TriageAnswers(screens=NO_SCREENS, injury=False, limits_activity=False,
                             alters_gait=False, pain_score=3, age=50),
               "pain_duration_days", "since about 5 weeks ago", None).answers,
    read_reply(TriageAnswers(screens=NO_SCREENS, injury=False, pain_duration_days=3,
                             limits_activity=False, alters_gait=False, pain_score=3),
               "age", "she's 9", None).answers,
]


@pytest.mark.parametrize("answers", BACKED, ids=[f"case {n}" for n in range(len(BACKED))])
def test_each_reason_maps_to_a_recorded_finding_with_its_words(answers: TriageAnswers) -> None:
    outcome = assess(answers)
    assert outcome.reasons and outcome.reasons != ("no_concerns",)
    for reason in reasons(outcome, answers):
        assert reason.backing, f"{reason.rule_id} has no words behind it"
        assert all(item.text.strip() and not item.text.startswith("/") for item in reason.backing)
        signs = {reason.rule_id, *backing_signs(reason.rule_id)}
        assert any(item.sign in signs or item.sign.startswith("screen") for item in reason.backing)
    why = explain(outcome, answers)
    # the person's words are quoted, or a plain yes is said in the reason's own words
    assert "(you said: " in why or "you said yes" in why


# -- whose sign, when it is unclear ---------------------------------------------

UNCLEAR_HOT_KNEE = Findings(present=frozenset({"knee_hot", "knee_swollen"}),
                            subject=Subject(who="unclear"))


@pytest.mark.parametrize(
    ("answer", "intent", "level"),
    [("/affirm", "affirm", "same_day"), ("/not_sure", "not_sure", "same_day"),
     ("someone else's", "deny", "self_care")],
)
def test_unclear_signs_that_would_change_the_level_are_asked_about(
    answer: str, intent: str, level: str
) -> None:
    held = merge_holding_unclear(TriageAnswers(), UNCLEAR_HOT_KNEE)
    assert held.unclear_signs == {"knee_hot", "knee_swollen"} and not held.signs
    assert follow_up_questions(held)[0] == "whose_signs"
    said = read_reply(held, "whose_signs", answer, intent).answers
    assert not said.unclear_signs and "whose_signs" not in follow_up_questions(said)
    done = replace(said, screens=NO_SCREENS, injury=False, pain_duration_days=2,
                   limits_activity=False, alters_gait=False, pain_score=2, age=33)
    assert assess(done).level == level


def test_unclear_signs_that_change_nothing_are_not_asked_about() -> None:
    emergency = TriageAnswers(screens={"screen_emergency": "yes"})
    red_knee = replace(UNCLEAR_HOT_KNEE, present=frozenset({"knee_red"}))
    merged = merge_holding_unclear(emergency, red_knee)
    assert merged.signs == {"knee_red"} and not merged.unclear_signs


@pytest.mark.parametrize("screen", sorted(screen_lists()))
def test_the_which_buttons_are_the_items_of_the_list(screen: str) -> None:
    from pathlib import Path

    import yaml

    from kneecare.triage.screen_items import pick_slot

    domain = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text())
    variations = domain["responses"][f"utter_ask_{pick_slot(screen)}"]
    (question,) = [variation for variation in variations if not variation.get("channel")]
    listed = screen_lists()[screen].items
    for shorter in (variation for variation in variations if variation.get("channel")):
        # an SMS version words the buttons shorter; each still picks the same item
        assert [b["payload"] for b in shorter["buttons"]] == [
            b["payload"] for b in question["buttons"]]
    from kneecare.triage.criteria import Thresholds

    words = Thresholds.default().in_words()  # Rasa fills the same slots in button titles
    assert [(b["title"].format(**words), b["payload"]) for b in question["buttons"]] == [
        *((i.button, f'/inform{{"sign_pick": "{i.id}"}}') for i in listed),
        ("More than one / not sure", f'/inform{{"sign_pick": "{SEVERAL}"}}'),
    ]


def test_the_persons_words_in_slots_are_redacted_at_rest() -> None:
    from kneecare.privacy import redact_event

    kept = {"event": "slot", "name": "sign_evidence", "value": [
        {"sign": "knee_swollen", "status": "present", "text": "swollen, text 07700 900123"}]}
    why = {"event": "slot", "name": "triage_why", "value": 'you said: "mail me at a@b.co"'}
    assert redact_event(kept, None)["value"][0]["text"] == "swollen, text [phone]"
    assert "a@b.co" not in redact_event(why, None)["value"]
    assert kept["value"][0]["text"].endswith("900123")  # the live event is not changed
