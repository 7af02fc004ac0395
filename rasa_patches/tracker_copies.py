"""Replaces ``rasa.shared.core.trackers.DialogueStateTracker.copy`` (and a form's
``rasa.core.actions.forms.FormAction._temporary_tracker``).

``DialogueStateTracker.copy`` from a kept replay, instead of replaying every event again.

Rasa copies the conversation before running each action (``tracker.copy()``,
a replay of every event into a new tracker), several times per message and
most often on the longest conversations: the turn that completes a triage
form runs half a dozen actions at the end of the conversation, and those
turns set the benchmark's slowest replies (bench/NOTES.md).

A replay's result depends only on the events, applied in order. So a replay
tracker is kept per conversation (the most recent few hundred, by sender id)
with the events it has seen; a copy of a tracker whose events begin with
those very event objects extends the replay with the events since and clones
it. A clone holds what the replay would: the same event objects, its own
slots (values shared with the events that set them, as in a replay), its own
active loop and latest action, and fresh empty placeholders where no user or
bot message has been seen. A tracker with anything else on it, a bounded
event history, or events that do not extend the kept ones is copied by
Rasa's replay, and the sender id is only where to look.

The same kept replay serves Rasa's two other replays of a whole
conversation: the tracker store rebuilding the tracker of a conversation it
remembers (``from_events``), and a form's temporary tracker for slot
validation and for choosing the next question
(``FormAction._temporary_tracker``, twice on a form's last turn).

Measured gain: without it the Rasa server used +10.3% CPU per message (median of
three runs at 50 concurrent against six with every patch; ablation table
in bench/NOTES.md, 2026-12-03).
"""

from __future__ import annotations

import copy
import itertools
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rasa.core.actions.forms import FormAction
from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

from core_plugins.per_conversation import PerConversation, starts_with

# Rasa's own functions: the fallback, and what the tests compare against
_RASA_COPY = DialogueStateTracker.copy
_RASA_TEMPORARY_TRACKER = FormAction._temporary_tracker
# what a replayed tracker holds, besides per-process memos (names starting "_applied")
_SCALARS = frozenset({
    "_max_event_history", "sender_id", "sender_source", "is_rule_tracker", "_paused",
    "followup_action", "model_id", "assistant_id",
})
_HANDLED = _SCALARS | {
    "events", "slots", "latest_action", "latest_message", "latest_bot_utterance", "active_loop",
}


@dataclass(frozen=True)
class _Kind:
    """What a replay starts from besides the events: equal kinds, equal replays."""

    sender_id: str
    max_event_history: int | None
    is_rule_tracker: bool
    slots: tuple[tuple[str, type, Any], ...]  # each slot's name, type and initial value

    @classmethod
    def of(cls, sender_id: str, slots: Iterable[Slot], max_event_history: int | None = None,
           is_rule_tracker: bool = False) -> _Kind:
        signature = tuple((slot.name, type(slot), slot.initial_value) for slot in slots)
        return cls(sender_id, max_event_history, is_rule_tracker, signature)


@dataclass
class _Replay:
    kind: _Kind
    tracker: DialogueStateTracker
    last_user: Event | None = None  # the last user message among its events
    last_bot: Event | None = None


REPLAYS: PerConversation[_Replay] = PerConversation()


def copy_slot(self: Slot) -> Slot:
    """``copy.copy`` of a slot without the generic ``__reduce_ex__`` round trip (same result).

    Clones call it directly (Rasa's ``Slot`` has no ``__copy__``), skipping
    ``copy.copy``'s dispatch (36 slots per clone).
    """
    clone = object.__new__(type(self))
    clone.__dict__.update(self.__dict__)
    return clone


def _message(message: Any, last: Event | None, events: deque[Event]) -> Any:
    """The latest user or bot message for a clone: the event itself, as in a replay.

    Where there is none yet, a replay made its own empty placeholder (now),
    which later events may have edited: the clone gets a copy of the kept
    one, made now.
    """
    if message is last or any(event is message for event in reversed(events)):
        return message
    placeholder = copy.deepcopy(message)
    placeholder.timestamp = time.time()
    return placeholder


def _clone(replay: _Replay) -> DialogueStateTracker | None:
    """A tracker holding what ``replay.tracker`` holds, sharing nothing it could change."""
    source = replay.tracker
    state = {key: value for key, value in vars(source).items() if not key.startswith("_applied")}
    if state.keys() != _HANDLED:
        return None  # something this module does not know how to copy
    clone = object.__new__(type(source))
    clone.__dict__.update({key: state[key] for key in _SCALARS})
    clone.events = deque(source.events, maxlen=source.events.maxlen)
    clone.slots = {name: copy_slot(slot) for name, slot in source.slots.items()}
    clone.latest_action = None if source.latest_action is None else dict(source.latest_action)
    clone.latest_message = _message(source.latest_message, replay.last_user, source.events)
    clone.latest_bot_utterance = _message(
        source.latest_bot_utterance, replay.last_bot, source.events
    )
    clone.active_loop = copy.copy(source.active_loop)
    return clone


def replayed(
    kind: _Kind, events: Sequence[Event], start: Callable[[], DialogueStateTracker]
) -> DialogueStateTracker | None:
    """What ``start()`` updated with each of ``events`` holds, cloned from the kept replay.

    ``start`` makes the empty tracker that ``kind`` describes; it is called
    only when no kept replay fits. None when the replay cannot be cloned.
    """
    replay = REPLAYS.pop(kind.sender_id)  # put back only once it is consistent again
    if replay is None or replay.kind != kind or not starts_with(events, replay.tracker.events):
        replay = _Replay(kind, start())
    for event in itertools.islice(events, len(replay.tracker.events), None):
        replay.tracker.update(event)
        if isinstance(event, UserUttered):
            replay.last_user = event
        elif isinstance(event, BotUttered):
            replay.last_bot = event
    clone = _clone(replay)
    if clone is not None:
        REPLAYS.put(kind.sender_id, replay)
    return clone


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """``DialogueStateTracker.copy``: the kept replay, extended and cloned, when it applies."""
    events = self.events
    if not isinstance(events, deque) or events.maxlen is not None:
        return _RASA_COPY(self)
    kind = _Kind.of(self.sender_id or DEFAULT_SENDER_ID, self.slots.values(),
                    self._max_event_history, self.is_rule_tracker)
    return replayed(kind, events, self.init_copy) or _RASA_COPY(self)


def from_events(sender_id: str, events: list[Event], slots: list[Slot]) -> DialogueStateTracker:
    """``DialogueStateTracker.from_events(sender_id, events, slots)``, from the kept replay."""
    return replayed(
        _Kind.of(sender_id, slots), events, lambda: DialogueStateTracker(sender_id, slots)
    ) or DialogueStateTracker.from_events(sender_id, events, slots)


def temporary_tracker(
    self: FormAction, current_tracker: DialogueStateTracker,
    additional_events: list[Event], domain: Domain,
) -> DialogueStateTracker:
    """``FormAction._temporary_tracker``: the conversation's replay, then the form's events."""
    tracker = from_events(
        current_tracker.sender_id, current_tracker.events_after_latest_restart(), domain.slots
    )
    for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
                  ActionExecuted(self.name()), *additional_events]:
        tracker.update(event)
    return tracker


def install() -> None:
    DialogueStateTracker.copy = copy_tracker
    FormAction._temporary_tracker = temporary_tracker


__all__ = ["REPLAYS", "copy_slot", "copy_tracker", "from_events", "install", "temporary_tracker"]
