"""Heading numbers 一、 → （一） → 1. → （1）, derived from levels so they can never skip or restart."""

from __future__ import annotations

from collections.abc import Iterable

from plangen.document import Block, Heading, Title
from plangen.errors import TemplateError
from plangen.i18n import msg
from plangen.text import cn_number


def number(level: int, n: int) -> str:
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise TemplateError(msg("template.heading-level", "heading level {level} does not exist; GB/T 9704 has four levels", level=level))


def heading_numbers(blocks: Iterable[Block]) -> list[str]:
    """The number of every heading, in order. A level used without its parent is a template error.
    A heading carrying the author's own number keeps it; each title starts the numbering again (the
    next part of the file: an issued plan, an attachment)."""

    counters = [0, 0, 0, 0, 0]
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Title):
            counters = [0, 0, 0, 0, 0]
            continue
        if not isinstance(block, Heading):
            continue
        if block.number is not None:
            counters[block.level] += 1
            for deeper in range(block.level + 1, 5):
                counters[deeper] = 0
            out.append(block.number)
            continue
        level = block.level
        if not 1 <= level <= 4:
            raise TemplateError(msg("template.heading-level-range", "heading {text!r} has level {level}; use levels 1 to 4",
                                    text=block.text, level=level))
        if level > 1 and counters[level - 1] == 0:
            raise TemplateError(msg("template.heading-orphan", "heading {text!r} is level {level} but has no level-{parent} heading above it",
                                    text=block.text, level=level, parent=level - 1))
        counters[level] += 1
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        out.append(number(level, counters[level]))
    return out


def label_level(label: str) -> int:
    """The level a number is written for: 一、 1, （一） 2, 1. 3, （1） 4."""
    if label.endswith("、"):
        return 1
    if label.startswith("（"):
        return 4 if label[1:2].isdigit() else 2
    return 3
