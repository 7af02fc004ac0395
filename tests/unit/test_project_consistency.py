"""The YAML files agree with each other and with the actions' code.

Reads domain.yml, data/ and the action sources with PyYAML and plain text, so
a response renamed in one place and not the other fails here, before any
model is trained.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
FAQ_TOPICS = [
    "causes", "oa_walking", "body_weight", "gait_retraining", "when_to_see_physio",
    "sports_massage", "private_vs_nhs", "walking_distance", "footwear", "prevention",
    "treatment", "exercises", "self_care",
]


def _declared_actions() -> dict[str, dict]:
    """domain.yml's custom actions by name, with their options (``send_domain``)."""
    declared: dict[str, dict] = {}
    for entry in DOMAIN["actions"]:
        if isinstance(entry, dict):
            declared.update({name: options or {} for name, options in entry.items()})
        else:
            declared[entry] = {}
    return declared


def _yaml_files(folder: str) -> list[dict]:
    return [yaml.safe_load(path.read_text()) for path in sorted((ROOT / folder).rglob("*.yml"))]


def _responses_used_in_python() -> set[str]:
    used: set[str] = set()
    for path in [*(ROOT / "actions").glob("*.py"), ROOT / "kneecare" / "form_replies.py",
                 *(ROOT / "core_plugins").glob("*.py")]:
        used.update(re.findall(r"\"(utter_[a-z_]+)\"", path.read_text()))
    return used


def _action_names_in_python() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name == "name":
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Constant):
                        names.add(ret.value.value)
    return names


def test_the_domain_goes_only_to_actions_that_read_it() -> None:
    """rasa_sdk's form validators read the forms' slots from the domain, and so do the
    actions marked ``NEEDS_DOMAIN``; the rest never do.

    With ``enable_selective_domain`` Rasa sends the domain only to actions
    marked ``send_domain``; a validator without the mark would see no
    required slots and validate nothing.
    """
    import importlib
    import inspect
    import pkgutil

    from rasa_sdk.forms import ValidationAction

    import actions

    needs_domain: set[str] = set()
    for module_info in pkgutil.iter_modules(actions.__path__):
        module = importlib.import_module(f"actions.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and (
                    issubclass(cls, ValidationAction) or getattr(cls, "NEEDS_DOMAIN", False)):
                needs_domain.add(cls().name())
    marked = {name for name, options in _declared_actions().items() if options.get("send_domain")}
    assert needs_domain and marked == needs_domain
    for endpoints in ("endpoints.yml", "endpoints.scale.yml"):
        action_endpoint = yaml.safe_load((ROOT / endpoints).read_text())["action_endpoint"]
        assert action_endpoint.get("enable_selective_domain") is True, endpoints


def _steps_actions(documents: list[dict], key: str) -> set[str]:
    actions: set[str] = set()
    for document in documents:
        for item in document.get(key, []) or []:
            for step in item.get("steps", []):
                if "action" in step:
                    actions.add(step["action"])
    return actions


def test_every_response_used_by_an_action_exists() -> None:
    outcome_levels = ["emergency", "same_day", "gp_soon", "physio", "self_care"]
    used = _responses_used_in_python() | {f"utter_outcome_{level}" for level in outcome_levels}
    missing = used - set(DOMAIN["responses"])
    assert not missing, f"responses used in code but missing from domain.yml: {missing}"


def test_every_custom_action_is_declared_and_implemented() -> None:
    implemented = _action_names_in_python()
    declared = set(_declared_actions())
    assert declared == implemented, (declared - implemented, implemented - declared)


def test_every_action_in_rules_and_stories_is_known() -> None:
    documents = _yaml_files("data/rules") + _yaml_files("data/stories")
    used = _steps_actions(documents, "rules") | _steps_actions(documents, "stories")
    known = set(DOMAIN["responses"]) | set(_declared_actions()) | set(DOMAIN["forms"]) | {
        "utter_faq", "action_deactivate_loop", "action_listen", "action_restart",
    }
    assert used <= known, used - known


def test_no_response_text_is_duplicated() -> None:
    """Within one channel: an SMS variant may repeat the default wording of another condition."""
    texts = Counter(
        (variation.get("channel"), variation["text"].strip().lower())
        for variations in DOMAIN["responses"].values()
        for variation in variations
        if variation["text"].strip()  # an empty SMS variant: nothing is sent
    )
    duplicated = [text for text, count in texts.items() if count > 1]
    assert not duplicated, duplicated


