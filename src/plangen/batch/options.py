"""What a batch is asked to do and what it reports back: the types the CLI and library callers see."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangen.i18n import Msg, _


@dataclass(frozen=True)
class BatchOptions:
    """What ``plangen batch`` was asked to do."""

    roster: Path
    base: Path
    output: Path
    columns: Path | None = None
    sheet: str | None = None
    jobs: int | None = None
    force: bool = False
    zip: bool = False
    index: str = "auto"
    """``csv``, ``xlsx``, ``auto`` (the roster's own kind) or ``none``."""
    fonts: str | dict[str, Any] | None = None
    plugins_dirs: tuple[Path, ...] = ()
    same_people: bool = False
    """Confirmed: a person no column names (组长, 联系人…) is the base's in every plan; else the batch stops."""


@dataclass(frozen=True)
class RowProblem:
    """One problem of one roster row, located by the column the user sees and the field it fills."""

    column: str
    field: str
    message: str | Msg


@dataclass(frozen=True)
class Failure:
    """A row that made no plan, with its problems (the first few are shown on the terminal)."""

    row: int
    problems: tuple[RowProblem, ...]


class Note(str):
    """A warning as text (in the language in force when it was said) that still knows its message's code,
    so library callers compare it with a string and ``--json`` gives scripts the stable code."""

    message: Msg | None = None

    @classmethod
    def of(cls, message: str | Msg) -> Note:
        note = cls(str(message))
        note.message = message if isinstance(message, Msg) else None
        return note

    @property
    def code(self) -> str:
        return self.message.code if self.message is not None else ""

    def as_json(self) -> dict[str, Any]:
        if self.message is not None:
            return {**self.message.as_json(), "message": str(self)}
        return {"code": "", "message": str(self), "params": {}}


class Warnings(list[str]):
    """A list of :class:`Note`: a :class:`Msg` appended is worded at once and keeps its code."""

    def append(self, item: str | Msg) -> None:
        super().append(Note.of(item))

    def extend(self, items: Iterable[str | Msg]) -> None:
        super().extend(Note.of(i) for i in items)


@dataclass
class BatchResult:
    made: int = 0
    skipped: int = 0
    failed: int = 0
    blank: int = 0
    seconds: float = 0.0
    output: Path = Path()
    index: Path | None = None
    errors: Path | None = None
    zip: Path | None = None
    warnings: Warnings = field(default_factory=lambda: Warnings())
    """Said once each on stderr (``plangen：警告：…``), worded in the language in force; each keeps its
    message's code and parameters (:class:`Note`) for ``--json``."""
    first_failures: list[Failure] = field(default_factory=list)
    files: int = 0

    @property
    def rows(self) -> int:
        return self.made + self.skipped + self.failed


def iter_failures(result: BatchResult) -> Iterator[str]:
    """One line per problem of the first few failed rows, for the terminal."""
    for failure in result.first_failures:
        for p in failure.problems:
            parts = (_("row {row}", row=failure.row), _("column {column}", column=p.column) if p.column else "",
                     p.field if p.field and p.field != p.column else "")
            where = _(": ").join(s for s in parts if s)
            yield _("{where}: {message}", where=where, message=p.message)


@dataclass(frozen=True)
class Quoted:
    """A name a user typed (a header, a key, a sheet), quoted as the reader's language quotes it:
    '备注' in English (Python's repr, as before), “备注” in Chinese."""

    value: str

    def __str__(self) -> str:
        from plangen.i18n import language

        return f"“{self.value}”" if language() == "zh" else repr(self.value)


def quoted(value: Any) -> Quoted:
    return Quoted(str(value))
