"""The remembered applied events must be Rasa's, event for event, however the tracker grows."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_patches.applied_events_memo import _RASA_APPLIED_EVENTS as rasa_applied_events
from rasa_patches.applied_events_memo import MEMO_ATTRIBUTE, applied_events

LISTEN = "action_listen"
FORMS = ("triage_form", "callback_form")

# every kind of event applied_events treats specially, and some it does not
EVENT_MAKERS: list[Callable[[], Event]] = [
    lambda: UserUttered("my knee hurts", {"name": "report_knee_pain"}),
    lambda: UserUttered("how far should I walk", {"name": "faq"}),
    lambda: ActionExecuted(LISTEN),
    lambda: ActionExecuted("utter_greet"),
    lambda: ActionExecuted("action_respond_faq"),
    lambda: ActionExecuted(FORMS[0]),
    lambda: ActionExecuted(FORMS[1]),
    lambda: ActiveLoop(FORMS[0]),
    lambda: ActiveLoop(FORMS[1]),
    lambda: ActiveLoop(None),
    lambda: ActionExecutionRejected(FORMS[0]),
    lambda: SlotSet("requested_slot", "pain_duration"),
    lambda: FollowupAction("utter_greet"),
    lambda: DefinePrevUserUtteredFeaturization(False),
    lambda: ActionReverted(),
    lambda: UserUtteranceReverted(),
    lambda: Restarted(),
    lambda: SessionStarted(),
]
# loops are rarer than other events in a real conversation
WEIGHTS = [4, 4, 6, 2, 2, 4, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1]


def empty_tracker(max_event_history: int | None = None) -> DialogueStateTracker:
    slots = [TextSlot("requested_slot", mappings=[])]
    return DialogueStateTracker("memo-test", slots=slots, max_event_history=max_event_history)


def assert_same_as_rasa(tracker: DialogueStateTracker) -> None:
    ours, theirs = applied_events(tracker), rasa_applied_events(tracker)
    assert [id(event) for event in ours] == [id(event) for event in theirs], (ours, theirs)


@pytest.mark.parametrize("seed", range(300))
def test_random_conversations_match_rasa_whenever_asked(seed: int) -> None:
    """Events arrive one or several at a time, as between a policy's predictions."""
    rng = random.Random(seed)
    tracker = empty_tracker()
    for _ in range(rng.randint(1, 60)):
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            tracker.update(rng.choices(EVENT_MAKERS, WEIGHTS)[0]())
        assert_same_as_rasa(tracker)


def form_turns(turns: int) -> list[Event]:
    """A form asking ``turns`` questions: Rasa folds each earlier form turn away."""
    events: list[Event] = [ActionExecuted(LISTEN),
                           UserUttered("knee", {"name": "report_knee_pain"}),
                           ActionExecuted(FORMS[0]), ActiveLoop(FORMS[0])]
    for turn in range(turns):
        events += [SlotSet("requested_slot", f"q{turn}"), ActionExecuted(LISTEN),
                   UserUttered(f"answer {turn}", {"name": "inform"}), ActionExecuted(FORMS[0])]
    return events + [ActiveLoop(None), ActionExecuted(LISTEN)]


def test_a_form_conversation_matches_rasa_after_every_event() -> None:
    tracker = empty_tracker()
    for event in form_turns(6):
        tracker.update(event)
        assert_same_as_rasa(tracker)
    assert len(applied_events(tracker)) < len(tracker.events)  # earlier turns were folded


def test_a_loop_named_later_refolds_the_earlier_events() -> None:
    """An ActiveLoop for a new loop changes how its earlier executions count."""
    tracker = empty_tracker()
    for event in form_turns(3)[4:]:  # the form's turns, before anything says it is a loop
        tracker.update(event)
    before = applied_events(tracker)
    tracker.update(ActiveLoop(FORMS[0]))
    after = applied_events(tracker)
    assert len(after) < len(before) + 1  # not an extension of the remembered fold
    assert_same_as_rasa(tracker)


def test_a_replaced_event_list_is_not_extended() -> None:
    tracker = empty_tracker()
    for event in form_turns(2):
        tracker.update(event)
    remembered = applied_events(tracker)
    greeting = UserUttered("hi", {"name": "greet"})
    # a new deque, longer than the remembered fold, sharing none of its events
    tracker.events = deque([greeting] * (len(remembered) + 3))
    assert applied_events(tracker) == rasa_applied_events(tracker) == list(tracker.events)


def test_a_bounded_history_is_computed_by_rasa_each_time() -> None:
    tracker = empty_tracker(max_event_history=5)
    for event in form_turns(4):
        tracker.update(event)
        assert_same_as_rasa(tracker)
    assert MEMO_ATTRIBUTE not in tracker.__dict__


def test_editing_the_returned_list_does_not_change_the_next_answer() -> None:
    tracker = empty_tracker()
    for event in form_turns(2):
        tracker.update(event)
    first = applied_events(tracker)
    first.clear()
    assert_same_as_rasa(tracker)
    assert applied_events(tracker)


def test_copies_of_a_tracker_keep_their_own_memo() -> None:
    tracker = empty_tracker()
    for event in form_turns(2):
        tracker.update(event)
    applied_events(tracker)
    copy = tracker.copy()
    copy.update(ActionExecuted("utter_greet"))
    assert_same_as_rasa(copy)
    assert_same_as_rasa(tracker)
    assert len(applied_events(copy)) == len(applied_events(tracker)) + 1


def test_installed_in_the_rasa_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa_patches import applied_events_memo as patch

    monkeypatch.setattr(DialogueStateTracker, "applied_events", rasa_applied_events)
    patch.install()
    assert DialogueStateTracker.applied_events is applied_events


def test_an_event_list_edited_in_place_is_folded_again() -> None:
    tracker = empty_tracker()
    for event in form_turns(2):
        tracker.update(event)
    applied_events(tracker)
    tracker.events.pop()  # the same deque, its last event swapped for another
    tracker.events.append(Restarted())
    assert_same_as_rasa(tracker)
    assert applied_events(tracker) == []
