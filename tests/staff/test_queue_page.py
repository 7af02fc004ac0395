"""The queue page through the real app: the people to call, in order, with call-by times.

The server and its cases are ``queue_server`` (tests/staff/queue_cases.py).
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from kneecare.triage import assess
from tests.staff import queue_cases
from tests.staff.client import Client
from tests.staff.conftest import PASSWORD, PHYSIO
from tests.staff.queue_cases import CLINIC, FILLERS, QueueServer, callback

queue_server = queue_cases.queue_server
ROW = re.compile(r'<tr class="([^"]*)">\s*<td><a href="/cases/(\d+)">(.*?)</tr>', re.S)


@pytest.fixture
def reception(queue_server: QueueServer) -> Client:
    client = Client(queue_server.base_url)
    assert client.sign_in("reception", PASSWORD).status == 303
    return client


def rows(body: str) -> list[tuple[str, int, str]]:
    """(row classes, case id, the rest of the row) for each row of the queue table."""
    return [(classes, int(case_id), rest) for classes, case_id, rest in ROW.findall(body)]


def test_the_default_view_lists_only_the_people_to_call(queue_server: QueueServer,
                                                        reception: Client) -> None:
    ids = queue_server.ids
    pages = [reception.get(f"/queue?page={n}") for n in (1, 2, 3, 4)]
    assert all(page.status == 200 for page in pages)
    shown = [case_id for page in pages for _, case_id, _ in rows(page.body)]
    assert len(shown) == len(set(shown)) == FILLERS + 7
    assert ids["anonymous"] not in shown and ids["joined"] in shown
    everything = [case_id for n in (1, 2, 3, 4)
                  for _, case_id, _ in rows(reception.get(f"/queue?show=all&page={n}").body)]
    assert ids["anonymous"] in everything and len(everything) == FILLERS + 8


def test_the_queue_is_in_urgency_then_call_by_order(queue_server: QueueServer,
                                                    reception: Client) -> None:
    ids = queue_server.ids
    first = [case_id for _, case_id, _ in rows(reception.get("/queue").body)]
    assert first[:6] == [ids["emergency"], ids["same_day_first"], ids["same_day_later"],
                         ids["overdue"], ids["rang"], ids["joined"]]
    last = [case_id for _, case_id, _ in rows(reception.get("/queue?page=4").body)]
    assert last[-1] == ids["no_level"]  # no triage level: after self-care


def test_each_row_shows_its_call_by_time_in_london_time(queue_server: QueueServer,
                                                        reception: Client) -> None:
    cells = {case_id: rest for _, case_id, rest in rows(reception.get("/queue").body)}
    for name in ("emergency", "overdue", "joined"):
        case = queue_server.store.get_case(queue_server.ids[name])
        assert case is not None
        due = CLINIC.call_by(case.requested_at)
        assert due is not None
        cell = re.search(r'<td class="call-by"><time datetime="([^"]+)">([^<]+)</time>',
                         cells[case.id])
        assert cell, cells[case.id]
        assert datetime.fromisoformat(cell.group(1)) == due
        assert re.fullmatch(r"(today|tomorrow|yesterday) \d\d:\d\d|\w{3} \d{1,2} \w{3}"
                            r"( \d{4})?, \d\d:\d\d", cell.group(2)), cell.group(2)


def test_an_overdue_call_back_stands_out_in_words(queue_server: QueueServer,
                                                  reception: Client) -> None:
    found = {case_id: (classes, rest) for classes, case_id, rest in
             rows(reception.get("/queue").body)}
    classes, cell = found[queue_server.ids["overdue"]]
    assert "overdue" in classes.split() and ">Overdue<" in cell
    rang_classes, rang_cell = found[queue_server.ids["rang"]]  # contacted: the promise was kept
    assert "overdue" not in rang_classes.split() and "Overdue" not in rang_cell
    emergency_classes, _ = found[queue_server.ids["emergency"]]
    assert "overdue" not in emergency_classes.split()


def test_the_queue_comes_in_pages_of_50(reception: Client) -> None:
    total = FILLERS + 7
    first = reception.get("/queue").body
    assert f"Showing rows 1–50 of {total}" in first
    assert 'rel="prev"' not in first and "page=2" in first
    second = reception.get("/queue?page=2").body
    assert f"Showing rows 51–100 of {total}" in second and len(rows(second)) == 50
    assert re.search(r'href="/queue\?show=callbacks&amp;status=open&amp;level=all&amp;page=1"'
                     r' rel="prev">← Previous page', second)
    assert 'page=3" rel="next">Next page →' in second
    last = reception.get("/queue?page=4").body
    assert f"Showing rows 151–{total} of {total}" in last and 'rel="next"' not in last
    beyond = reception.get("/queue?page=99")
    assert beyond.status == 200 and f"Showing rows 151–{total} of {total}" in beyond.body


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5", "%00", "9" * 40])
def test_a_bad_page_gets_a_clear_400(reception: Client, page: str) -> None:
    reply = reception.get(f"/queue?page={page}")
    assert reply.status == 400 and "whole number from 1" in reply.body
    assert "Traceback" not in reply.body


def test_the_page_script_is_self_hosted_and_allowed(queue_server: QueueServer,
                                                    reception: Client) -> None:
    page = reception.get("/queue")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert re.findall(r"<script[^>]*>", page.body) == ['<script src="/static/queue.js" defer>']
    assert re.search(r'id="queue-news"[^>]*aria-live="polite"', page.body)
    script = Client(queue_server.base_url).get("/static/queue.js")
    assert script.status == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert Client(queue_server.base_url).get("/static/app.py").status == 404


def count_url(body: str) -> str:
    found = re.search(r'data-count-url="([^"]+)"', body)
    assert found
    return html.unescape(found.group(1))


def test_the_new_count_needs_a_session_and_checks_its_input(queue_server: QueueServer,
                                                            reception: Client) -> None:
    url = count_url(reception.get("/queue").body)
    assert Client(queue_server.base_url).get(url).status == 401
    for bad in ("/queue/count?after=1", "/queue/count?after=x&since=1",
                "/queue/count?after=1&since=99999999999999", "/queue/count?after=1&since=1&show=x"):
        reply = reception.get(bad)
        assert reply.status == 400 and "Traceback" not in reply.body, bad


def test_the_new_count_says_how_many_joined_the_view_since_the_page(
    queue_server: QueueServer, reception: Client
) -> None:
    store, now = queue_server.store, datetime.now(timezone.utc)
    url = count_url(reception.get("/queue").body)
    assert json.loads(reception.get(url).body) == {"new": 0}
    late_triage = store.record_triage_case("late", "rest", assess(PHYSIO), PHYSIO,
                                           now=now - timedelta(days=1))
    assert json.loads(reception.get(url).body) == {"new": 0}  # no call-back asked yet
    callback(store, "brand-new", now + timedelta(seconds=2), "gp_soon")
    assert callback(store, "late", now + timedelta(seconds=2), None) == late_triage
    assert json.loads(reception.get(url).body) == {"new": 2}
    everything = url.replace("show=callbacks", "show=all")
    assert json.loads(reception.get(everything).body) == {"new": 2}
