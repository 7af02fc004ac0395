"""What every Rasa app this project starts has besides Rasa's own routes.

``with_extras`` wraps ``rasa.core.run.configure_app`` (attached by
``rasa_patches/attach_server_extras.py``): the API routes that would load
another model answer 403 (CVE-2024-49375 was remote code execution via model
loading), ``/health/live`` and ``/health/ready`` (runner/health.py), the
start-up objects frozen out of the garbage collector's way once the model is
loaded, and the kept action-server sessions closed when the server stops.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import Any

# Collect the youngest generation every 10 000 new container objects instead of
# 700: a tenth as many collections, half the collector's time and a full
# collection every few minutes instead of every few seconds (bench/NOTES.md)
GC_THRESHOLDS = (10_000, 10, 10)
# Rasa HTTP API routes that would load or build a model other than ours
MODEL_CHANGING_ROUTES = {("PUT", "/model"), ("POST", "/model/train")}


async def refuse_model_changes(request: Any) -> Any:
    """Sanic request middleware: 403 for the API routes that would load another model."""
    from sanic.response import json

    if (request.method, request.path.rstrip("/") or "/") in MODEL_CHANGING_ROUTES:
        return json(
            {"error": "Models are loaded only from the server's models/ directory at start-up."},
            status=403,
        )
    return None


async def freeze_start_up_objects(_app: Any, _loop: Any) -> None:
    """After the model is loaded: keep Python's garbage collector off the start-up objects.

    Rasa, TensorFlow and the model leave millions of long-lived objects; every
    full collection walked them all, pausing every conversation for about
    300 ms (bench/NOTES.md). Frozen, they are never scanned again; objects
    made while serving are collected, less often (``GC_THRESHOLDS``).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def with_extras(configure_app: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(configure_app)
    def configure(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        app.register_middleware(refuse_model_changes, "request")
        from runner.health import add_routes

        add_routes(app)  # /health/live and /health/ready (runner/health.py)
        # after "before_server_start", where Rasa loads the model
        app.register_listener(freeze_start_up_objects, "after_server_start")
        from rasa_patches.shared_http_session import close_sessions

        app.register_listener(close_sessions, "after_server_stop")
        return app

    configure._knee_extras = True  # type: ignore[attr-defined]
    return configure
