"""The Outcomes page through the real app: known outcomes give known bars, tables and CSV.

``outcomes_server`` (conftest) filed ``OUTCOMES`` at the clinic's noon of
days before today, and a call-back, which is no outcome; the case 80 days
old is outside the 8 weeks.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from markupsafe import escape

from kneecare.cases.outcome_stats import WEEKS
from kneecare.cases.summary import reason_words
from kneecare.triage import assess
from tests.staff.client import Client
from tests.staff.conftest import OUTCOMES, PASSWORD, OutcomesServer

BAR = re.compile(r'<g class="bar" data-period="([^"]+)" data-total="(\d+)">(.*?)</g>', re.S)
SEGMENT = re.compile(r'data-level="(\w+)" data-count="(\d+)"')


@pytest.fixture(scope="module")
def page(outcomes_server: OutcomesServer) -> str:
    client = Client(outcomes_server.base_url)
    assert client.sign_in("reception", PASSWORD).status == 303
    reply = client.get("/outcomes")
    assert reply.status == 200
    return reply.body


def in_window(server: OutcomesServer) -> list[tuple[date, str, str, tuple[str, ...]]]:
    """(day, level, channel, reasons) of each known outcome in the 8 weeks."""
    first = server.today - timedelta(days=server.today.weekday(), weeks=WEEKS - 1)
    found = []
    for days_ago, answers, channel in OUTCOMES:
        day = server.today - timedelta(days=days_ago)
        outcome = assess(answers)
        if day >= first:
            found.append((day, outcome.level, channel, outcome.reasons))
    return found


def bars(page: str, chart: str) -> dict[str, tuple[int, dict[str, int]]]:
    """{period: (total, {level: count})} of one chart's SVG."""
    svg = page[page.index(f'id="{chart}"'):]
    svg = svg[:svg.index("</svg>")]
    return {key: (int(total), {level: int(n) for level, n in SEGMENT.findall(inside)})
            for key, total, inside in BAR.findall(svg)}


def row(page: str, label: str) -> list[str]:
    found = re.search(rf'<tr><th scope="row">{re.escape(str(escape(label)))}</th>(.*?)</tr>', page)
    assert found, f"no table row {label!r}"
    return re.findall(r"<td>([^<]*)</td>", found.group(1))


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def test_the_daily_chart_has_a_stacked_bar_per_day(outcomes_server: OutcomesServer,
                                                   page: str) -> None:
    expected: dict[str, Counter[str]] = {}
    for day, level, _, _ in in_window(outcomes_server):
        if (outcomes_server.today - day).days < 14:
            expected.setdefault(day.isoformat(), Counter())[level] += 1
    daily = bars(page, "daily-chart")
    assert len(daily) == 14 and list(daily)[-1] == outcomes_server.today.isoformat()
    shown = {key: levels for key, (total, levels) in daily.items() if total}
    assert shown == {key: dict(levels) for key, levels in expected.items()}
    day_before = (outcomes_server.today - timedelta(days=1)).isoformat()
    assert shown[day_before] == {"emergency": 2, "physio": 1}
    assert all(total == sum(levels.values()) for total, levels in daily.values())
    title = f"<title>{day_label(outcomes_server.today - timedelta(days=1))}: 3 outcomes"
    assert title + " (EMERGENCY 2, Physio 1)</title>" in page


def test_the_weekly_chart_counts_iso_weeks(outcomes_server: OutcomesServer, page: str) -> None:
    expected: Counter[str] = Counter()
    for day, _, _, _ in in_window(outcomes_server):
        year, week, _ = day.isocalendar()
        expected[f"{year}-W{week:02d}"] += 1
    weekly = bars(page, "weekly-chart")
    assert len(weekly) == WEEKS
    assert {key: total for key, (total, _) in weekly.items() if total} == dict(expected)
    assert sum(expected.values()) == 5  # not the 80-day-old case, not the call-back


def test_the_tables_hold_the_same_counts(outcomes_server: OutcomesServer, page: str) -> None:
    yesterday = outcomes_server.today - timedelta(days=1)
    # EMERGENCY, Same day, GP soon, Physio, Self-care, All
    assert row(page, day_label(yesterday)) == ["2", "0", "0", "1", "0", "3"]
    assert row(page, day_label(yesterday - timedelta(days=1))) == ["0", "1", "0", "0", "0", "1"]
    assert row(page, day_label(outcomes_server.today)) == ["0"] * 6
    assert "5 outcomes in the last 8 weeks" in page


def test_the_reasons_are_in_the_clinics_words(outcomes_server: OutcomesServer,
                                              page: str) -> None:
    counted = Counter(code for *_, reasons in in_window(outcomes_server) for code in reasons)
    assert counted["infection_signs"] == 2
    for code, count in counted.items():
        assert row(page, reason_words(code))[0] == str(count), code
    visible = re.sub(r"<[^>]+>", " ", page)
    for code in [*counted, "same_day", "gp_soon", "self_care", "socketio", "twilio"]:
        assert not re.search(rf"\b{code}\b", visible), code


@pytest.mark.parametrize(
    ("channel", "figures"),
    [("website chat", ["2", "40%"]), ("SMS", ["1", "20%"]), ("WhatsApp", ["1", "20%"]),
     ("Telegram", ["1", "20%"])],
)
def test_the_channel_mix_has_counts_and_shares(page: str, channel: str,
                                               figures: list[str]) -> None:
    assert row(page, channel) == figures


def test_the_csv_has_the_same_figures(outcomes_server: OutcomesServer) -> None:
    client = Client(outcomes_server.base_url)
    client.sign_in("reception", PASSWORD)
    reply = client.get("/outcomes.csv")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="outcomes-' in reply.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.body)))
    yesterday = (outcomes_server.today - timedelta(days=1)).isoformat()
    figures = {(r["period"], r["kind"], r["key"]): (r["label"], r["count"]) for r in rows}
    assert figures[yesterday, "level", "emergency"] == ("EMERGENCY", "2")
    assert figures[yesterday, "total", "all"] == ("All levels", "3")
    (window,) = {r["period"] for r in rows if r["kind"] == "channel"}
    assert window.endswith("/" + outcomes_server.today.isoformat())
    assert figures[window, "reason", "infection_signs"] == (reason_words("infection_signs"), "2")
    assert figures[window, "channel", "SMS"] == ("SMS", "1")


def test_the_page_links_the_csv_and_explains_it(page: str) -> None:
    assert '<a class="button secondary" href="/outcomes.csv" download>Download CSV</a>' in page
    assert "period, kind, key, label, count" in page
    assert '<a href="/outcomes">Outcomes</a>' in page  # in the navigation


def test_without_outcomes_the_page_says_so(outcomes_server: OutcomesServer) -> None:
    empty = outcomes_server.empty_page
    assert empty.status == 200 and "No outcomes yet" in empty.body
    assert "<svg" not in empty.body and "Traceback" not in empty.body


def test_the_outcomes_need_a_sign_in(outcomes_server: OutcomesServer) -> None:
    client = Client(outcomes_server.base_url)
    page = client.get("/outcomes")
    assert (page.status, page.location) == (303, "/signin")
    download = client.get("/outcomes.csv")
    assert download.status == 401 and "period,kind" not in download.body
