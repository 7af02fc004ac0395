"""The kept dialogue states must be Rasa's, state for state, however the conversation goes on."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_patches import past_states_memo
from rasa_patches.past_states_memo import MEMOS, states_for_tracker_history

RASA_STATES = Domain.states_for_tracker_history
LISTEN = "action_listen"
FORM = "triage_form"


@pytest.fixture(autouse=True)
def fresh_memos() -> None:
    MEMOS.clear()


def event_makers(domain: Domain) -> tuple[list[Callable[[random.Random], Event]], list[int]]:
    """Every kind of event that changes the states or how they are built, from our domain."""
    intents = sorted(domain.intents)
    actions = sorted(name for name in domain.action_names_or_texts if name != LISTEN)
    entity = sorted(domain.entities)[0] if domain.entities else "body_side"

    def user(rng: random.Random) -> Event:
        entities = [{"entity": entity, "value": "left"}] if rng.random() < 0.3 else []
        return UserUttered("my knee", {"name": rng.choice(intents), "confidence": 0.9},
                           entities)

    makers: list[tuple[int, Callable[[random.Random], Event]]] = [
        (5, user),
        (6, lambda rng: ActionExecuted(LISTEN)),
        (5, lambda rng: ActionExecuted(rng.choice(actions))),
        (3, lambda rng: ActionExecuted(FORM)),
        (1, lambda rng: ActiveLoop(FORM)),
        (1, lambda rng: ActiveLoop(None)),
        (1, lambda rng: ActionExecutionRejected(FORM)),
        (3, lambda rng: SlotSet("requested_slot", rng.choice(["pain_score", "age", None]))),
        (3, lambda rng: SlotSet("pain_score", rng.choice([2, 7, 9, None]))),
        (2, lambda rng: SlotSet("limits_activity", rng.choice([True, False]))),
        (1, lambda rng: SlotSet("red_flags", ["locked_knee"])),
        (1, lambda rng: FollowupAction(rng.choice(actions))),
        (2, lambda rng: DefinePrevUserUtteredFeaturization(rng.random() < 0.3)),
        (1, lambda rng: EntitiesAdded([{"entity": entity, "value": "right"}])),
        (1, lambda rng: ActionReverted()),
        (1, lambda rng: UserUtteranceReverted()),
        (1, lambda rng: Restarted()),
        (1, lambda rng: SessionStarted()),
    ]
    return [maker for _, maker in makers], [weight for weight, _ in makers]


def sharing(states: list[State]) -> list[tuple[int, str, int, str]]:
    """Which sub-state dictionaries are the same object in two places."""
    places = [(index, kind, id(sub)) for index, state in enumerate(states)
              for kind, sub in state.items() if isinstance(sub, dict)]
    return [(i, k, j, m) for i, k, a in places for j, m, b in places if a == b and (i, k) < (j, m)]


def assert_same_as_rasa(
    domain: Domain, tracker: DialogueStateTracker, options: dict[str, Any]
) -> None:
    ours = states_for_tracker_history(domain, tracker, **options)
    theirs = RASA_STATES(domain, tracker, **options)
    assert ours == theirs
    assert sharing(ours) == sharing(theirs)


OPTIONS = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True,
     "rule_only_data": {"rule_only_slots": ["screen_emergency"], "rule_only_loops": [FORM]}},
]


@pytest.mark.parametrize("options", OPTIONS, ids=["rasa-default", "omit-unset", "rule-only"])
@pytest.mark.parametrize("seed", range(60))
def test_random_conversations_match_rasa_across_messages(
    domain: Domain, seed: int, options: dict[str, Any]
) -> None:
    """Each message rebuilds the tracker from the same event objects, as the tracker store does."""
    rng = random.Random(seed)
    makers, weights = event_makers(domain)
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted(),
                           ActionExecuted(LISTEN)]
    tracker = DialogueStateTracker.from_events("memo", events, domain.slots)
    for _ in range(rng.randint(1, 25)):
        if rng.random() < 0.3:  # the next message: a new tracker, the same events
            tracker = DialogueStateTracker.from_events("memo", list(tracker.events),
                                                       domain.slots)
        for _ in range(rng.choice([1, 1, 2, 3, 6])):
            tracker.update(rng.choices(makers, weights)[0](rng))
        assert_same_as_rasa(domain, tracker, options)


def test_a_form_conversation_matches_rasa_after_every_event(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("form", [ActionExecuted(LISTEN)], domain.slots)
    turns: list[Event] = [UserUttered("my knee hurts", {"name": "report_knee_pain"}),
                          DefinePrevUserUtteredFeaturization(False), ActionExecuted(FORM),
                          ActiveLoop(FORM)]
    for answer in range(5):
        turns += [SlotSet("requested_slot", "pain_score"), ActionExecuted(LISTEN),
                  UserUttered(str(answer), {"name": "inform"}),
                  DefinePrevUserUtteredFeaturization(False), SlotSet("pain_score", answer),
                  ActionExecuted(FORM)]
    for event in [*turns, ActiveLoop(None), ActionExecuted("action_assess_triage"),
                  ActionExecuted(LISTEN)]:
        tracker.update(event)
        for options in OPTIONS:
            assert_same_as_rasa(domain, tracker, options)


def test_editing_returned_states_does_not_change_the_next_answer(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("edit", [
        ActionExecuted(LISTEN), UserUttered("hi", {"name": "greet"}),
        ActionExecuted("utter_greet"), ActionExecuted(LISTEN),
        UserUttered("shoes?", {"name": "faq"}),
    ], domain.slots)
    first = states_for_tracker_history(domain, tracker)
    for state in first:
        for sub_state in state.values():
            sub_state.clear()
        state.clear()
    assert_same_as_rasa(domain, tracker, {})


def test_a_failed_call_leaves_nothing_half_kept(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker = DialogueStateTracker.from_events("fail", [ActionExecuted(LISTEN)], domain.slots)
    states_for_tracker_history(domain, tracker)
    for event in [UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_greet")]:
        tracker.update(event)
    original = past_states_memo._describe

    def broken(*args: Any) -> None:
        raise RuntimeError("describing failed")

    monkeypatch.setattr(past_states_memo, "_describe", broken)
    with pytest.raises(RuntimeError):
        states_for_tracker_history(domain, tracker)
    monkeypatch.setattr(past_states_memo, "_describe", original)
    tracker.update(ActionExecuted(LISTEN))
    assert_same_as_rasa(domain, tracker, {})


def test_another_conversation_with_the_same_sender_id_is_not_confused(domain: Domain) -> None:
    first = DialogueStateTracker.from_events("same", [
        ActionExecuted(LISTEN), UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_greet"),
    ], domain.slots)
    assert_same_as_rasa(domain, first, {})
    other = DialogueStateTracker.from_events("same", [
        ActionExecuted(LISTEN), UserUttered("bye", {"name": "goodbye"}),
    ], domain.slots)
    assert_same_as_rasa(domain, other, {})


def test_installed_in_the_rasa_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa_patches import past_states_memo as patch

    monkeypatch.setattr(Domain, "states_for_tracker_history", RASA_STATES)
    patch.install()
    assert Domain.states_for_tracker_history is states_for_tracker_history
