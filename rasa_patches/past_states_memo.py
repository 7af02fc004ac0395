"""Replaces ``rasa.shared.core.domain.Domain.states_for_tracker_history``.

``Domain.states_for_tracker_history``: each dialogue state described once, not per prediction.

RulePolicy asks for the state before every action of the conversation so
far, on every prediction, and twice after each user message (once with the
text, once with the intent). Rasa 3.6 rebuilds them all each time: it replays
the applied events into a fresh tracker and describes the tracker before
every action, O(length of the conversation) per prediction and about a tenth
of the server's time at 50 concurrent conversations (bench/NOTES.md).

The state before an action depends only on the applied events before it, so
the states are kept per conversation (the most recent few hundred, by sender
id) together with the applied events they came from. A call reuses the states
taken before the longest run of applied events it shares with the kept ones
(the very same event objects, in the same order), brings a replay tracker to
that point (replaying again from the start only when an earlier event was
folded away, as a form's repeated turns are), and describes only the actions
after it. The sender id is only where to look: whether anything is reused is
decided by the events themselves. The loop body is Rasa's, step for step.

Callers get new state dictionaries each time (Rasa's featurizer edits the
last state in place), copied so that sub-states two states shared are shared
in the copies too, as in Rasa's own result.

Measured gain: without it the Rasa server used +6.6% CPU per message (median of
three runs at 50 concurrent against six with every patch; ablation table
in bench/NOTES.md, 2026-12-03).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME, PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from core_plugins.per_conversation import PerConversation, shared_prefix

_RASA_STATES_FOR_TRACKER_HISTORY = Domain.states_for_tracker_history


@dataclass
class _Fold:
    """The variables Rasa's loop carries from one action to the next."""

    last_ml_action_sub_state: Any = None
    turn_was_hidden: bool = False


@dataclass
class _Turn:
    """After describing the tracker before the action at ``position``: states so far, fold."""

    position: int
    states: int
    fold: _Fold


@dataclass
class _Memo:
    domain: Domain
    options: tuple[bool, bool, Any]
    slot_names: tuple[str, ...]
    applied: list[Event] = field(default_factory=list)
    turns: list[_Turn] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    replay: DialogueStateTracker | None = None
    replayed: int = 0  # how many of ``applied`` the replay tracker has seen
    last_user: int = -1  # position of the last user message it has seen


MEMOS: PerConversation[_Memo] = PerConversation()


def _describe(
    domain: Domain,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    fold: _Fold,
    states: list[State],
    options: tuple[bool, bool, Any],
) -> None:
    """One pass of the loop in Rasa's ``states_for_tracker_history``, in place."""
    omit_unset_slots, ignore_rule_only_turns, rule_only_data = options
    if ignore_rule_only_turns:
        if not fold.turn_was_hidden:
            fold.last_ml_action_sub_state = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            fold.turn_was_hidden = hide_rule_turn
        if fold.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if fold.last_ml_action_sub_state:
            state[PREVIOUS_ACTION] = fold.last_ml_action_sub_state
    states.append(domain._clean_state(state))


def _copied(states: list[State]) -> list[State]:
    """New state and sub-state dictionaries; a sub-state shared by two states stays shared."""
    copies: dict[int, Any] = {}

    def copy(sub_state: Any) -> Any:
        if not isinstance(sub_state, dict):
            return sub_state
        key = id(sub_state)
        if key not in copies:
            copies[key] = dict(sub_state)
        return copies[key]

    return [{kind: copy(sub_state) for kind, sub_state in state.items()} for state in states]


def _last_user_message(applied: Sequence[Event], end: int) -> int:
    """Position of the last user message before ``end``, or -1."""
    for position in range(end - 1, -1, -1):
        if isinstance(applied[position], UserUttered):
            return position
    return -1


def _changes_described_message(event: Event, replay: DialogueStateTracker, memo: _Memo) -> bool:
    """Whether ``event`` edits a user message that a kept state was described with.

    These two events edit the latest user message in place while the latest
    action is still ``action_listen``; Rasa's replay would then describe the
    earlier actions with the edited message. Rasa adds them right after a
    user message, before any action, so this does not happen in its own
    message handling, but the answer must stay Rasa's if it does.
    """
    return (
        isinstance(event, (DefinePrevUserUtteredFeaturization, EntitiesAdded))
        and replay.latest_action_name == ACTION_LISTEN_NAME
        and bool(memo.turns)
        and memo.turns[-1].position > memo.last_user >= 0
    )


def _memo_for(
    domain: Domain, tracker: DialogueStateTracker, options: tuple[bool, bool, Any]
) -> _Memo:
    slot_names = tuple(tracker.slots)
    memo = MEMOS.get(tracker.sender_id)
    if (
        memo is None
        or memo.replay is None  # never completed
        or memo.domain is not domain
        or memo.options != options
        or memo.slot_names != slot_names
        or memo.replay.is_rule_tracker != tracker.is_rule_tracker
    ):
        memo = _Memo(domain, options, slot_names)
        MEMOS.put(tracker.sender_id, memo)
    return memo


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """Rasa's ``states_for_tracker_history``, describing only the actions not described before."""
    options = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    applied = tracker.applied_events()
    memo = _memo_for(self, tracker, options)
    shared = shared_prefix(memo.applied, applied)

    # keep what was described before the first event that differs
    kept = sum(1 for turn in memo.turns if turn.position < shared)
    del memo.turns[kept:]
    fold = _Fold(**vars(memo.turns[-1].fold)) if memo.turns else _Fold()
    del memo.states[memo.turns[-1].states if memo.turns else 0:]
    replay, memo.replay = memo.replay, None  # a call that fails leaves no half-kept memo
    if replay is None or memo.replayed != shared:
        replay = tracker.init_copy()
        for event in applied[:shared]:
            replay.update(event)
        memo.last_user = _last_user_message(applied, shared)

    for position in range(shared, len(applied)):
        event = applied[position]
        if isinstance(event, ActionExecuted):
            _describe(self, replay, event.hide_rule_turn, fold, memo.states, options)
            memo.turns.append(_Turn(position, len(memo.states), _Fold(**vars(fold))))
        elif isinstance(event, UserUttered):
            memo.last_user = position
        elif _changes_described_message(event, replay, memo):
            MEMOS.pop(tracker.sender_id)
            return _RASA_STATES_FOR_TRACKER_HISTORY(self, tracker, *options)
        replay.update(event)
    memo.applied, memo.replay, memo.replayed = applied, replay, len(applied)

    states = list(memo.states)
    _describe(self, replay, False, fold, states, options)  # the tracker as it is now
    return _copied(states)


def install() -> None:
    Domain.states_for_tracker_history = states_for_tracker_history
