"""Hypothesis throws generated requests at each HTTP endpoint: never a 5xx, servers keep serving.

Bounded (``max_examples``) and derandomized, so a run takes seconds and CI sees
the same examples every time. Valid messages go all the way through Rasa; the
rest must be refused with a 4xx (a JSON error on the REST webhook).
"""

from __future__ import annotations

import json
import urllib.parse

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.fakes import TEST_TELEGRAM_SECRET, twilio_signature
from tests.robustness.conftest import REST_JSON, ServersUnderTest, request

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                               max_size=4),
    max_leaves=10,
)
TEXT = st.text(max_size=300) | st.text(min_size=1990, max_size=2100, alphabet="ab é😀\u202e")
# what a well-behaved client sends, so that a good share of examples reach Rasa
READABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)
VALID_REST_BODIES = st.fixed_dictionaries(
    {"sender": st.from_regex(r"[a-z0-9-]{1,40}", fullmatch=True),
     "message": READABLE.filter(str.strip)},
).map(lambda value: json.dumps(value).encode())
REST_BODIES = st.one_of(
    VALID_REST_BODIES,
    st.binary(max_size=200),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {"sender": st.text(max_size=140) | JSON_VALUES, "message": TEXT | JSON_VALUES},
        optional={"metadata": JSON_VALUES, "input_channel": st.text(max_size=70)},
    ).map(lambda value: json.dumps(value).encode()),
)


def test_rest_webhook_never_fails_on_generated_bodies(servers: ServersUnderTest) -> None:
    statuses = []

    @FUZZ
    @given(sent=REST_BODIES)
    def post(sent: bytes) -> None:
        answer = request(servers.ports.rasa, "POST", "/webhooks/rest/webhook", sent, REST_JSON)
        statuses.append(answer.status)
        assert answer.status in (200, 400, 413), answer
        if answer.status != 200:
            assert isinstance(answer.json(), dict) and answer.json()["error"]

    post()
    assert {200, 400} <= set(statuses)  # the examples reached both sides
    servers.assert_still_serving()


def test_telegram_webhook_never_fails_on_generated_updates(servers: ServersUnderTest) -> None:
    update = st.fixed_dictionaries({"update_id": JSON_VALUES, "message": st.one_of(
        JSON_VALUES,
        st.fixed_dictionaries({"message_id": st.integers(), "date": st.integers(),
                               "chat": st.fixed_dictionaries({"id": JSON_VALUES,
                                                              "type": st.just("private")}),
                               "text": TEXT | JSON_VALUES}),
    )}).map(lambda value: json.dumps(value).encode())

    @FUZZ
    @given(sent=update | st.binary(max_size=100))
    def post(sent: bytes) -> None:
        answer = request(servers.ports.rasa, "POST", "/webhooks/telegram/webhook", sent,
                         {"Content-Type": "application/json",
                          "X-Telegram-Bot-Api-Secret-Token": TEST_TELEGRAM_SECRET})
        assert answer.status in (200, 400), answer

    post()
    servers.assert_still_serving()


def test_twilio_webhook_never_fails_on_generated_signed_forms(servers: ServersUnderTest) -> None:
    field_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
    forms = st.dictionaries(st.sampled_from(["From", "Body", "To", "NumMedia", "Other"]),
                            field_text | st.text(min_size=1990, max_size=2100, alphabet="ab é"),
                            max_size=5)

    @FUZZ
    @given(form=forms)
    def post(form: dict[str, str]) -> None:
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": twilio_signature(servers.twilio_webhook, form)}
        answer = request(servers.ports.rasa, "POST", "/webhooks/twilio/webhook",
                         urllib.parse.urlencode(form).encode(), headers)
        assert answer.status == 200, answer

    post()
    servers.assert_still_serving()


METHODS = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
PATHS = st.one_of(
    st.sampled_from(["/", "/health", "/signin", "/queue", "/cases/1", "/cases/1/status",
                     "/export.csv", "/settings.json", "/widget/knee-widget.js"]),
    st.text(max_size=60).map(lambda text: "/" + urllib.parse.quote(text, safe="/?=&")),
).flatmap(lambda path: st.text(max_size=30).map(
    lambda query: f"{path}?{urllib.parse.quote(query, safe='=&')}" if query else path))


def test_widget_server_and_staff_view_never_fail_on_generated_requests(
        servers: ServersUnderTest) -> None:
    @FUZZ
    @given(port=st.sampled_from([servers.ports.web, servers.ports.staff]), method=METHODS,
           path=PATHS, sent=st.binary(max_size=200),
           content_type=st.sampled_from(["", "application/x-www-form-urlencoded",
                                         "multipart/form-data; boundary=x", "text/plain"]))
    def send(port: int, method: str, path: str, sent: bytes, content_type: str) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        if method in ("GET", "HEAD"):
            sent = b""
        answer = request(port, method, path, sent, headers)
        assert answer.status < 500, (answer.status, answer.body[:300])

    send()
    servers.assert_still_serving()
