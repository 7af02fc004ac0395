"""Stopping the rule search early must leave exactly the rules Rasa's full search leaves."""

from __future__ import annotations

import copy
import json
import random
import tarfile
from typing import Any

import pytest
from rasa.core.policies.rule_policy import RulePolicy

from rasa_patches.rule_search import possible_rule_keys
from runner.services import latest_model

RASA_POSSIBLE_KEYS = RulePolicy._get_possible_keys
State = dict[str, Any]


@pytest.fixture(scope="module")
def lookup() -> dict[str, dict[str, str]]:
    """The rules our trained model learnt (data/rules), as RulePolicy stores them."""
    with tarfile.open(latest_model()) as model:
        member = next(name for name in model.getnames() if name.endswith("rule_policy.json"))
        stored = model.extractfile(member)
        assert stored is not None
        return json.load(stored)["lookup"]


@pytest.fixture(scope="module")
def policy() -> RulePolicy:
    # the two methods read nothing from the instance: a bare one is enough
    return object.__new__(RulePolicy)


def conversation_states(rule_keys: list[str], rng: random.Random) -> list[State]:
    """A history stitched from the rules' own turns, some of them altered, as real ones differ."""
    states: list[State] = [{}]  # a conversation starts from the empty state
    for _ in range(rng.randint(0, 12)):
        for state in json.loads(rng.choice(rule_keys)):
            state = copy.deepcopy(state)
            if state and rng.random() < 0.3:
                del state[rng.choice(sorted(state))]  # a feature the rule needs is missing
            if rng.random() < 0.2:
                state.setdefault("slots", {})["pain_score"] = (1.0,)  # an extra feature
            states.append(state)
    return states


@pytest.mark.parametrize("table", ["rules", "rules_for_loop_unhappy_path"])
def test_same_rules_as_rasa_for_many_histories(
    lookup: dict[str, dict[str, str]], policy: RulePolicy, table: str
) -> None:
    rules = lookup[table]
    keys = sorted(lookup["rules"]) + sorted(lookup["rules_for_loop_unhappy_path"])
    rng = random.Random(table)
    matched = 0
    for _ in range(400):
        states = conversation_states(keys, rng)
        expected = RASA_POSSIBLE_KEYS(policy, rules, states)
        assert possible_rule_keys(policy, rules, states) == expected
        matched += bool(expected)
    assert matched > 40, "the histories exercise rules that match, not only empty answers"


def test_history_shorter_than_the_rules(
    lookup: dict[str, dict[str, str]], policy: RulePolicy
) -> None:
    rules = lookup["rules"]
    for states in ([], [{}]):
        expected = RASA_POSSIBLE_KEYS(policy, rules, states)
        assert possible_rule_keys(policy, rules, states) == expected


def test_installed_in_the_rasa_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa_patches import rule_search as patch

    monkeypatch.setattr(RulePolicy, "_get_possible_keys", RASA_POSSIBLE_KEYS)
    patch.install()
    assert RulePolicy._get_possible_keys is possible_rule_keys


def test_a_rule_table_that_changes_is_read_again(
    lookup: dict[str, dict[str, str]], policy: RulePolicy
) -> None:
    """RulePolicy edits its table while training: a changed table must not use stale rules."""
    table = dict(lookup["rules"])
    states = conversation_states(sorted(table), random.Random(7))
    possible_rule_keys(policy, table, states)
    for key in sorted(table)[::2]:
        del table[key]
    assert possible_rule_keys(policy, table, states) == RASA_POSSIBLE_KEYS(policy, table, states)