def test_every_faq_topic_has_one_answer_and_training_examples() -> None:
    faq = yaml.safe_load((ROOT / "data" / "nlu" / "faq.yml").read_text())
    counts = {
        block["intent"]: len([line for line in block["examples"].splitlines() if line.strip()])
        for block in faq["nlu"]
    }
    for topic in FAQ_TOPICS:
        assert f"utter_faq/{topic}" in DOMAIN["responses"], topic
        assert counts.get(f"faq/{topic}", 0) >= 25, (topic, counts.get(f"faq/{topic}"))
    assert set(counts) == {f"faq/{topic}" for topic in FAQ_TOPICS}


@pytest.mark.parametrize("topic", FAQ_TOPICS)
def test_faq_answers_fit_on_a_phone_and_never_diagnose(topic: str) -> None:
    # every variation: some depend on clinic.yml (services, waiting time)
    for variation in DOMAIN["responses"][f"utter_faq/{topic}"]:
        text = variation["text"]
        assert len(text) <= 700, f"{topic} answer is {len(text)} characters"
        assert not re.search(r"\byou have (osteo)?arthritis\b", text, re.IGNORECASE)


def test_training_examples_are_not_shared_between_intents() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for document in _yaml_files("data/nlu"):
        for block in document.get("nlu", []):
            for line in block.get("examples", "").splitlines():
                example = line.strip().lstrip("- ").strip().lower()
                if not example:
                    continue
                if example in owner and owner[example] != block["intent"]:
                    clashes.append((example, owner[example], block["intent"]))
                owner[example] = block["intent"]
    assert not clashes, clashes


def test_secrets_only_come_from_the_environment() -> None:
    for name in ("credentials.yml", "endpoints.yml"):
        text = (ROOT / name).read_text()
        for key, value in re.findall(r"(\w*(?:token|secret|password|key|auth)\w*):\s*(\S+)", text):
            assert value.strip("\"'").startswith("${"), f"{name}: {key} is not from ${{VAR}}"


def test_clinic_settings_load_and_fill_every_clinic_slot() -> None:
    from kneecare.clinic import load_settings

    values = load_settings(str(ROOT / "clinic.yml")).template_values()
    for slot in values:
        assert slot in DOMAIN["slots"], slot
    # a clinic may leave its waiting time unstated; everything else is filled
    assert all(value for slot, value in values.items() if slot != "clinic_typical_wait")


def test_opening_hours_are_summarised_as_runs_of_days() -> None:
    from kneecare.clinic import parse_settings

    settings = parse_settings({
        "name": "A", "phone": "1", "booking_link": "x",
        "opening_hours": {d: ["09:00", "17:00"] for d in ("monday", "tuesday", "wednesday")}
        | {"saturday": ["10:00", "12:00"]},
    })
    assert settings.opening_hours_text() == (
        "Mon-Wed 09:00-17:00, Thu-Fri closed, Sat 10:00-12:00, Sun closed"
    )


def test_a_broken_clinic_file_gives_a_readable_error() -> None:
    from kneecare.clinic import ClinicSettingsError, parse_settings

    with pytest.raises(ClinicSettingsError, match="'phone'"):
        parse_settings({"name": "A", "booking_link": "x"})
    with pytest.raises(ClinicSettingsError, match="opening_hours.funday"):
        parse_settings({"name": "A", "phone": "1", "booking_link": "x",
                        "opening_hours": {"funday": ["1", "2"]}})


@pytest.mark.parametrize(
    "when, expected",
    [
        ("2026-11-23 10:00", "today, before 20:00"),  # Monday, open
        ("2026-11-23 07:00", "later today from 08:00"),  # Monday, before opening
        ("2026-11-27 19:30", "tomorrow from 09:00"),  # Friday after closing
        ("2026-11-28 14:00", "on Monday from 08:00"),  # Saturday after closing
        ("2026-11-29 12:00", "tomorrow from 08:00"),  # Sunday, closed
    ],
)
def test_when_to_expect_a_call(when: str, expected: str) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from kneecare.clinic import load_settings

    now = dt.datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Europe/London"))
    assert load_settings(str(ROOT / "clinic.yml")).when_to_expect_a_call(now) == expected


def test_the_form_lists_the_questions_in_the_order_the_triage_asks_them() -> None:
    from kneecare.triage.assess import FORM_SLOTS

    assert DOMAIN["forms"]["knee_triage_form"]["required_slots"] == list(FORM_SLOTS)
