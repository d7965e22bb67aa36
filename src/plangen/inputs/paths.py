"""Where a value sits in an input: one :class:`FieldPath` type for every place that names a field.

Inside, list positions are 0-based (as Python indexes the lists). People count from 1, so the written
forms a clerk reads and types (``leadership.deputies[1].name``, ``领导小组.副组长.1.姓名``) are 1-based;
the web form names its inputs 0-based (``leadership.deputies[0].name``), as its rows are numbered in
the page's script. Each written form has one parser and one ``str``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

PathPart = str | int
"""A field name (English or Chinese key), or a 0-based list position."""

_WRITTEN_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_FORM_PART = re.compile(r"([^.\[\]]+)|\[(\d{1,4})\]")


@dataclass(frozen=True)
class FieldPath:
    """A path of field names and 0-based positions: ``("leadership", "deputies", 0, "name")``."""

    parts: tuple[PathPart, ...] = ()

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        """A path as people write it, positions from 1: ``a.b[2].c`` or ``a.b.2.c`` → ``("a", "b", 1, "c")``.
        Keys may be Chinese; spaces around a key are dropped; what is not a path gives an empty one."""
        parts: list[PathPart] = []
        for m in _WRITTEN_PART.finditer(text.strip()):
            if m.group(1) is not None:
                parts.append(int(m.group(1)) - 1)
            else:
                key = m.group(2).strip()
                parts.append(int(key) - 1 if key.isdigit() else key)
        return cls(tuple(parts))

    @classmethod
    def parse_form(cls, name: str) -> FieldPath | None:
        """A web form input's name, positions from 0: ``a.b[0].c`` → ``("a", "b", 0, "c")``; None for any
        other shape (a posted name is never guessed at)."""
        parts: list[PathPart] = []
        pos = 0
        for m in _FORM_PART.finditer(name):
            if m.start() != pos and name[pos:m.start()] != ".":
                return None
            parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
            pos = m.end()
        return cls(tuple(parts)) if pos == len(name) and parts else None

    def __str__(self) -> str:
        """As people read it: ``leadership.deputies[1].name`` (positions from 1)."""
        return self._written(lambda i: f"[{i + 1}]")

    def dotted(self) -> str:
        """The dotted form, positions from 1: ``leadership.deputies.1.name``."""
        return ".".join(str(p + 1) if isinstance(p, int) else p for p in self.parts)

    def form_name(self) -> str:
        """As the web form names its input: ``leadership.deputies[0].name`` (positions from 0)."""
        return self._written(lambda i: f"[{i}]")

    def _written(self, index: Callable[[int], str]) -> str:
        out = ""
        for part in self.parts:
            if isinstance(part, int):
                out += index(part)
            else:
                out += ("." if out else "") + str(part)
        return out

    def __truediv__(self, part: PathPart) -> FieldPath:
        """The path one step further: ``FieldPath(("unit",)) / "name"``."""
        return FieldPath((*self.parts, part))

    def __add__(self, more: Iterable[PathPart]) -> FieldPath:
        return FieldPath((*self.parts, *(more.parts if isinstance(more, FieldPath) else more)))

    def __len__(self) -> int:
        return len(self.parts)

    def __iter__(self) -> Iterator[PathPart]:
        return iter(self.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def related(self, other: FieldPath | tuple[PathPart, ...]) -> bool:
        """One path lies inside the other (or they are the same)."""
        theirs = other.parts if isinstance(other, FieldPath) else other
        n = min(len(self.parts), len(theirs))
        return self.parts[:n] == theirs[:n]
