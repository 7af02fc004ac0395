"""How the run commands lock the servers down: secrets and origins from the environment only."""

from __future__ import annotations

from pathlib import Path

import pytest

from channels.origins import DEMO_ORIGINS, OriginsError, allowed_origins, origin_allowed
from runner.production import REQUIRED, missing_requirements, refuse_to_start_without
from runner.rasa_server import (
    MODELS,
    ServerConfigError,
    api_arguments,
    option_value,
    rasa_arguments,
)
from runner.server_extras import refuse_model_changes

PRODUCTION_ENV = {
    "KNEE_ENV": "production",
    "ALLOWED_ORIGINS": "https://clinic.example",
    "CASE_DATA_KEY": "k" * 44,
    "DATABASE_URL": "postgresql://db.internal/knee",
    "STAFF_SECRET_KEY": "s" * 48,
    "TRACKER_DB_URL": "postgresql://db.internal/knee",
    "REST_WEBHOOK_TOKEN": "t" * 32,
}


@pytest.mark.parametrize("process", sorted(REQUIRED))
def test_outside_production_nothing_is_required(process: str) -> None:
    assert missing_requirements(process, {}) == []
    assert missing_requirements(process, {"KNEE_ENV": "development"}) == []


@pytest.mark.parametrize(("process", "unset", "expected"), [
    ("rasa", "ALLOWED_ORIGINS", ["ALLOWED_ORIGINS"]),
    ("action server", "CASE_DATA_KEY", ["CASE_DATA_KEY"]),
    ("action server", "DATABASE_URL", ["DATABASE_URL"]),
    ("staff", "STAFF_SECRET_KEY", ["STAFF_SECRET_KEY"]),
    ("staff", "TRACKER_DB_URL", ["TRACKER_DB_URL"]),
    ("rasa", "CASE_DATA_KEY", ["CASE_DATA_KEY"]),  # pseudonyms and session signatures
    ("rasa", "REST_WEBHOOK_TOKEN", ["REST_WEBHOOK_TOKEN"]),
])
def test_production_names_each_missing_variable(process: str, unset: str,
                                                expected: list[str]) -> None:
    env = {**PRODUCTION_ENV, unset: "  "}  # blank counts as missing
    assert [need.name for need in missing_requirements(process, env)] == expected


