"""The items of each screening list, for the follow-up question "which one?".

After a "Yes" or "Not sure" to a screening list the form asks which item
applies, with one button per item (``screen_items.yml``) and a "More than one /
not sure" button (``SEVERAL``). A picked item narrows the screen to its red
flag, so the reasons name that sign; every item of a list has the level of
the list, so a pick never changes the outcome level.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import yaml

from kneecare.triage.criteria import Thresholds

ITEMS_PATH = Path(__file__).with_name("screen_items.yml")
# the pick of "More than one / not sure"
SEVERAL: Final = "several"
# the form slot that asks which item of a screen applies
PICK_SLOT_PREFIX: Final = "which_"


@dataclass(frozen=True)
class ScreenItem:
    """One bullet of a screening list."""

    id: str  # "<screen>:<position>", the button's payload
    flag: str
    button: str
    signs: frozenset[str]


@dataclass(frozen=True)
class ScreenList:
    screen: str
    several_words: str
    items: tuple[ScreenItem, ...]


@cache
def screen_lists() -> dict[str, ScreenList]:
    """Every screen's items, read once."""
    with ITEMS_PATH.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    # button words name thresholds as the criteria set them ("{recent_injury_period}")
    words = Thresholds.default().in_words()
    return {
        screen: ScreenList(
            screen=screen,
            several_words=row["several_words"],
            items=tuple(
                ScreenItem(f"{screen}:{n}", item["flag"], item["button"].format(**words),
                           frozenset(item["signs"]))
                for n, item in enumerate(row["items"], start=1)
            ),
        )
        for screen, row in raw.items()
    }


def pick_slot(screen: str) -> str:
    """screen_emergency -> which_emergency_sign."""
    return f"{PICK_SLOT_PREFIX}{screen.removeprefix('screen_')}_sign"


def screen_of_pick_slot(slot: str | None) -> str | None:
    """which_emergency_sign -> screen_emergency; None for any other slot."""
    for screen in screen_lists():
        if slot == pick_slot(screen):
            return screen
    return None


def item(item_id: str) -> ScreenItem | None:
    """The item with this id ("screen_emergency:2"), if any."""
    screen = item_id.split(":", 1)[0]
    listed = screen_lists().get(screen)
    return next((i for i in listed.items if i.id == item_id), None) if listed else None


def item_named_by(screen: str, signs: frozenset[str]) -> ScreenItem | None:
    """The one item of ``screen`` whose signs a typed reply names, if exactly one."""
    named = [i for i in screen_lists()[screen].items if i.signs & signs]
    return named[0] if len(named) == 1 else None
