"""Heading numbers as written in the text: 一、 → （一） → 1. → （1）, no gaps, no orphan levels.

The writer derives numbers from levels (plangen.gbt9704.numbering) so its own output is right by
construction; a document typed by hand is where numbers skip, repeat or restart.
"""

from __future__ import annotations

from plangen.check.findings import Collector
from plangen.check.roles import Role, heading_level
from plangen.gbt9704.numbering import number
from plangen.i18n import _, msg
from plangen.ooxml.reader import Docx
from plangen.text import cn_number

_CN_VALUE = {cn_number(n): n for n in range(1, 100)}


def _value(level: int, written: str) -> int | None:
    return _CN_VALUE.get(written) if level <= 2 else int(written)


def check_headings(doc: Docx, roles: list[Role], out: Collector) -> None:
    """Counters per level, reset under each new parent and at each title (a new document part). A
    numbering continued across parents (（一）…（五） under 一、, then （六） under 二、) is the author's
    choice and accepted; a level skipped under a heading (1. right under 一、) too."""
    counters = [0, 0, 0, 0, 0]
    continued = [0, 0, 0, 0, 0]  # the last number of each level in this part, never reset by a parent
    for para, role in zip(doc.paragraphs, roles, strict=True):
        if role is Role.TITLE:
            counters = [0, 0, 0, 0, 0]
            continued = [0, 0, 0, 0, 0]
            continue
        if role is not Role.HEADING:
            continue
        found = heading_level(para.text)
        if found is None:
            continue
        level, written = found
        value = _value(level, written)
        if value is None:
            continue
        label = number(level, value)
        if level > 1 and not any(counters[1:level]):
            parent = number(level - 1, 1)
            out.add("heading-level", para,
                    msg("check.heading-level", "heading {label} has no level-{parent_level} heading ({parent}…) above it",
                        label=label, parent_level=level - 1, parent=parent),
                    _("a {parent} heading before any {label}", parent=parent, label=label))
        expected = counters[level] + 1
        if value != expected and not (counters[level] == 0 and value == continued[level] + 1 > 1):
            previous = number(level, counters[level]) if counters[level] else ""
            if value == counters[level]:
                message = msg("check.heading-repeats", "heading number {label} repeats the sequence", label=label)
            elif value < counters[level]:
                message = msg("check.heading-restarts", "heading number {label} restarts the sequence", label=label,
                              previous=previous)
            elif previous:
                message = msg("check.heading-skips", "heading number {label} skips the sequence", label=label, previous=previous)
            else:
                message = msg("check.heading-skips-first", "heading number {label} skips the sequence, which starts at {first}",
                              label=label, first=number(level, 1))
            out.add("heading-sequence", para, message, number(level, expected))
        counters[level] = value
        continued[level] = value
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
