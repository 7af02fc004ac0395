"""After the model loads, start-up objects leave the collector's way; collections get rarer."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from runner.server_extras import GC_THRESHOLDS, freeze_start_up_objects


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


async def test_start_up_objects_are_frozen_and_thresholds_raised(restored_collector) -> None:
    start_up_objects = [{"model": index} for index in range(1000)]  # what loading leaves behind
    gc.unfreeze()
    await freeze_start_up_objects(None, None)
    assert gc.get_freeze_count() >= len(start_up_objects)
    assert gc.get_threshold() == GC_THRESHOLDS
    assert GC_THRESHOLDS[0] > 700, "rarer than Python's default youngest-generation threshold"


async def test_cycles_made_while_serving_are_still_collected(restored_collector) -> None:
    await freeze_start_up_objects(None, None)

    class Node:
        pass

    collected: list[str] = []
    node = Node()
    node.self = node  # a reference cycle only the collector can free
    weakref.finalize(node, collected.append, "freed")
    del node
    gc.collect()
    assert collected == ["freed"]
