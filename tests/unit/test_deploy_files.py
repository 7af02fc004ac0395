"""The deployment files: templates render, the env template is complete, units verify.

deploy/nginx.conf and the systemd units name their settings as ${KNEE_...};
deploy/production.env.example must list every one of them, every ${VAR} of
endpoints.scale.yml, everything runner/production.py requires in production
and the messaging channels' variables. The systemd units are checked by
systemd-analyze verify (any warning fails), the nginx file by `nginx -t`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.render import MissingSettings, placeholders, read_env_file, render
from runner.production import REQUIRED

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TEMPLATES = [DEPLOY / "nginx.conf", *sorted((DEPLOY / "systemd").glob("*.service"))]
ENV_EXAMPLE = read_env_file(DEPLOY / "production.env.example")


@pytest.mark.parametrize(
    "template, values, expected",
    [
        ("listen ${KNEE_PORT};", {"KNEE_PORT": "443"}, "listen 443;"),
        ("proxy_set_header Host $host;", {}, "proxy_set_header Host $host;"),
        ("a ${KNEE_A} b ${KNEE_A}", {"KNEE_A": "x"}, "a x b x"),
        ("${HOME} stays", {"HOME": "/root"}, "${HOME} stays"),
    ],
)
def test_render_fills_only_knee_names(template: str, values: dict[str, str],
                                      expected: str) -> None:
    assert render(template, values) == expected


def test_render_names_every_missing_setting() -> None:
    with pytest.raises(MissingSettings, match="KNEE_A, KNEE_B"):
        render("${KNEE_A} ${KNEE_B} ${KNEE_C}", {"KNEE_C": "set"})


def variables_in(path: Path) -> set[str]:
    """The ${VAR}s a YAML file uses, comments left out."""
    lines = [line.split("#", 1)[0] for line in path.read_text().splitlines()]
    return set(re.findall(r"\$\{(\w+)\}", "\n".join(lines)))


def test_the_env_template_lists_every_production_variable() -> None:
    needed = {name for template in TEMPLATES for name in placeholders(template.read_text())}
    needed |= variables_in(ROOT / "endpoints.scale.yml")
    needed |= {need.name for needs in REQUIRED.values() for need in needs}
    needed |= variables_in(ROOT / "credentials.messaging.yml")
    assert sorted(needed - set(ENV_EXAMPLE)) == []


def _rendered(template: Path, tmp_path: Path) -> Path:
    values = {**ENV_EXAMPLE, "KNEE_ROOT": str(ROOT), "KNEE_USER": "root"}
    out = tmp_path / template.name
    out.write_text(render(template.read_text(), values))
    return out


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed on this machine")
@pytest.mark.parametrize("unit", sorted((DEPLOY / "systemd").glob("*.service")),
                         ids=lambda path: path.name)
def test_systemd_units_verify_cleanly(unit: Path, tmp_path: Path) -> None:
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no",
                              str(_rendered(unit, tmp_path))],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx is not installed (make installs it)")
def test_the_nginx_file_passes_nginx_t(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    values = {**ENV_EXAMPLE, "KNEE_ROOT": str(ROOT), "KNEE_NGINX_DIR": str(tmp_path),
              "KNEE_NGINX_USER": "root", "KNEE_TLS_CERT": str(cert), "KNEE_TLS_KEY": str(key)}
    config = tmp_path / "nginx.conf"
    config.write_text(render((DEPLOY / "nginx.conf").read_text(), values))
    checked = subprocess.run([shutil.which("nginx") or "/usr/sbin/nginx", "-t", "-c",
                              str(config), "-p", str(tmp_path)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
