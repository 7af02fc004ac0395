"""Liveness and readiness of the Rasa server, for nginx, process managers and `make prod-check`.

- ``GET /health/live``: the process answers. It does no work, so a busy
  server still passes; a process manager restarts one that fails it.
- ``GET /health/ready``: 200 only when the model is loaded, the action server
  answers its ``/health``, and the tracker store answers a query; otherwise
  503 naming the part that failed. Rasa silently falls back to an in-memory
  tracker store when the configured one is unreachable at start-up, so that
  fallback counts as not ready. A load balancer sends no new conversations to
  a process that is not ready.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

CHECK_TIMEOUT = 2.0  # seconds for each dependency


def action_health_url(webhook_url: str) -> str:
    """``http://host:5055/webhook`` -> ``http://host:5055/health``."""
    parts = urlsplit(webhook_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


async def live(request: Any) -> Any:
    from sanic.response import json

    return json({"status": "ok"})


async def ready(request: Any) -> Any:
    from sanic.response import json

    problems = await readiness_problems(getattr(request.app.ctx, "agent", None))
    if problems:
        return json({"status": "not ready", "problems": problems}, status=503)
    return json({"status": "ready"})


async def readiness_problems(agent: Any) -> list[str]:
    """What stops this server answering a conversation properly; [] when nothing does."""
    if agent is None or not agent.is_ready():
        return ["the model is not loaded"]
    checks = [_tracker_store_problem(agent.tracker_store)]
    if agent.action_endpoint is not None:
        checks.append(_action_server_problem(agent.action_endpoint.url))
    return [problem for problem in await asyncio.gather(*checks) if problem]


async def _action_server_problem(webhook_url: str) -> str | None:
    url = action_health_url(webhook_url)
    try:
        timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
            if response.status == 200:
                return None
            return f"the action server answered {response.status}"
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return f"the action server is unreachable ({type(error).__name__})"


async def _tracker_store_problem(store: Any) -> str | None:
    from rasa.core.tracker_store import InMemoryTrackerStore

    inner = getattr(store, "_tracker_store", store)  # Rasa wraps it in AwaitableTrackerStore
    if isinstance(inner, InMemoryTrackerStore):
        return "the tracker store fell back to memory (the database was unreachable at start)"
    engine = getattr(inner, "engine", None)
    if engine is None:
        return None  # a store we cannot probe (Redis, Mongo): trust it
    try:
        await asyncio.wait_for(asyncio.to_thread(_select_one, engine), CHECK_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        return f"the tracker store is unreachable ({type(error).__name__})"
    return None


def _select_one(engine: Any) -> None:
    import sqlalchemy

    with engine.connect() as connection:
        connection.execute(sqlalchemy.text("SELECT 1"))


def add_routes(app: Any) -> None:
    """Register both endpoints on a Sanic app."""
    app.add_route(live, "/health/live", methods=["GET"], name="health_live")
    app.add_route(ready, "/health/ready", methods=["GET"], name="health_ready")
