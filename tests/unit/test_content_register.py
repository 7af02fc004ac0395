"""Every figure the assistant states has a source, and thresholds follow the criteria.

docs/content-sources.yml maps each factual claim of a response to the article
(quoted), an NHS or NICE page, a clinic.yml key or a criteria rule. These
tests extract every number, percentage, year and spelled-out frequency from
the responses of domain.yml and fail on any the register does not cover;
they also render the replies through Rasa's own response generator to show
that thresholds and clinic services come from their settings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT.parent / "shared" / "seed" / "knee-pain-from-walking-article.txt"
REGISTER = yaml.safe_load((ROOT / "docs" / "content-sources.yml").read_text())["responses"]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
CLINIC = yaml.safe_load((ROOT / "clinic.yml").read_text())
CRITERIA = yaml.safe_load((ROOT / "kneecare" / "triage" / "criteria.yml").read_text())
SOURCE_KINDS = ("article", "url", "clinic", "criteria", "example")

SLOT = re.compile(r"\{[a-z_]+\}")
FIGURE = re.compile(
    r"\d+(?:[.,]\d+)*%?"
    r"|\b(?:once|twice|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+(?:a|per|times|minutes?|hours?|days?|weeks?|months?|years?|pounds?|lb|kg)\b"
    r"(?:\s+(?:a\s+)?(?:day|week|month|year))?",
    re.IGNORECASE,
)


def figures_in(text: str) -> list[str]:
    """Numbers, percentages, years and spelled-out amounts, slots left out."""
    return [match.group(0).lower() for match in FIGURE.finditer(SLOT.sub(" ", text))]


def response_texts(responses: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
    """Every wording of every response, its buttons' titles included."""
    texts = []
    for name, variants in responses.items():
        for variant in variants:
            texts += [(name, variant["text"])] if variant.get("text") else []
            texts += [(name, str(button.get("title") or ""))
                      for button in variant.get("buttons") or []]
    return texts


def unsourced_figures(
    responses: dict[str, list[dict[str, Any]]], register: dict[str, list[dict[str, Any]]]
) -> list[tuple[str, str]]:
    """(response, figure) pairs that no register entry of that response covers."""
    missing = []
    for name, text in response_texts(responses):
        covered = {str(f).lower() for entry in register.get(name, []) for f in entry["figures"]}
        missing += [(name, figure) for figure in figures_in(text) if figure not in covered]
    return missing


def squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def test_every_figure_in_a_response_has_a_source() -> None:
    assert unsourced_figures(DOMAIN["responses"], REGISTER) == []


@pytest.mark.parametrize(
    "text, figure",
    [
        ("Walking 10,000 steps a day cuts knee pain by 37%.", "37%"),
        ("A 2019 trial found braces help.", "2019"),
        ("Rest it for three days and it will settle.", "three days"),
        ("Stretch twice a day.", "twice a day"),
    ],
)
def test_an_unsourced_figure_added_to_a_response_is_caught(text: str, figure: str) -> None:
    responses = {**DOMAIN["responses"], "utter_faq/causes": [{"text": text}]}
    assert ("utter_faq/causes", figure) in unsourced_figures(responses, REGISTER)


def test_every_register_entry_has_one_real_source() -> None:
    article = squash(ARTICLE.read_text(encoding="utf-8")) if ARTICLE.exists() else None
    rule_ids = {*CRITERIA["red_flags"], *CRITERIA["thresholds"]} if isinstance(
        CRITERIA["red_flags"], dict
    ) else {rule["id"] for rule in CRITERIA["red_flags"]} | set(CRITERIA["thresholds"])
    for name, entries in REGISTER.items():
        assert name in DOMAIN["responses"], f"register names unknown response {name}"
        for entry in entries:
            kinds = [kind for kind in SOURCE_KINDS if kind in entry]
            assert len(kinds) == 1, f"{name}: {entry['claim']} needs exactly one source"
            value = str(entry[kinds[0]])
            if kinds[0] == "article" and article is not None:
                assert squash(value) in article, f"{name}: quote not in the article: {value}"
            elif kinds[0] == "url":
                assert re.match(r"https://www\.(nhs\.uk|nice\.org\.uk)/", value), value
            elif kinds[0] == "clinic":
                node: Any = CLINIC
                for key in value.split("."):
                    node = node[key]
            elif kinds[0] == "criteria":
                assert value in rule_ids, value


