"""The author's structure numbers in one part of a document (the notice, the plan it issues, or an
attachment): which numbered lines are headings, which run into their paragraph, which are items of a
list, and whether the author's numbering holds.

A numbering holds when each number style counts 1, 2, 3… either under each parent (（一） starts
again under 二、) or straight through the part (（一）…（二十七） across sections): then every number
is kept as the author typed it. A style that skips or repeats is renumbered by level, and each number
that changes is reported. Items (sentences with a number) are never headings and never renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass

from plangen.gbt9704 import items
from plangen.gbt9704.numbering import number


@dataclass
class Numbered:
    """One line starting with a number: its style (1 一、 2 （一） 3 1. 4 （1）), value, the number as
    typed, its kind (heading, run-in or item), and, once resolved, its level and the number it gets."""

    style: int
    value: int
    typed: str
    kind: items.Kind
    level: int = 0
    label: str | None = None
    """The author's number, normalised (1、 → 1.), when the numbering holds; None: the writer's."""
    parent: int = -1
    closes: str = ""
    """The line's last character."""


def resolve(entries: list[Numbered]) -> None:
    """Kinds settled among siblings, levels by depth, and the labels kept where the numbering holds."""
    _siblings(entries)
    headings = [e for e in entries if e.kind != "item"]
    open_: list[tuple[int, int]] = []  # (style, index in headings) of the headings open above
    for i, e in enumerate(headings):
        while open_ and open_[-1][0] >= e.style:
            open_.pop()
        e.parent = open_[-1][1] if open_ else -1
        e.level = len(open_) + 1
        open_.append((e.style, i))
    for style in {e.style for e in headings}:
        own = [e for e in headings if e.style == style]
        if style > 1 and any(e.parent < 0 for e in own):
            continue  # 1. or （一） at the top of the structure: GB/T 9704 starts at 一、, so numbered by level
        if _restarts(own) or [e.value for e in own] == list(range(1, len(own) + 1)):
            for e in own:
                e.label = number(e.style, e.value)


def _restarts(own: list[Numbered]) -> bool:
    """1, 2, 3… under each parent."""
    last: dict[int, int] = {}
    for e in own:
        if e.value != last.get(e.parent, 0) + 1:
            return False
        last[e.parent] = e.value
    return True


def _siblings(entries: list[Numbered]) -> None:
    for e, k in zip(entries, items.settle([(e.style, e.kind, e.closes) for e in entries]), strict=True):
        e.kind = k
