"""A red flag reported while the action server is down is not lost (issue 17 item 1).

Real processes (tests/faults/conftest.py): the person answers "no" to both
screening lists, the action server is killed with SIGKILL, and they then
report calf swelling with breathlessness. The safety net answers at once;
after the restart the symptom check must end in the emergency outcome, and
the case must be filed as an emergency with that red flag. A second test
restarts the Rasa server as well. A third checks that Rasa itself records the
red flag in the ``red_flags`` slot (the safety net reads it) with the action
server down.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.e2e.chat import Conversation
from tests.e2e.triage_run import NEUTRAL_ANSWERS
from tests.faults.conftest import Rig
from tests.faults.test_faults_e2e import _store

pytestmark = pytest.mark.e2e
RED_FLAG_MESSAGE = "my calf has swollen right up and I keep getting short of breath"


def kill_actions(rig: Rig) -> None:
    for process in rig.actions.processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    rig.stop_actions()


def screened_no(person: Conversation) -> None:
    assert person.responses(person.say("/start_triage"))[-1] == "utter_ask_screen_emergency"
    assert person.responses(person.say("/deny")) == ["utter_ask_screen_same_day"]
    assert person.responses(person.say("/deny"))[-1].startswith("utter_ask_")


def finish(person: Conversation) -> list[str]:
    replies = person.say("check my symptoms")
    for _ in range(14):
        names = person.responses(replies)
        outcomes = [name for name in names if name.startswith("utter_outcome_")]
        if outcomes:
            return outcomes
        replies = person.say(NEUTRAL_ANSWERS.get(names[-1], "/deny"))
    raise AssertionError(f"no outcome: {person.transcript}")


def report_during_outage(rig: Rig, person: Conversation) -> None:
    kill_actions(rig)
    replies = person.say(RED_FLAG_MESSAGE)
    assert person.responses(replies) == ["utter_service_unavailable_urgent"]
    assert "999" in replies[-1]["text"] or "A&E" in replies[-1]["text"]


def test_a_red_flag_reported_while_the_action_server_was_down_gives_999(
    actions_up: Rig, tmp_path: Path
) -> None:
    rig = actions_up
    database = f"sqlite:///{tmp_path / 'cases.db'}"
    rig.stop_actions()
    rig.start_actions(DATABASE_URL=database)
    person = rig.conversation()
    screened_no(person)
    report_during_outage(rig, person)
    rig.start_actions(DATABASE_URL=database)

    assert finish(person) == ["utter_outcome_emergency"]
    assert person.slot("triage_level") == "emergency"
    assert "dvt_with_chest" in person.slot("red_flags")
    [case] = [case for case in _store(database).list_queue()
              if case.conversation_id.endswith(person.sender)]
    assert case.level == "emergency"
    assert "dvt_with_chest" in case.reasons
    rig.stop_actions()


def test_the_red_flag_survives_a_rasa_restart_too(actions_up: Rig) -> None:
    rig = actions_up
    person = rig.conversation()
    screened_no(person)
    report_during_outage(rig, person)
    rig.start_actions()
    rig.restart_rasa()  # the Rasa server too: the red flag is read back from storage

    assert finish(person) == ["utter_outcome_emergency"]
    assert "dvt_with_chest" in person.slot("red_flags")


def test_rasa_itself_records_the_signs_the_safety_net_reads(actions_up: Rig) -> None:
    rig = actions_up
    person = rig.conversation()
    assert person.responses(person.say("/greet")) == ["utter_greet"]
    kill_actions(rig)
    replies = person.say(RED_FLAG_MESSAGE)
    assert person.responses(replies) == ["utter_service_unavailable_urgent"]
    assert {"calf_pain", "chest_symptoms"} <= set(person.slot("signs_heard") or [])
