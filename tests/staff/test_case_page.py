"""The case page shows the person's answers and the reasons, as the person gave them.

A "not sure" answer reads "not sure" (it counts as yes for the level), a
picked screening item is named with the person's words, and a call-back that
joins its conversation's triage keeps the answers on the page.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest

from kneecare.cases.contact import ContactDetails
from kneecare.findings import Evidence
from kneecare.triage import TriageAnswers, assess
from tests.staff.client import Client
from tests.staff.conftest import PASSWORD, StaffServer


@pytest.fixture
def signed_in(staff_server: StaffServer) -> Client:
    client = Client(staff_server.base_url)
    assert client.sign_in("reception", PASSWORD).status == 303
    return client


def answer(page: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", page, re.S)
    assert found, f"no {label!r} answer on the page"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_not_sure_answers_and_the_picked_sign_are_shown_as_given(
    staff_server: StaffServer, signed_in: Client
) -> None:
    answers = TriageAnswers(
        screens={"screen_emergency": "no", "screen_same_day": "yes"},
        picks={"screen_same_day": "screen_same_day:2"},
        injury=True, limits_activity=False, not_sure=frozenset({"injury"}),
        evidence=(Evidence("screen_same_day:2", "present", "my calf is sore and puffy"),),
    )
    store = staff_server.store
    case_id = store.record_triage_case("conv-not-sure", "rest", assess(answers), answers,
                                       now=datetime.now(timezone.utc))
    page = signed_in.get(f"/cases/{case_id}").body
    assert answer(page, "Injury") == "not sure"
    assert answer(page, "Limits activity") == "no"
    assert answer(page, "Changes walking") == "not given"
    reasons = answer(page, "Reasons")
    assert reasons.startswith("calf pain, tenderness or swelling")
    assert '"my calf is sore and puffy"' in reasons
    assert "weight" not in reasons and "locked" not in reasons  # only the picked item

    store.record_callback_request(
        "conv-not-sure", "rest", ContactDetails.create("Ali", "07911 123456"), "", None,
        consent_purpose="a call-back about my knee", now=datetime.now(timezone.utc),
    )
    joined = signed_in.get(f"/cases/{case_id}").body
    assert "Call-back request" in joined
    assert answer(joined, "Injury") == "not sure" and answer(joined, "Reasons") == reasons


def test_an_unpicked_screen_is_one_of_the_signs_listed(
    staff_server: StaffServer, signed_in: Client
) -> None:
    answers = TriageAnswers(screens={"screen_emergency": "yes"},
                            picks={"screen_emergency": "several"})
    case_id = staff_server.store.record_triage_case(
        "conv-several", "rest", assess(answers), answers, now=datetime.now(timezone.utc))
    reasons = answer(signed_in.get(f"/cases/{case_id}").body, "Reasons")
    assert reasons == "said yes to one of the serious signs listed"
