"""Replaces ``rasa.core.processor.DaskGraphRunner`` (with ``SequentialGraphRunner``).

Rasa's prediction graph run node by node, without dask's scheduler.

Every message runs Rasa's model graph several times (the NLU once, the
policies once per predicted action), and ``DaskGraphRunner`` hands each run to
dask's generic scheduler: about a tenth of the server's time went to ordering
and bookkeeping for graphs of a dozen nodes (bench/NOTES.md). This runner
computes the same nodes in dependency order, each once, with the same inputs,
outputs and errors; everything else is inherited from ``DaskGraphRunner``.

Measured gain: without it the Rasa server used +20.7% CPU per message (median of
three runs at 50 concurrent against six with every patch; ablation table
in bench/NOTES.md, 2026-12-03).
"""

from __future__ import annotations

import functools
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    """``DaskGraphRunner`` with ``run`` computing nodes directly."""

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        schema = self._minimal_schema(tuple(run_targets))
        # an input is handed to nodes as dask does: a (name, value) pair, like a node's output
        done: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none "
                    f"of the input names passed to the `run` method are the same as node "
                    f"names in the graph schema."
                )
            done[name] = (name, value)

        def compute(name: str) -> Any:
            if name not in done:
                parents = [compute(parent) for parent in schema.nodes[name].needs.values()]
                done[name] = self._instantiated_nodes[name](*parents)
            return done[name]

        try:
            return dict(compute(target) for target in run_targets)
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error

    @functools.lru_cache(maxsize=32)  # noqa: B019 - a runner lives as long as its model
    def _minimal_schema(self, targets: tuple[str, ...]) -> GraphSchema:
        return self._graph_schema.minimal_graph_schema(list(targets))


def install() -> None:
    """Let Rasa's message processor build this runner for the models it loads."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner
