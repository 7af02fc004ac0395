"""A tracker from the kept replay must hold exactly what Rasa's replay of the events holds.

Three replays use it: ``tracker.copy()``, the tracker store's rebuilding of a
remembered conversation (``from_events``) and a form's temporary tracker.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from rasa.core.actions.forms import FormAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from rasa_patches.tracker_copies import (
    _RASA_COPY,
    _RASA_TEMPORARY_TRACKER,
    REPLAYS,
    copy_tracker,
    from_events,
    temporary_tracker,
)
from tests.rasa_patches.test_past_states_memo import LISTEN, event_makers


@pytest.fixture(autouse=True)
def fresh_replays() -> None:
    REPLAYS.clear()


def held(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker holds, events by identity and placeholders by content."""
    state = {key: value for key, value in vars(tracker).items()
             if not key.startswith("_applied")}
    events = list(tracker.events)
    return {
        **{key: value for key, value in state.items()
           if key not in {"events", "slots", "latest_message", "latest_bot_utterance",
                          "active_loop"}},
        "keys": sorted(state),
        "events": [id(event) for event in events],
        "maxlen": tracker.events.maxlen,
        "slots": {name: (type(slot), id(slot.value), slot.value, slot.has_been_set)
                  for name, slot in tracker.slots.items()},
        "latest_message": message(tracker.latest_message, events),
        "latest_bot_utterance": message(tracker.latest_bot_utterance, events),
        "active_loop": vars(tracker.active_loop) if tracker.active_loop else None,
        "current_state": tracker.current_state(EventVerbosity.ALL),
    }


def message(event: Any, events: list[Any]) -> Any:
    if any(event is other for other in events):
        return ("event", id(event))
    made_now = event.as_dict()
    made_now.pop("timestamp")  # a placeholder is stamped when the tracker is made
    return ("placeholder", type(event), made_now)


def assert_same_as_rasa(tracker: DialogueStateTracker) -> DialogueStateTracker:
    ours, theirs = copy_tracker(tracker), _RASA_COPY(tracker)
    assert held(ours) == held(theirs)
    # nothing the copy can change is shared with the kept replay or the original
    assert ours.slots is not tracker.slots and ours.events is not tracker.events
    assert all(ours.slots[name] is not slot for name, slot in tracker.slots.items())
    assert ours.active_loop is None or ours.active_loop is not tracker.active_loop
    return ours


def assert_rebuilt_as_by_rasa(events: list[Any], domain: Domain) -> DialogueStateTracker:
    ours = from_events("copy", events, domain.slots)
    assert held(ours) == held(DialogueStateTracker.from_events("copy", events, domain.slots))
    return ours


def without_time(event: Any) -> dict[str, Any]:
    return {key: value for key, value in event.as_dict().items() if key != "timestamp"}


def assert_temporary_as_by_rasa(
    tracker: DialogueStateTracker, extra: list[Any], domain: Domain
) -> None:
    form = FormAction("knee_triage_form", None)
    theirs = held(_RASA_TEMPORARY_TRACKER(form, tracker, extra, domain))
    ours_tracker = temporary_tracker(form, tracker, extra, domain)
    ours = held(ours_tracker)
    # each makes the form's own two events anew: those match by content, the rest by identity
    made = len(ours["events"]) - len(extra) - 2
    assert ours["events"][:made] == theirs["events"][:made]
    assert ours["events"][made + 2:] == theirs["events"][made + 2:]
    assert [without_time(e) for e in list(ours_tracker.events)[made:made + 2]] == [
        without_time(e) for e in [SlotSet("requested_slot", form.get_slot_to_fill(tracker)),
                                  ActionExecuted("knee_triage_form")]
    ]
    for key in ours.keys() - {"events", "current_state"}:
        assert ours[key] == theirs[key], key


@pytest.mark.parametrize("seed", range(150))
def test_random_conversations_match_rasa_across_messages(domain: Domain, seed: int) -> None:
    rng = random.Random(seed)
    makers, weights = event_makers(domain)
    tracker = DialogueStateTracker.from_events(
        "copy", [ActionExecuted("action_session_start"), SessionStarted(),
                 ActionExecuted(LISTEN)], domain.slots)
    for _ in range(rng.randint(1, 25)):
        if rng.random() < 0.3:  # the next message: the tracker store rebuilds the tracker
            tracker = assert_rebuilt_as_by_rasa(list(tracker.events), domain)
        for _ in range(rng.choice([1, 1, 2, 3, 6])):
            event = rng.choices(makers, weights)[0](rng)
            if rng.random() < 0.1:
                event = BotUttered("Here is some advice.")
            tracker.update(event)
        copied = assert_same_as_rasa(tracker)
        if rng.random() < 0.2:  # an action's temporary copy goes its own way
            copied.update(SlotSet("pain_score", 3))
            assert_same_as_rasa(copied)
        if rng.random() < 0.3:  # the form validates or asks its next question
            extra = [rng.choices(makers, weights)[0](rng) for _ in range(rng.randint(0, 3))]
            assert_temporary_as_by_rasa(tracker, extra, domain)


def test_editing_a_copy_changes_neither_the_original_nor_later_copies(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("edit", [
        ActionExecuted(LISTEN), UserUttered("hi", {"name": "greet"}), ActionExecuted("triage_form"),
        ActiveLoop("triage_form"), SlotSet("pain_score", 4),
    ], domain.slots)
    before = held(_RASA_COPY(tracker))
    first = copy_tracker(tracker)
    first.update(SlotSet("pain_score", 9))
    first.update(ActiveLoop(None))
    first.latest_action["action_name"] = "edited in place"  # type: ignore[index]
    first.active_loop = None
    assert held(_RASA_COPY(tracker)) == before
    assert held(copy_tracker(tracker)) == before


def test_placeholders_edited_by_events_are_copied_as_edited(domain: Domain) -> None:
    """Events after a restart edit the tracker's own empty user message, as in Rasa's replay."""
    tracker = DialogueStateTracker.from_events("placeholder", [
        ActionExecuted(LISTEN), UserUttered("hi", {"name": "greet"}), Restarted(),
        ActionExecuted(LISTEN), DefinePrevUserUtteredFeaturization(True),
        EntitiesAdded([{"entity": "body_side", "value": "left"}]),
    ], domain.slots)
    assert_same_as_rasa(tracker)
    tracker.update(UserUttered("knee", {"name": "report_knee_pain"}))
    assert_same_as_rasa(tracker)


def test_a_bounded_history_is_copied_by_rasa(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events(
        "bounded", [ActionExecuted(LISTEN), UserUttered("hi", {"name": "greet"})],
        domain.slots, max_event_history=10)
    assert_same_as_rasa(tracker)
    assert REPLAYS.pop("bounded") is None


def test_installed_in_the_rasa_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa_patches import tracker_copies as patch

    monkeypatch.setattr(DialogueStateTracker, "copy", _RASA_COPY)
    monkeypatch.setattr(FormAction, "_temporary_tracker", _RASA_TEMPORARY_TRACKER)
    patch.install()
    assert DialogueStateTracker.copy is copy_tracker
    assert FormAction._temporary_tracker is temporary_tracker


def test_a_replay_kept_with_other_slots_is_not_reused(domain: Domain) -> None:
    events = [ActionExecuted(LISTEN), UserUttered("hi", {"name": "greet"}),
              SlotSet("pain_score", 4)]
    assert_rebuilt_as_by_rasa(events, domain)
    fewer = [slot for slot in domain.slots if slot.name != "pain_score"]
    ours = from_events("copy", events, fewer)
    assert held(ours) == held(DialogueStateTracker.from_events("copy", events, fewer))
    assert "pain_score" not in ours.slots
