"""Messaging channels are merged into Rasa's credentials only when their variables are set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from channels.credentials import ChannelConfigError, credentials_file, referenced_variables

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "credentials.yml"
MESSAGING = ROOT / "credentials.messaging.yml"
TWILIO = "channels.twilio_signed.TwilioSignedInput"
TELEGRAM = "channels.telegram_secure.TelegramSecureInput"
REST = "channels.rest_checked.CheckedRestInput"


def variables(channel: str) -> list[str]:
    return referenced_variables(yaml.safe_load(MESSAGING.read_text())[channel])


def test_with_no_messaging_variables_rasa_gets_credentials_yml_as_it_is(tmp_path: Path) -> None:
    assert credentials_file(BASE, MESSAGING, tmp_path / "merged.yml", env={}) == BASE
    assert not (tmp_path / "merged.yml").exists()


def test_a_fully_configured_channel_is_merged_in_without_writing_secrets(tmp_path: Path) -> None:
    env = {name: "secret-value" for name in variables(TELEGRAM)}
    merged = credentials_file(BASE, MESSAGING, tmp_path / "merged.yml", env=env)
    text = merged.read_text()
    config = yaml.safe_load(text)
    assert {REST, TELEGRAM} <= set(config)
    assert config[TELEGRAM]["secret_token"] == "${TELEGRAM_SECRET_TOKEN}"
    assert "secret-value" not in text


def test_both_channels_can_be_on(tmp_path: Path) -> None:
    env = {name: "x" for name in variables(TELEGRAM) + variables(TWILIO)}
    config = yaml.safe_load(credentials_file(BASE, MESSAGING, tmp_path / "m.yml", env).read_text())
    assert {TWILIO, TELEGRAM} <= set(config)


def test_a_partly_configured_channel_is_an_error_naming_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ChannelConfigError, match="TWILIO_PUBLIC_URL"):
        credentials_file(BASE, MESSAGING, tmp_path / "m.yml",
                         env={"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t",
                              "TWILIO_NUMBER": "+44"})


def test_every_messaging_secret_is_an_environment_variable() -> None:
    for channel in (TWILIO, TELEGRAM):
        section = yaml.safe_load(MESSAGING.read_text())[channel]
        assert all(str(value).startswith("${") for value in section.values()), channel


def test_optional_secrets_are_merged_in_as_references(tmp_path: Path) -> None:
    env = {"SOCKETIO_JWT_KEY": "jwt-secret-value", "REST_WEBHOOK_TOKEN": "rest-secret-value"}
    merged = credentials_file(BASE, MESSAGING, tmp_path / "merged.yml", env=env)
    text = merged.read_text()
    config = yaml.safe_load(text)
    socket = config["channels.socketio_persistent.SocketIOPersistentInput"]
    assert socket["jwt_key"] == "${SOCKETIO_JWT_KEY}" and socket["jwt_method"] == "HS256"
    assert socket["session_persistence"] is True  # the rest of the section is kept
    assert config["channels.rest_checked.CheckedRestInput"]["token"] == "${REST_WEBHOOK_TOKEN}"
    assert "secret-value" not in text
