"""The production shape, small: `make prod-check` with 20 people x 10 turns and one kill.

nginx (deploy/nginx.conf) in front of two Rasa processes on this machine's
PostgreSQL and Redis; a soak, a soak with one Rasa process killed halfway,
and a socket.io client that must carry on after its process is killed.
Skipped, with the reason, where nginx, PostgreSQL or Redis is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.prod_check import run
from deploy.stack import StackPorts, missing_prerequisite
from runner.services import ROOT
from tests.ports import shifted

pytestmark = pytest.mark.e2e
PORTS = shifted(StackPorts(public=8463, staff_public=8464, rasa=(5735, 5736), actions=5785,
                   web=5798, staff=5799))


# kill -9 of a Rasa process cuts connections mid-request by design: the sockets and
# the dead process's handle are left for the garbage collector, which says so
@pytest.mark.filterwarnings("default::ResourceWarning")
@pytest.mark.filterwarnings("default::pytest.PytestUnraisableExceptionWarning")
def test_no_message_is_lost_behind_nginx_when_a_rasa_process_dies(tmp_path: Path) -> None:
    reason = missing_prerequisite()
    if reason:
        pytest.skip(reason)
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    report = run(20, 10, tmp_path / "prod-check", PORTS)
    text = "\n".join(report.lines)
    assert report.failures == [], text
    assert "20/20 conversations stored exactly as sent" in text
    assert "20/20 conversations hold every accepted message, in order" in text
    assert "reconnected, same session True" in text
