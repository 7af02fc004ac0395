"""Where the action server listens, and when it needs a token."""

from __future__ import annotations

import pytest

from kneecare.cases.outbox_retry import (
    CHECK_SECONDS,
    FIRST_RETRY_SECONDS,
    MAX_RETRY_SECONDS,
    next_delay,
)
from runner.action_server import ActionServerConfigError, host_and_token


@pytest.mark.parametrize(("env", "expected"), [
    ({}, ("127.0.0.1", None)),
    ({"ACTION_SERVER_HOST": "localhost"}, ("localhost", None)),
    ({"ACTION_SERVER_HOST": "::1"}, ("::1", None)),
    ({"ACTION_SERVER_TOKEN": "t0k"}, ("127.0.0.1", "t0k")),
    ({"ACTION_SERVER_HOST": "0.0.0.0", "ACTION_SERVER_TOKEN": "t0k"}, ("0.0.0.0", "t0k")),
    ({"ACTION_SERVER_HOST": "10.0.0.4", "ACTION_SERVER_TOKEN": " t0k "}, ("10.0.0.4", "t0k")),
])
def test_loopback_by_default_and_a_token_when_given(
        env: dict[str, str], expected: tuple[str, str | None]) -> None:
    assert host_and_token(env) == expected


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.4", "actions.internal"])
@pytest.mark.parametrize("token", [None, "", "  "])
def test_listening_beyond_loopback_without_a_token_is_refused(host: str,
                                                              token: str | None) -> None:
    env = {"ACTION_SERVER_HOST": host}
    if token is not None:
        env["ACTION_SERVER_TOKEN"] = token
    with pytest.raises(ActionServerConfigError, match="ACTION_SERVER_TOKEN"):
        host_and_token(env)


@pytest.mark.parametrize(("failures", "delay"), [
    (0, CHECK_SECONDS),
    (1, FIRST_RETRY_SECONDS),
    (2, FIRST_RETRY_SECONDS * 2),
    (3, FIRST_RETRY_SECONDS * 4),
    (30, MAX_RETRY_SECONDS),
])
def test_the_outbox_is_retried_with_growing_pauses(failures: int, delay: float) -> None:
    assert next_delay(failures) == delay



@pytest.mark.parametrize(("failures", "delay"),
                         [(0, 2.0), (1, 1.0), (3, 4.0), (40, MAX_RETRY_SECONDS)])
def test_a_shorter_first_pause_scales_the_check_and_the_retries(failures: int,
                                                                delay: float) -> None:
    assert next_delay(failures, first=1.0) == delay
