"""``DialogueStateTracker.copy`` from a kept replay, instead of replaying every event again.

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
"""

from __future__ import annotations

import copy
import itertools
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from core_plugins.per_conversation import PerConversation, starts_with

_RASA_COPY = DialogueStateTracker.copy
# what a replayed tracker holds, besides per-process memos (names starting "_applied")
_SCALARS = frozenset({
    "_max_event_history", "sender_id", "sender_source", "is_rule_tracker", "_paused",
    "followup_action", "model_id", "assistant_id",
})
_HANDLED = _SCALARS | {
    "events", "slots", "latest_action", "latest_message", "latest_bot_utterance", "active_loop",
}


@dataclass
class _Replay:
    tracker: DialogueStateTracker
    slots: tuple[tuple[str, type, Any], ...]  # what the slots were made from
    last_user: Event | None = None  # the last user message among its events
    last_bot: Event | None = None


REPLAYS: PerConversation[_Replay] = PerConversation()


def _slot_signature(tracker: DialogueStateTracker) -> tuple[tuple[str, type, Any], ...]:
    return tuple((name, type(slot), slot.initial_value) for name, slot in tracker.slots.items())


def _same_kind(replay: _Replay, tracker: DialogueStateTracker) -> bool:
    """Whether ``tracker.init_copy()`` would start the same replay (same slots, same options)."""
    kept = replay.tracker
    return (
        kept._max_event_history == tracker._max_event_history
        and kept.is_rule_tracker == tracker.is_rule_tracker
        and kept.sender_id == (tracker.sender_id or DEFAULT_SENDER_ID)
        and replay.slots == _slot_signature(tracker)
    )


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
    clone.slots = {name: copy.copy(slot) for name, slot in source.slots.items()}
    clone.latest_action = None if source.latest_action is None else dict(source.latest_action)
    clone.latest_message = _message(source.latest_message, replay.last_user, source.events)
    clone.latest_bot_utterance = _message(
        source.latest_bot_utterance, replay.last_bot, source.events
    )
    clone.active_loop = copy.copy(source.active_loop)
    return clone


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """``DialogueStateTracker.copy``: the kept replay, extended and cloned, when it applies."""
    events = self.events
    if not isinstance(events, deque) or events.maxlen is not None:
        return _RASA_COPY(self)
    replay = REPLAYS.pop(self.sender_id)  # put back only once it is consistent again
    if replay is None or not _same_kind(replay, self) or not starts_with(
        events, replay.tracker.events
    ):
        replay = _Replay(self.init_copy(), _slot_signature(self))
    for event in itertools.islice(events, len(replay.tracker.events), None):
        replay.tracker.update(event)
        if isinstance(event, UserUttered):
            replay.last_user = event
        elif isinstance(event, BotUttered):
            replay.last_bot = event
    clone = _clone(replay)
    if clone is None:
        return _RASA_COPY(self)
    REPLAYS.put(self.sender_id, replay)
    return clone


def install() -> None:
    DialogueStateTracker.copy = copy_tracker  # type: ignore[method-assign]


__all__ = ["REPLAYS", "copy_tracker", "install"]
