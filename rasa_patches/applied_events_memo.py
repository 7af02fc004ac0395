"""Replaces ``rasa.shared.core.trackers.DialogueStateTracker.applied_events``.

``DialogueStateTracker.applied_events``, remembered per tracker and extended as events arrive.

The applied events are the events that still count once reverts, restarts and
repeated form turns are taken out. Rasa 3.6 recomputes them from the first
event on every call, and it calls them several times per message: for every
policy prediction (through ``past_states``) and twice more for the session
check. That is O(length of the conversation) each time, through ``abc``
instance checks; at 50 concurrent conversations it was about 8% of the Rasa
server's time (bench/NOTES.md).

The result depends only on the tracker's events. Rasa computes it as a left
fold over them, with one exception: which actions count as loops
(``loop_names``) is read from all the events first. So the fold over the
first n events, kept with the loop names it used, extends exactly to n + k
events when the k new ones name no new loop; otherwise it is done again from
the start. The tracker's events only ever grow by appending (Rasa replaces
the whole deque on a reset), which is checked: a different deque, fewer
events, a full ``max_event_history`` or a different event at the remembered
position all mean a fresh computation. Callers get a new list each time, as
before, so one that edits its list cannot change the remembered one.

Measured gain: without it the Rasa server used +7.1% CPU per message (median of
three runs at 50 concurrent against six with every patch; ablation table
in bench/NOTES.md, 2026-12-03).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

MEMO_ATTRIBUTE = "_applied_events_memo"
_RASA_APPLIED_EVENTS = DialogueStateTracker.applied_events


@dataclass
class _Memo:
    """The fold over the first ``length`` events of ``events``."""

    events: deque[Event]  # the tracker's own, compared by identity
    length: int
    last: Event | None  # the event at position length - 1, compared by identity
    loop_names: frozenset[str]
    applied: list[Event]


def _loop_names(events: Iterable[Event]) -> frozenset[str]:
    return frozenset(
        event.name for event in events if isinstance(event, ActiveLoop) and event.name
    )


def _fold(
    tracker: DialogueStateTracker,
    events: Iterable[Event],
    loop_names: frozenset[str],
    applied: list[Event],
) -> None:
    """The body of Rasa's ``applied_events`` loop, applied to ``applied`` in place."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def _extendable(memo: _Memo, events: deque[Event]) -> bool:
    return (
        memo.events is events
        and memo.length <= len(events)
        and (memo.length == 0 or events[memo.length - 1] is memo.last)
    )


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """Rasa's ``applied_events``, from the remembered fold when it still applies."""
    events = self.events
    if not isinstance(events, deque) or events.maxlen is not None:
        # a bounded history drops its oldest events: nothing to extend
        return _RASA_APPLIED_EVENTS(self)
    memo: _Memo | None = self.__dict__.get(MEMO_ATTRIBUTE)
    if memo is not None and _extendable(memo, events):
        if memo.length < len(events):
            new = list(itertools.islice(events, memo.length, None))
            if not _loop_names(new) <= memo.loop_names:
                memo = None  # a new loop changes how earlier events fold
            else:
                _fold(self, new, memo.loop_names, memo.applied)
                memo.length, memo.last = len(events), new[-1]
    else:
        memo = None
    if memo is None:
        loop_names = _loop_names(events)
        applied: list[Event] = []
        _fold(self, events, loop_names, applied)
        memo = _Memo(events, len(events), events[-1] if events else None, loop_names, applied)
        self.__dict__[MEMO_ATTRIBUTE] = memo
    return list(memo.applied)


def install() -> None:
    DialogueStateTracker.applied_events = applied_events
