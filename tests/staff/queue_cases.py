"""A staff server of its own for the queue tests, with the cases they read.

It holds call-backs at every level, one overdue, one whose call-by time
passed after reception rang (contacted), a triage outcome with no call-back
(not in the default view), a triage whose person then asked for a call (in
it), and enough self-care call-backs to need four pages of 50.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kneecare.cases.contact import ContactDetails
from kneecare.cases.store import CaseStore
from kneecare.clinic import load_settings
from kneecare.triage import assess
from tests.staff.conftest import PHYSIO, serving_staff

CLINIC = load_settings(str(Path(__file__).resolve().parents[2] / "clinic.yml"))
FILLERS = 148


@dataclass
class QueueServer:
    base_url: str
    store: CaseStore
    ids: dict[str, int]


def callback(store: CaseStore, conversation: str, at: datetime, level: str | None) -> int:
    return store.record_callback_request(
        conversation, "socketio", ContactDetails.create("Sam Example", "07911 123456"),
        "please call", level, consent_purpose="a call-back about my knee", now=at,
    )


@pytest.fixture(scope="module")
def queue_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueueServer]:
    with serving_staff(tmp_path_factory.mktemp("queue")) as (base_url, store, _env):
        now = datetime.now(timezone.utc)
        ids = {
            "anonymous": store.record_triage_case("anon", "rest", assess(PHYSIO), PHYSIO,
                                                  now=now - timedelta(hours=1)),
            "joined": store.record_triage_case("joined", "rest", assess(PHYSIO), PHYSIO,
                                               now=now - timedelta(days=5)),
            "overdue": callback(store, "overdue", now - timedelta(days=4), "physio"),
            "rang": callback(store, "rang", now - timedelta(days=4), "physio"),
            "same_day_later": callback(store, "sd2", now - timedelta(minutes=30), "same_day"),
            "same_day_first": callback(store, "sd1", now - timedelta(hours=2), "same_day"),
            "no_level": callback(store, "none", now, None),
            "emergency": callback(store, "emergency", now, "emergency"),
        }
        store.set_status(ids["rang"], "contacted", "reception", "spoke to them")
        assert callback(store, "joined", now - timedelta(minutes=1), None) == ids["joined"]
        for n in range(FILLERS):
            callback(store, f"filler-{n}", now - timedelta(minutes=20), "self_care")
        yield QueueServer(base_url, store, ids)


