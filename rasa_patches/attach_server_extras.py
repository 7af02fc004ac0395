"""Attaches the project's routes and listeners to every app ``rasa run`` builds.

Wraps ``rasa.core.run.configure_app`` (``runner/server_extras.py``): the
model-changing API routes answer 403, ``/health/live`` and ``/health/ready``,
the start-up objects frozen out of the garbage collector's way once the model
is loaded, and the kept HTTP sessions closed when the server stops.
Behaviour, not speed: not part of the ablation (the freeze is measured in
bench/NOTES.md, "gc.freeze()").
"""

from __future__ import annotations

from collections.abc import Mapping


def install(env: Mapping[str, str]) -> None:
    import rasa.core.run

    from runner.server_extras import with_extras

    if not getattr(rasa.core.run.configure_app, "_knee_extras", False):
        rasa.core.run.configure_app = with_extras(rasa.core.run.configure_app)
