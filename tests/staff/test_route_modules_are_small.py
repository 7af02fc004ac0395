"""The staff app's routes stay grouped by concern, each module small enough to read at once."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 150  # lines


def test_each_route_module_is_under_the_limit() -> None:
    modules = sorted((ROOT / "staff" / "routes").glob("*.py"))
    assert len(modules) >= 5
    too_long = {path.name: n for path in modules
                if (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT}
    assert too_long == {}


def test_the_app_only_assembles_the_routes() -> None:
    source = (ROOT / "staff" / "app.py").read_text(encoding="utf-8")
    assert "@app." not in source  # every route lives in staff/routes/
    assert len(source.splitlines()) <= LIMIT
