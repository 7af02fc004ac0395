"""Assertion status, whose knee, time attribution and evidence, as tables (issue 15).

Sign rows give a message and the verdicts expected, written as ``+id``
(present), ``-id`` (absent), ``?id`` (unsure), ``^id`` (past), ``@id`` (someone
else's, or another body part's) and ``!id`` (must not be present). Only the
listed ids are checked. Every phrasing here is written for this table.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kneecare.findings import Findings
from kneecare.language.entities import extract_entities
from kneecare.language.parse import parse
from kneecare.triage import TriageAnswers, assess, merge

TODAY = dt.date(2025, 6, 18)  # a Wednesday

STATUS_OF = {"+": "present", "-": "absent", "?": "unsure", "^": "past", "@": "other_person"}

# (sign group, message, verdicts)
STATUS_CASES: list[tuple[str, str, str]] = [
    # --- infection: hot, red, swollen knee and fever ----------------------------
    ("infection", "the knee has gone red and it feels warm to touch", "+knee_red +knee_hot"),
    (
        "infection",
        "running a temperature since last night and the knee is puffy",
        "+fever +knee_swollen",
    ),
    ("infection", "I've been shivering all evening", "+fever"),
    ("infection", "it's swollen up like a grapefruit", "+knee_swollen"),
    ("infection", "puffy knee, I used to run a lot", "+knee_swollen"),
    ("infection", "red and hot this morning, it was fine last night", "+knee_red +knee_hot"),
    ("infection", "no redness at all and it isn't warm", "-knee_red -knee_hot"),
    ("infection", "took my temperature, 36.8, so that's fine", "-fever !fever"),
    ("infection", "thermometer says my temp is normal", "-fever !fever"),
    ("infection", "took my temp a few times and it was fine, 36.6", "-fever !fever"),
    ("infection", "the thermometer read 38.4 at teatime", "+fever"),
    ("infection", "I feel okay in myself, no shivers", "-fever"),
    ("infection", "there's no puffiness around it", "-knee_swollen"),
    ("infection", "might be a little bit warm, hard to say", "?knee_hot !knee_hot"),
    ("infection", "could be slightly swollen", "?knee_swollen !knee_swollen"),
    ("infection", "the skin looks a bit red perhaps", "?knee_red !knee_red"),
    ("infection", "the knee looks puffy possibly", "?knee_swollen !knee_swollen"),
    ("infection", "I don't know whether I've got a temperature", "?fever"),
    ("infection", "I was feverish at the weekend but that has cleared up", "^fever !fever"),
    ("infection", "had the flu a couple of weeks back, it's gone now", "^fever !fever"),
    ("infection", "it was red on Sunday, that's all gone now", "^knee_red !knee_red"),
    (
        "infection",
        "my partner's knee went hot and red after gardening, mine is just achy",
        "@knee_hot @knee_red !knee_hot !knee_red",
    ),
    (
        "infection",
        "my colleague had a swollen knee from an infection; mine is sore but flat",
        "@knee_swollen !knee_swollen",
    ),
    ("infection", "my lips are red and sore from the cold, the knee aches", "@knee_red !knee_red"),
    (
        "infection",
        "my husband has a temperature, but I'm writing about my own knee",
        "@fever !fever",
    ),
    # --- injury: twists, falls, collisions --------------------------------------
    ("injury", "twisted it stepping off a kerb", "+injury"),
    ("injury", "I went over on it at netball on Saturday", "+injury"),
    ("injury", "came off my scooter onto the road", "+major_trauma +injury"),
    ("injury", "tumbled off the garage roof", "+major_trauma +injury"),
    ("injury", "got clattered by my mate's brother in a tackle", "+injury"),
    ("injury", "there was no fall or knock, it just started aching", "-injury !injury"),
    ("injury", "nothing happened to it, no injury", "-injury !injury"),
    ("injury", "not sure if I twisted it, I can't remember doing anything", "?injury !injury"),
    ("injury", "I may have knocked it on the desk, I'm not certain", "?injury !injury"),
    ("injury", "perhaps I strained it at the gym", "?injury !injury"),
    (
        "injury",
        "hit by a car back in 2015, the knee was fine until this spring",
        "^major_trauma !major_trauma",
    ),
    ("injury", "I tore a ligament years ago in 2012", "^injury !injury"),
    ("injury", "a motorbike crash in 2009, totally recovered", "^major_trauma !major_trauma"),
    (
        "injury",
        "my nephew fell off a trampoline yesterday but this is about me",
        "@major_trauma !major_trauma",
    ),
    ("injury", "my sister twisted her knee skiing, and mine aches in sympathy", "@injury !injury"),
    ("injury", "my friend got tackled hard on Sunday; I'm asking about myself", "@injury !injury"),
    # --- neurovascular: numbness, cold foot --------------------------------------
    ("neurovascular", "my foot's gone numb since this morning", "+numbness_below_knee"),
    ("neurovascular", "pins and needles down my shin", "+numbness_below_knee"),
    ("neurovascular", "tingling below the knee on the outside", "+numbness_below_knee"),
    ("neurovascular", "my toes have gone blue", "+foot_cold_pale_blue"),
    ("neurovascular", "no numbness anywhere", "-numbness_below_knee"),
    ("neurovascular", "feeling in my foot is normal, no tingling", "-numbness_below_knee"),
    ("neurovascular", "no pale or cold toes", "-foot_cold_pale_blue"),
    ("neurovascular", "not sure if my toes are a bit numb", "?numbness_below_knee"),
    ("neurovascular", "maybe some tingling in the foot?", "?numbness_below_knee"),
    ("neurovascular", "my foot might be cold", "?foot_cold_pale_blue"),
    (
        "neurovascular",
        "had some tingling in my foot last week but it went away",
        "^numbness_below_knee !numbness_below_knee",
    ),
    (
        "neurovascular",
        "the numbness in my shin cleared up completely",
        "^numbness_below_knee !numbness_below_knee",
    ),
    ("neurovascular", "my fingers feel tingly and my knee aches", "@numbness_below_knee"),
    (
        "neurovascular",
        "my fingertips tingle when I type",
        "@numbness_below_knee !numbness_below_knee",
    ),
    (
        "neurovascular",
        "my arm goes numb if I sleep on it; the knee is just achy",
        "@numbness_below_knee !numbness_below_knee",
    ),
    ("neurovascular", "my thumbs are numb from carpal tunnel", "@numbness_below_knee"),
    # a nerve condition of months explains its numbness; a word of onset keeps it new
    (
        "neurovascular",
        "a trapped nerve in my back for three years, pins and needles down to my toes",
        "^numbness_below_knee !numbness_below_knee",
    ),
    (
        "neurovascular",
        "Sciatic pain on and off for 2 years with numbness in the sole of my foot",
        "^numbness_below_knee !numbness_below_knee",
    ),
    (
        "neurovascular",
        "bulging disc for ages, about 4 years, and today my foot has gone numb",
        "+numbness_below_knee",
    ),
    (
        "neurovascular",
        "sciatica for years, but the numbness in my shin is new",
        "+numbness_below_knee",
    ),
    (
        "neurovascular",
        "neuropathy for a couple of weeks, tingling in my feet",
        "+numbness_below_knee",
    ),
    (
        "neurovascular",
        "knee has hurt for two years, my calf feels numb",
        "+numbness_below_knee",
    ),
    (
        "neurovascular",
        "I've had sciatica for 18 months. My foot went numb this afternoon.",
        "+numbness_below_knee",
    ),
    (
        "neurovascular",
        "my dad's foot is cold and white, I'm worried about my own knee",
        "@foot_cold_pale_blue !foot_cold_pale_blue",
    ),
    # --- DVT: calf pain, chest symptoms -------------------------------------------
    ("dvt", "my calf is tight and sore", "+calf_pain"),
    ("dvt", "the whole leg has swelled up", "+calf_pain"),
    ("dvt", "getting breathless climbing the stairs", "+chest_symptoms"),
    ("dvt", "no pain or swelling in my calf", "-calf_pain"),
    ("dvt", "no breathlessness or chest pain", "-chest_symptoms"),
    ("dvt", "not sure if my calf is swollen", "?calf_pain !calf_pain"),
    ("dvt", "possibly a bit short of breath", "?chest_symptoms !chest_symptoms"),
    ("dvt", "had a DVT in 2016, treated with blood thinners", "^calf_pain !calf_pain"),
    ("dvt", "a blood clot in the calf back in 2018, all sorted since", "^calf_pain !calf_pain"),
    ("dvt", "I had a clot in my leg 6 years ago", "^calf_pain !calf_pain"),
    ("dvt", "my mum had a DVT after her flight; I just have a sore knee", "@calf_pain !calf_pain"),
    (
        "dvt",
        "my brother's calf swelled up on holiday, I'm asking about me",
        "@calf_pain !calf_pain",
    ),
    # --- locking, giving way, weight bearing ---------------------------------------
    ("mechanical", "it keeps locking when I squat", "+knee_locked"),
    ("mechanical", "the knee buckled on the stairs", "+giving_way"),
    ("mechanical", "I can't put any weight through it", "+cannot_bear_weight"),
    ("mechanical", "it has never locked", "-knee_locked !knee_locked"),
    ("mechanical", "no giving way at all", "-giving_way"),
    ("mechanical", "I can stand on it alright", "-cannot_bear_weight"),
    ("mechanical", "walking ok, just sore", "-cannot_bear_weight -cannot_walk_at_all"),
    ("mechanical", "not sure if it locked up", "?knee_locked !knee_locked"),
    ("mechanical", "maybe it gave way, it happened so fast", "?giving_way !giving_way"),
    ("mechanical", "it used to give way when I was a teenager", "^giving_way !giving_way"),
    ("mechanical", "it locked once in 2019, it's been fine since", "^knee_locked !knee_locked"),
    (
        "mechanical",
        "my wife's knee locks all the time; mine only clicks",
        "@knee_locked !knee_locked",
    ),
    (
        "mechanical",
        "my uncle can't put weight on his knee, I'm asking for myself",
        "@cannot_bear_weight !cannot_bear_weight",
    ),
    ("mechanical", "my housemate's knee gave way at football, mine is fine", "!giving_way"),
    # --- cancer, night pain, lumps, weight loss ------------------------------------
    ("cancer", "it aches through the night", "+night_or_constant_pain"),
    ("cancer", "I had lymphoma as a child", "+past_cancer"),
    ("cancer", "there's a firm lump on my thigh", "+hard_lump"),
    ("cancer", "dropped a stone without trying", "+weight_loss"),
    ("cancer", "no lumps that I can feel", "-hard_lump"),
    ("cancer", "it doesn't bother me at night", "-night_or_constant_pain !night_or_constant_pain"),
    ("cancer", "never had any cancer", "-past_cancer"),
    ("cancer", "possibly a lump behind it, can't be sure", "?hard_lump !hard_lump"),
    ("cancer", "I'm not sure whether it's worse at night", "?night_or_constant_pain"),
    ("cancer", "my sister had breast cancer", "@past_cancer !past_cancer"),
    ("cancer", "cancer runs in my family", "!past_cancer"),
    (
        "cancer",
        "my back aches at night, the knee only hurts on walks",
        "@night_or_constant_pain !night_or_constant_pain",
    ),
    (
        "cancer",
        "my shoulder keeps me awake but that is a separate thing",
        "!night_or_constant_pain",
    ),
    (
        "cancer",
        "used to have night pain in that knee years ago",
        "^night_or_constant_pain !night_or_constant_pain",
    ),
    ("cancer", "had a lump removed from the knee in 2014, benign", "^hard_lump !hard_lump"),
    # --- inflammatory: stiffness and several joints --------------------------------
    ("inflammatory", "it's stiff for a good hour after I wake up", "+long_morning_stiffness"),
    ("inflammatory", "stiff every morning until about lunchtime", "+long_morning_stiffness"),
    ("inflammatory", "my knuckles are puffy as well", "+several_swollen_joints"),
    (
        "inflammatory",
        "stiff when I wake but it loosens off in a couple of minutes",
        "-long_morning_stiffness !long_morning_stiffness",
    ),
    (
        "inflammatory",
        "bit stiff on waking, it wears off quickly",
        "-long_morning_stiffness !long_morning_stiffness",
    ),
    (
        "inflammatory",
        "stiff first thing, eases once I get moving",
        "-long_morning_stiffness !long_morning_stiffness",
    ),
    ("inflammatory", "never stiff in the mornings?", "!long_morning_stiffness"),
    ("inflammatory", "not stiff when I wake?", "!long_morning_stiffness"),
    ("inflammatory", "no other joints swollen", "!several_swollen_joints"),
    ("inflammatory", "stiff in the mornings, not sure for how long", "?long_morning_stiffness"),
    ("inflammatory", "maybe my wrists are swollen too", "?several_swollen_joints"),
    (
        "inflammatory",
        "used to be stiff for hours every morning",
        "^long_morning_stiffness !long_morning_stiffness",
    ),
    (
        "inflammatory",
        "my mum's hands are swollen with arthritis, my knee just aches",
        "@several_swollen_joints !several_swollen_joints",
    ),
    # --- surgery ---------------------------------------------------------------------
    ("surgery", "had an arthroscopy six weeks ago", "+recent_surgery"),
    ("surgery", "my knee replacement was done in April", "+recent_surgery"),
    ("surgery", "I'm 8 weeks post op", "+recent_surgery"),
    ("surgery", "knee was scoped eleven years ago", "-recent_surgery !recent_surgery"),
    ("surgery", "no operations on that knee ever", "-recent_surgery"),
    ("surgery", "replacement done in 2011", "-recent_surgery !recent_surgery"),
    ("surgery", "maybe had it scoped recently, I can't recall", "?recent_surgery !recent_surgery"),
    ("surgery", "I might have had keyhole surgery on it last month", "?recent_surgery"),
    ("surgery", "operated on twenty years ago, fine since", "-recent_surgery !recent_surgery"),
    (
        "surgery",
        "my grandma had her knee replaced last month, I'm asking for me",
        "@recent_surgery !recent_surgery",
    ),
    (
        "surgery",
        "my neighbour had an arthroscopy recently, my own knee is what hurts",
        "@recent_surgery !recent_surgery",
    ),
    # --- activity limits and gait ------------------------------------------------------
    ("limits", "I've had to put my cycling on hold", "+limits_activity"),
    ("limits", "had to pause my gym sessions because of it", "+limits_activity"),
    ("limits", "skipped football for a month", "+limits_activity"),
    ("limits", "can't face the stairs at the moment", "+limits_activity"),
    ("limits", "I've given up my evening walks", "+limits_activity"),
    ("limits", "I'm hobbling about the office", "+limp +alters_gait"),
    ("limits", "walking with a stick since Friday", "+alters_gait"),
    (
        "limits",
        "walking normally and doing everything as usual",
        "-alters_gait -limits_activity -limp",
    ),
    ("limits", "no limp, walking fine", "-limp -alters_gait"),
    ("limits", "she walks fine and does all her sport", "-alters_gait"),
    ("limits", "it doesn't stop me doing anything", "-limits_activity"),
    ("limits", "not sure if I'm limping, my friend thinks so", "?limp !limp"),
    ("limits", "might be favouring the other leg", "?alters_gait !alters_gait"),
    ("limits", "I was limping last week but that's gone now", "^limp !limp"),
    ("limits", "my son limps after football, I'm asking about my own knee", "@limp !limp"),
    (
        "limits",
        "my flatmate is on crutches; I walk fine but my knee aches",
        "@alters_gait !alters_gait",
    ),
    # --- doubt after the sign, hedged numbers ---------------------------------------------
    ("hedges", "the knee is hot maybe", "?knee_hot !knee_hot"),
    ("hedges", "it's a bit puffy I think, not sure", "?knee_swollen !knee_swollen"),
    (
        "hedges",
        "5/10 perhaps, walking about fine",
        "-cannot_bear_weight -cannot_walk_at_all !cannot_bear_weight",
    ),
    ("hedges", "pain maybe 6 out of 10, walking ok", "-cannot_walk_at_all !cannot_walk_at_all"),
]

# (message, who, relation, age)
SUBJECT_CASES: list[tuple[str, str, str | None, int | None]] = [
    ("my gran, who's 84, has a swollen knee", "other", "gran", 84),
    ("my daughter, 9, fell off the swing and her knee is sore", "other", "daughter", 9),
    ("asking for my husband: his knee gave way on the stairs", "other", "husband", None),
    ("on behalf of my dad, he is 77 and his knee is hot", "other", "dad", 77),
    ("my boy (13) has been limping since football", "other", "boy", 13),
    ("My 15 year old son hurt his knee at rugby", "other", "son", 15),
    ("my mum's knee has been aching for a week", "other", "mum", None),
    ("my knee has been aching for a week", "self", None, None),
    ("got clattered by my mate's brother in a tackle", "self", None, None),
    ("out walking with my husband and I slipped on the ice", "self", None, None),
    ("I'm 34 and my knee clicks on the stairs", "self", None, 34),
    ("my sister's knee is swollen, but this is about my own knee", "self", None, None),
    ("my dad is 80, I'm 52 and my knee aches", "self", None, 52),
    ("my wife's knee is sore and my knee is sore too", "unclear", "wife", None),
    # a child named by age, a relative's age said with "is", and the writer's own body
    ("my 11 year old has started limping after PE", "other", "11 year old", 11),
    ("my niece is 9 and she can't kneel on that knee", "other", "niece", 9),
    ("my 60 year old knees ache in the cold", "self", None, 60),
]

# (message, days of the current episode)
DURATION_CASES: list[tuple[str, float | None]] = [
    ("knee has been sore for a week and a half", 10.0),
    ("a week and a half ago I twisted it", 10.0),
    ("had a hysterectomy in 2018. knee pain since December", 199.0),
    ("chemo in 2017, all clear since. my knee started hurting three weeks ago", 21.0),
    ("clot in my calf back in 2021, fine now. knee aching for ten days", 10.0),
    ("the knee goes every few months; this time it began on Sunday", 3.0),
    ("it flares up every couple of weeks, the latest flare started yesterday", 1.0),
    ("I had my knee scoped in January and it's been sore since March", 109.0),
    ("since my operation in April it has ached", 78.0),
    ("my wife hurt her knee on Monday; mine has hurt for a fortnight", 14.0),
    ("replacement ten years ago", None),
    # another body part's duration, an earlier episode, a spell of being well
    ("I've had a bad back for years; my knee has ached since Friday", 5.0),
    ("had the same trouble two summers ago and it cleared after a month", None),
    ("been absolutely fine for months. knee started aching on Saturday", 4.0),
    ("had my meniscus repaired about 6 years back", None),
]

# (message, recurrent)
RECURRENT_CASES: list[tuple[str, bool | None]] = [
    ("it flares up every so often, this time on Friday", True),
    ("it comes and goes, latest bout started 2 days ago", True),
    ("first time it has ever hurt", None),
    ("the ache has come back since the weekend", True),
    ("had the same problem last spring", True),
]

# (message, pain score)
SCORE_CASES: list[tuple[str, int | None]] = [
    ("3/10 maybe, walking fine", 3),
    ("perhaps a 4 out of 10", 4),
]

# (message, sign, status, words that must be in the evidence)
EVIDENCE_CASES: list[tuple[str, str, str, str]] = [
    ("Twisted it on Tuesday, and now it's Swollen", "knee_swollen", "present", "Swollen"),
    ("My Knee is HOT and red", "knee_hot", "present", "HOT"),
    ("Had a Fever last week but it's gone", "fever", "past", "Fever"),
    ("my Dad's knee LOCKED yesterday; mine never has", "knee_locked", "other_person", "LOCKED"),
    ("Not sure if it's swollen", "knee_swollen", "unsure", "swollen"),
    (
        "my 6wks-old injury still hurts, tingly Toes too",
        "numbness_below_knee",
        "present",
        "tingly Toes",
    ),
    ("I can’t put any Weight on it", "cannot_bear_weight", "present", "Weight"),
    # the duration is backed by its own sentence, not the first one with a number
    (
        "clot in my leg back in 2019. my knee has hurt for Nine Days",
        "pain_duration_days",
        "present",
        "Nine Days",
    ),
]


@pytest.mark.parametrize(
    ("text", "sign", "words", "date"),
    [
        ("had bowel Cancer treated 4 years ago, knee sore", "past_cancer", "Cancer", "4 years"),
        ("my knee went Numb last Tuesday", "numbness_below_knee", "Numb", "Tuesday"),
        ("it Throbs all night for about 3 weeks", "night_or_constant_pain", "Throbs", "for about"),
    ],
)
def test_evidence_stops_before_a_date_after_the_sign(
    text: str, sign: str, words: str, date: str
) -> None:
    said = {e.sign: e.text for e in parse(text, TODAY).evidence}[sign]
    assert words in said and date not in said


def statuses(findings: Findings) -> dict[str, set[str]]:
    """Return the sign ids of each status."""
    return {
        "present": set(findings.present),
        "absent": set(findings.absent),
        "unsure": set(findings.unsure),
        "past": set(findings.past),
        "other_person": set(findings.other_person),
    }


def test_status_table_is_large_and_covers_every_group() -> None:
    assert len(STATUS_CASES) >= 130
    groups = {group for group, _, _ in STATUS_CASES}
    assert {
        "infection",
        "injury",
        "neurovascular",
        "dvt",
        "mechanical",
        "cancer",
        "inflammatory",
        "surgery",
        "limits",
    } <= groups


@pytest.mark.parametrize(("group", "text", "verdicts"), STATUS_CASES)
def test_status(group: str, text: str, verdicts: str) -> None:
    found = statuses(parse(text, TODAY))
    for verdict in verdicts.split():
        mark, sign = verdict[0], verdict[1:]
        if mark == "!":
            assert sign not in found["present"], f"{text!r}: {sign} present ({group})"
        else:
            status = STATUS_OF[mark]
            assert sign in found[status], f"{text!r}: {sign} not {status}: {found}"


@pytest.mark.parametrize(("text", "who", "relation", "age"), SUBJECT_CASES)
def test_subject(text: str, who: str, relation: str | None, age: int | None) -> None:
    findings = parse(text, TODAY)
    assert findings.subject.who == who
    assert findings.subject.relation == relation
    assert findings.age == age


def test_third_person_signs_are_the_findings_when_the_message_is_about_them() -> None:
    findings = parse("my grandma's knee is hot and red since her operation", TODAY)
    assert findings.subject.who == "other"
    assert {"knee_hot", "knee_red"} <= findings.present
    assert not findings.other_person


@pytest.mark.parametrize(("text", "days"), DURATION_CASES)
def test_pain_duration_is_the_current_episode(text: str, days: float | None) -> None:
    assert parse(text, TODAY).pain_duration_days == days


@pytest.mark.parametrize(("text", "recurrent"), RECURRENT_CASES)
def test_recurrent(text: str, recurrent: bool | None) -> None:
    assert parse(text, TODAY).recurrent is recurrent


@pytest.mark.parametrize(("text", "score"), SCORE_CASES)
def test_hedged_score_keeps_the_score_and_no_weight_bearing_sign(text: str, score: int) -> None:
    findings = parse(text, TODAY)
    assert findings.pain_score == score
    assert not findings.present & {"cannot_bear_weight", "cannot_walk_at_all"}
    assert not findings.unsure & {"cannot_bear_weight", "cannot_walk_at_all"}


@pytest.mark.parametrize(("text", "sign", "status", "words"), EVIDENCE_CASES)
def test_evidence_is_the_persons_own_words(text: str, sign: str, status: str, words: str) -> None:
    evidence = {(e.sign, e.status): e.text for e in parse(text, TODAY).evidence}
    said = evidence[(sign, status)]
    assert said in text
    assert words in said


@pytest.mark.parametrize(
    "text", [text for _, text, _ in STATUS_CASES] + [text for text, *_ in EVIDENCE_CASES]
)
def test_every_evidence_is_a_substring_and_every_kept_sign_has_one(text: str) -> None:
    findings = parse(text, TODAY)
    backed = {(e.sign, e.status) for e in findings.evidence}
    for evidence in findings.evidence:
        assert evidence.text and evidence.text in text
    for status in ("present", "unsure", "past", "other_person"):
        for sign in getattr(findings, status):
            assert (sign, status) in backed, f"{text!r}: no evidence for {status} {sign}"


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("had a high temperature on Saturday but it's gone now", "fever"),
        ("my mum's knee is red hot, I'm asking about mine", "knee_hot"),
        ("my fingers are numb and tingly; the knee aches", "numbness_below_knee"),
    ],
)
def test_past_and_other_person_signs_do_not_drive_the_triage(text: str, sign: str) -> None:
    answers = merge(TriageAnswers(), parse(text, TODAY))
    assert sign not in answers.signs | answers.unsure | answers.denied
    assert assess(answers).level != "emergency"


def test_entities_carry_the_past_and_other_person_roles() -> None:
    roles = {
        entity["value"]: entity["role"]
        for entity in extract_entities(
            "my son's knee locked, but this is about mine; I had a fever in May, gone now", TODAY
        )
        if entity["entity"] == "sign"
    }
    assert roles == {"knee_locked": "other_person", "fever": "past"}
