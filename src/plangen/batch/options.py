"""What a batch is asked to do and what it reports back: the types the CLI and library callers see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


@dataclass(frozen=True)
class RowProblem:
    """One problem of one roster row, located by the column the user sees and the field it fills."""

    column: str
    field: str
    message: str


@dataclass(frozen=True)
class Failure:
    """A row that made no plan, with its problems (the first few are shown on the terminal)."""

    row: int
    problems: tuple[RowProblem, ...]


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
    warnings: list[str] = field(default_factory=list)
    first_failures: list[Failure] = field(default_factory=list)
    files: int = 0

    @property
    def rows(self) -> int:
        return self.made + self.skipped + self.failed


def iter_failures(result: BatchResult) -> Iterator[str]:
    """One line per problem of the first few failed rows, for the terminal."""
    for failure in result.first_failures:
        for p in failure.problems:
            where = ": ".join(s for s in (f"row {failure.row}", f"column {p.column}" if p.column else "", p.field if p.field and p.field != p.column else "") if s)
            yield f"{where}: {p.message}"