def test_refusal_lists_everything_missing_for_all_processes(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        refuse_to_start_without({"KNEE_ENV": "Production"}, *REQUIRED)
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    for name in ("ALLOWED_ORIGINS", "CASE_DATA_KEY", "DATABASE_URL", "STAFF_SECRET_KEY",
                 "REST_WEBHOOK_TOKEN"):
        assert message.count(name) == 1, message


def test_complete_production_environment_starts() -> None:
    refuse_to_start_without(PRODUCTION_ENV, *REQUIRED)  # no SystemExit


@pytest.mark.parametrize(("value", "expected"), [
    (None, list(DEMO_ORIGINS)),
    ("", list(DEMO_ORIGINS)),
    ("https://clinic.example", ["https://clinic.example"]),
    ("https://clinic.example, https://www.clinic.example:8443",
     ["https://clinic.example", "https://www.clinic.example:8443"]),
])
def test_allowed_origins(value: str | None, expected: list[str]) -> None:
    env = {} if value is None else {"ALLOWED_ORIGINS": value}
    assert allowed_origins(env) == expected


@pytest.mark.parametrize("value", ["*", "https://clinic.example/chat", "clinic.example",
                                   "javascript:alert(1)"])
def test_wildcards_paths_and_junk_are_not_origins(value: str) -> None:
    with pytest.raises(OriginsError, match="ALLOWED_ORIGINS"):
        allowed_origins({"ALLOWED_ORIGINS": value})


@pytest.mark.parametrize(("origin", "expected"), [
    (None, True),  # not a browser: CORS does not apply
    ("https://clinic.example", True),
    ("https://clinic.example:443", False),
    ("http://clinic.example", False),
    ("https://clinic.example.attacker.example", False),
    ("null", False),
])
def test_origin_allowed(origin: str | None, expected: bool) -> None:
    assert origin_allowed(origin, ["https://clinic.example"]) is expected


@pytest.mark.parametrize(("env", "expected"), [
    ({}, []),
    ({"RASA_API_TOKEN": " "}, []),
    ({"RASA_API_TOKEN": "t0ken"}, ["--enable-api", "--auth-token", "t0ken"]),
    ({"RASA_JWT_SECRET": "s3cret"},
     ["--enable-api", "--jwt-secret", "s3cret", "--jwt-method", "HS256"]),
])
def test_api_is_on_only_with_a_token_or_jwt_secret(env: dict[str, str],
                                                   expected: list[str]) -> None:
    assert api_arguments(env) == expected


@pytest.mark.parametrize("flag", ["--enable-api", "--auth-token", "--auth-token=x",
                                  "--jwt-secret", "--cors"])
def test_security_flags_on_the_command_line_are_refused(flag: str) -> None:
    with pytest.raises(ServerConfigError, match="environment"):
        rasa_arguments(["run", flag, "x"], {})


def test_arguments_add_origins_and_keep_the_callers() -> None:
    model = str(MODELS / "knee-assistant.tar.gz")
    arguments = rasa_arguments(["run", "--model", model, "--port", "5005"],
                               {"ALLOWED_ORIGINS": "https://clinic.example"})
    assert arguments == ["run", "--model", model, "--port", "5005",
                         "--interface", "127.0.0.1", "--cors", "https://clinic.example"]


@pytest.mark.parametrize(("given", "env", "interface"), [
    ([], {}, "127.0.0.1"),
    ([], {"HOST": "0.0.0.0"}, "0.0.0.0"),
    (["--interface", "10.0.0.5"], {"HOST": "0.0.0.0"}, "10.0.0.5"),
    (["-i", "10.0.0.6"], {}, "10.0.0.6"),
])
def test_rasa_listens_on_loopback_unless_host_says_otherwise(
        given: list[str], env: dict[str, str], interface: str) -> None:
    arguments = rasa_arguments(["run", *given], env)
    assert option_value(arguments, "--interface", "-i") == interface
    assert arguments.count("--interface") + arguments.count("-i") == 1


REST = "channels.rest_checked.CheckedRestInput:\n"
TWILIO = "channels.twilio_signed.TwilioSignedInput:\n  auth_token: x\n"
TOKEN = "  token: ${REST_WEBHOOK_TOKEN}\n"


@pytest.mark.parametrize(("credentials", "env", "refused"), [
    (REST, {}, False),  # development, REST and socket.io only: no token needed
    (REST, {"KNEE_ENV": "production"}, True),
    (REST + TWILIO, {}, True),
    ("rest:\n" + TWILIO, {}, True),  # Rasa's own REST channel too
    ("telegram:\n  access_token: x\n" + REST, {}, True),
    (REST + TOKEN + TWILIO, {}, True),  # the variable it names is unset
    (REST + TOKEN + TWILIO, {"REST_WEBHOOK_TOKEN": "s3cret"}, False),
    (REST + TOKEN, {"KNEE_ENV": "production", "REST_WEBHOOK_TOKEN": "s3cret"}, False),
    (TWILIO, {}, False),  # no REST channel at all
])
def test_an_open_rest_webhook_is_refused_in_production_or_beside_messaging(
        tmp_path: Path, credentials: str, env: dict[str, str], refused: bool) -> None:
    path = tmp_path / "credentials.yml"
    path.write_text(credentials)
    if refused:
        with pytest.raises(ServerConfigError, match="REST_WEBHOOK_TOKEN"):
            rasa_arguments(["run", "--credentials", str(path)], env)
    else:
        assert "--credentials" in rasa_arguments(["run", "--credentials", str(path)], env)


@pytest.mark.parametrize("model", ["/tmp/knee.tar.gz", "models/../elsewhere/knee.tar.gz",
                                   "https://example.com/knee.tar.gz"])
def test_models_only_from_the_models_directory(model: str) -> None:
    with pytest.raises(ServerConfigError, match="models"):
        rasa_arguments(["run", "--model", model], {})
    with pytest.raises(ServerConfigError, match="models"):
        rasa_arguments(["run", f"--model={model}"], {})


def test_only_rasa_run_and_shell_are_accepted() -> None:
    with pytest.raises(ServerConfigError, match="usage"):
        rasa_arguments(["train"], {})
    # make shell goes through the same locked-down settings (and patches) as make run
    shell = rasa_arguments(["shell", "--endpoints", "endpoints.yml"], {})
    assert shell[0] == "shell" and "--cors" in shell and "--interface" in shell


def test_make_shell_starts_rasa_through_this_entry_point() -> None:
    source = (Path(__file__).resolve().parents[2] / "runner" / "__main__.py").read_text()
    assert '"runner.rasa_server", "shell"' in source
    assert '"rasa"), "shell"' not in source


class FakeRequest:
    def __init__(self, method: str, path: str) -> None:
        self.method, self.path = method, path


@pytest.mark.parametrize(("method", "path", "refused"), [
    ("PUT", "/model", True),
    ("PUT", "/model/", True),
    ("POST", "/model/train", True),
    ("POST", "/model/parse", False),
    ("GET", "/status", False),
    ("POST", "/webhooks/rest/webhook", False),
])
async def test_model_changing_routes_are_refused(method: str, path: str, refused: bool) -> None:
    response = await refuse_model_changes(FakeRequest(method, path))
    assert (response is not None and response.status == 403) is refused


def test_models_directory_is_the_projects() -> None:
    assert Path(__file__).resolve().parents[2] / "models" == MODELS


def test_an_endpoints_file_with_a_model_server_is_refused(tmp_path: Path) -> None:
    remote = tmp_path / "endpoints.yml"
    remote.write_text("models:\n  url: https://models.example/knee.tar.gz\n")
    with pytest.raises(ServerConfigError, match="model server"):
        rasa_arguments(["run", "--endpoints", str(remote)], {})
    with pytest.raises(ServerConfigError, match="cannot read"):
        rasa_arguments(["run", "--endpoints", str(tmp_path / "missing.yml")], {})


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.scale.yml"])
def test_the_projects_endpoints_files_are_accepted(endpoints: str) -> None:
    path = Path(__file__).resolve().parents[2] / endpoints
    assert "--endpoints" in rasa_arguments(["run", "--endpoints", str(path)], {})