def _render(response: str, slots: dict[str, str]) -> str:
    import asyncio

    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_path(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events(
        "register", [SlotSet(name, value) for name, value in slots.items()], domain.slots
    )
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    message = asyncio.run(nlg.generate(response, tracker, "rest"))
    assert message is not None
    return str(message["text"])


def _slots(tmp_path: Path, **changes: Any) -> dict[str, str]:
    from kneecare.clinic import load_settings

    settings = {**CLINIC, **changes}
    # load_settings caches by path: one file per variant
    path = tmp_path / f"clinic-{len(list(tmp_path.iterdir()))}.yml"
    path.write_text(yaml.safe_dump(settings))
    return load_settings(str(path)).template_values()


def test_changing_the_persistent_threshold_changes_every_two_weeks(tmp_path: Path) -> None:
    today = _slots(tmp_path)
    thresholds = {**CLINIC["triage_thresholds"], "persistent_days": 21}
    changed = _slots(tmp_path, triage_thresholds=thresholds)
    said_two_weeks = [
        name for name in DOMAIN["responses"] if "2 weeks" in _render(name, today)
    ]
    assert len(said_two_weeks) >= 3
    for name in said_two_weeks:
        text = _render(name, changed)
        assert "2 weeks" not in text and "3 weeks" in text, name
    assert not any("2 weeks" in _render(name, changed) for name in DOMAIN["responses"])


def test_massage_is_offered_only_when_the_clinic_offers_it(tmp_path: Path) -> None:
    without = _slots(tmp_path, services={"sports_massage": False})
    for name in DOMAIN["responses"]:
        text = _render(name, without)
        assert not re.search(r"(clinic_name|Riverside)[^.]*massage", text), name
    offering = _slots(tmp_path, services={"sports_massage": True})
    offered = _render("utter_faq/sports_massage", offering)
    assert f"{CLINIC['name']} offers sports massage" in offered


def test_a_waiting_time_is_stated_only_when_the_clinic_gives_one(tmp_path: Path) -> None:
    silent = _render("utter_faq/private_vs_nhs", _slots(tmp_path, typical_wait=""))
    assert "usually seen" not in silent and "within days" not in silent
    waiting = _slots(tmp_path, typical_wait="within 3 working days")
    stated = _render("utter_faq/private_vs_nhs", waiting)
    assert "usually seen within 3 working days" in stated


@pytest.mark.parametrize(
    "response, old_claim",
    [
        ("utter_faq/private_vs_nhs", "Private physio usually means being seen within days"),
        ("utter_faq/sports_massage", "massage can be combined with physiotherapy"),
        ("utter_faq/footwear", "found that supportive footwear helps"),
        ("utter_faq/causes", "loads the knee more than stairs"),
        ("utter_self_care_advice", "15-20 minutes"),
    ],
)
def test_overstated_claims_are_gone(response: str, old_claim: str) -> None:
    texts = [variant.get("text", "") for variant in DOMAIN["responses"][response]]
    assert not any(old_claim in text for text in texts)


def test_self_referral_mentions_the_age_limit_and_oa_walking_strength_and_gait(
    tmp_path: Path,
) -> None:
    slots = _slots(tmp_path)
    assert f"{slots['child_age']} or over" in _render("utter_faq/private_vs_nhs", slots)
    oa = _render("utter_faq/oa_walking", slots)
    assert "Strength and gait training" in oa


@pytest.mark.parametrize(
    "days, words",
    [(1, "1 day"), (10, "10 days"), (7, "1 week"), (14, "2 weeks"), (21, "3 weeks"),
     (42, "6 weeks"), (182, "6 months"), (365, "12 months")],
)
def test_periods_are_written_as_people_say_them(days: float, words: str) -> None:
    from kneecare.triage.criteria import period_in_words

    assert period_in_words(days) == words
