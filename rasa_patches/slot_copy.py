"""Replaces ``copy.copy`` of ``rasa.shared.core.slots.Slot`` (installs ``Slot.__copy__``).

Every tracker the dialogue builds copies each of the domain's 36 slots with
``copy.copy``, which goes through the generic ``__reduce_ex__`` protocol;
``copy_slot`` makes the same shallow copy directly.

Measured gain: see the ablation table in bench/NOTES.md (``slot_copy``).
"""

from __future__ import annotations

from rasa.shared.core.slots import Slot

from rasa_patches.tracker_copies import copy_slot


def install() -> None:
    Slot.__copy__ = copy_slot


__all__ = ["copy_slot", "install"]
